/**
 * The one way the repository changes. Every command that writes builds a
 * ChangePlan and hands it here, holding the repository lock: the plan is
 * checked against the files as they are (base blob ids) and against what its
 * kind allows, projected onto the repository and judged by check's rules, then
 * written atomically with a journal, committed as exactly its own paths, and
 * the outcome (or the failure) states the repository's real state.
 *
 * Undoes its writes only when no commit was made. When the commit exists and
 * a later step fails, it says so with the commit id and what to run.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Diagnostic, Repo } from '../model/types.js';
import type { ChangePlan } from '../plan/types.js';
import { materialize, type FileWrite } from '../plan/verify.js';
import { introducedErrors, type ProjectedWrite } from '../plan/project.js';
import { blobIdOf } from '../core/blob.js';
import { NO_CHANGES, TracksError } from '../errors/index.js';
import { commitEntries, dirtyPaths, GitFailure, head, operationInProgress, storeBlobs, syncIndex, treeEntries, type GitRepo, type Head, type IndexEntry } from '../git/git.js';
import { clearJournal, writeJournal, type Journal } from './journal.js';
import { readTarget, replaceFile, type Target } from './files.js';

/** Where a test may kill the process (TRACKS_TEST_CRASH_AT), to prove every phase recovers. */
export type CrashPoint = 'after-journal' | 'mid-write' | 'after-write' | 'after-commit' | 'after-index';

export interface ApplyEnv {
  root: string;
  git: GitRepo | undefined;
  /** The command line, recorded in the journal. */
  command: string;
  /** A line for the person (stderr). */
  say: (line: string) => void;
  /** Test seams (TRACKS_TEST_CRASH_AT, TRACKS_TEST_FAIL_WRITE="<n>:<errno code>"): kill the process at a phase, fail the n-th file write. */
  crashAt?: string;
  failWrite?: string;
}

export interface ApplyRequest {
  plan: ChangePlan;
  /** The repository as loaded under the lock, for the rules. */
  repo: Repo;
  commit: boolean;
}

export type Outcome =
  | { kind: 'nothing' }
  | { kind: 'written'; paths: string[] }
  | { kind: 'committed'; paths: string[]; commit: string };

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function listDiagnostics(ds: Diagnostic[], max = 5): string {
  const shown = ds.slice(0, max).map((d) => `  ${d.file}:${d.line}:${d.col} ${d.message} [${d.code}]`);
  return [...shown, ...(ds.length > max ? [`  … and ${ds.length - max} more`] : [])].join('\n');
}

function crash(env: ApplyEnv, at: CrashPoint): void {
  if (env.crashAt === at) process.kill(process.pid, 'SIGKILL');
}

/** The files of the plan, checked, as they will be written (a dry run checks the same with `checkOnly`, keeping no bytes). */
export function prepare(root: string, plan: ChangePlan, repo: Repo): { writes: FileWrite[]; targets: Map<string, Target | null>; introduced: Diagnostic[] } {
  const targets = new Map<string, Target | null>();
  const dirs = new Set<string>();
  const current = (p: string) => {
    if (!targets.has(p)) targets.set(p, readTarget(root, p, dirs));
    return targets.get(p)!;
  };
  const writes = materialize(plan, current, repo.config);
  return { writes, targets, introduced: writes.length ? introducedErrors(repo, writes) : [] };
}

/**
 * What applying the plan would find, without keeping what it would write: the
 * same checks as `prepare` (every file read, every edit made and read back,
 * the rules on the result), for a dry run or a saved plan. A work order's new
 * bytes are dropped once their blob id is known, so checking an organize of
 * 10,000 work orders does not hold 10,000 files twice.
 */
export function checkOnly(root: string, plan: ChangePlan, repo: Repo): { introduced: Diagnostic[] } {
  const dirs = new Set<string>();
  const loaded = new Set(repo.workOrders.map((w) => w.path));
  const kept: ProjectedWrite[] = [];
  materialize(plan, (p) => readTarget(root, p, dirs), repo.config, (w) => {
    kept.push(w.setKey && w.after && loaded.has(w.path) ? { path: w.path, after: null, setKey: w.setKey, hash: blobIdOf(w.after) } : w);
  });
  return { introduced: kept.length ? introducedErrors(repo, kept) : [] };
}

export function rulesBroken(introduced: Diagnostic[]): TracksError {
  return new TracksError('RULES_BROKEN', `the change would introduce ${plural(introduced.length, 'error')} that \`tracks check\` reports:\n${listDiagnostics(introduced)}`, {
    hint: introduced[0]?.hint ?? 'Change the command so the repository stays valid.',
  });
}

/** Applies a plan. The caller holds the repository lock. */
export async function applyChange(env: ApplyEnv, req: ApplyRequest): Promise<Outcome> {
  const { root, git } = env;
  if (req.commit && !git) {
    throw new TracksError('NOT_A_GIT_REPO', `${root} is not in a git repository, so the change cannot be committed`, { hint: 'Run `git init` first, or pass --no-commit.' });
  }
  if (git) {
    const op = operationInProgress(git);
    if (op) throw new TracksError('GIT_BUSY', `${op} is in progress`, { hint: `Finish or abort ${op} first.` });
  }
  const { writes, targets, introduced } = prepare(root, req.plan, req.repo);
  if (writes.length === 0) return { kind: 'nothing' };
  if (introduced.length) throw rulesBroken(introduced);
  const paths = writes.map((w) => w.path);
  let base: Head | undefined;
  if (git && req.commit) {
    const dirty = await dirtyPaths(git, paths);
    if (dirty.length) {
      throw new TracksError('DIRTY_FILES', `uncommitted changes in ${dirty.slice(0, 10).join(', ')}${dirty.length > 10 ? ` and ${dirty.length - 10} more` : ''}`, {
        hint: "Commit or stash them first (they would end up in the tool's commit), or pass --no-commit.",
      });
    }
    base = await head(git);
  }
  return new Run(env, req, writes, targets, base).go();
}

/** One application of one plan: the journal, the writes, the commit, and putting things back. */
class Run {
  private readonly id = randomBytes(6).toString('hex');
  private readonly written: FileWrite[] = [];
  private journal: Journal | undefined;
  private interrupted = false;
  private readonly onSigint = () => {
    this.interrupted = true;
  };

  constructor(
    private readonly env: ApplyEnv,
    private readonly req: ApplyRequest,
    private readonly writes: FileWrite[],
    private readonly targets: Map<string, Target | null>,
    private readonly base: Head | undefined,
  ) {}

  private get paths() {
    return this.writes.map((w) => w.path);
  }

  async go(): Promise<Outcome> {
    const { git } = this.env;
    // Ctrl-C while writing: finish the step, then undo (before the commit) or finish (after it), and say so.
    process.on('SIGINT', this.onSigint);
    try {
      if (git) await this.startJournal(git);
      crash(this.env, 'after-journal');
      this.writeAll();
      crash(this.env, 'after-write');
      if (!git || !this.req.commit) {
        if (git) clearJournal(git.gitDir);
        if (this.interrupted) throw new TracksError('ABORTED', `Interrupted, after the files were written: ${this.paths.join(', ')} hold the new content (not committed).`, { exitCode: 130 });
        return { kind: 'written', paths: this.paths };
      }
      this.checkInterrupt();
      return await this.commit(git);
    } finally {
      process.off('SIGINT', this.onSigint);
    }
  }

  private async startJournal(git: GitRepo) {
    // Old contents go into git's object database first, so a crash can always be undone from there.
    const existing = this.writes.filter((w) => w.before);
    const ids = await storeBlobs(git, existing.map((w) => w.path));
    existing.forEach((w, i) => {
      if (ids[i] !== w.before!.hash) throw new TracksError('PLAN_STALE', `${w.path} changed while the change was being prepared`, { hint: 'Run the command again.' });
    });
    this.journal = {
      v: 1,
      id: this.id,
      pid: process.pid,
      host: hostname(),
      command: this.env.command,
      startedAt: new Date().toISOString(),
      base: this.base?.kind === 'commit' ? this.base.id : null,
      commit: this.req.commit,
      phase: 'writing',
      files: this.writes.map((w) => ({ path: w.path, before: w.before?.hash ?? null, after: w.after === null ? null : blobIdOf(w.after), mode: this.targets.get(w.path)?.mode })),
    };
    writeJournal(git.gitDir, this.journal);
  }

  private checkInterrupt() {
    if (!this.interrupted) return;
    const done = this.written.length;
    const back = this.putBack();
    throw new TracksError('ABORTED', `Interrupted while writing; ${back.failed.length ? this.putBackFailure(back.failed) : `${done ? `the ${plural(done, 'file')} already written ${done === 1 ? 'was' : 'were'} put back. ` : ''}${NO_CHANGES}`}`, { exitCode: 130 });
  }

  private writeAll() {
    for (const w of this.writes) {
      this.checkInterrupt();
      try {
        this.injectFailure();
        replaceFile(this.env.root, w.path, w.after, this.targets.get(w.path)?.mode, this.id);
      } catch (e) {
        const done = this.written.length;
        const back = this.putBack();
        const why = (e as NodeJS.ErrnoException).code === 'ENOSPC' ? 'no space left on device' : (e as NodeJS.ErrnoException).code === 'EACCES' || (e as NodeJS.ErrnoException).code === 'EPERM' ? 'permission denied' : ((e as Error).message ?? String(e));
        throw new TracksError('WRITE_FAILED', `writing ${w.path} failed (${why}); ${back.failed.length ? this.putBackFailure(back.failed) : `${done ? `the ${plural(done, 'file')} already written ${done === 1 ? 'was' : 'were'} put back as ${done === 1 ? 'it was' : 'they were'}. ` : ''}${NO_CHANGES}`}`, {
          hint: (e as NodeJS.ErrnoException).code === 'ENOSPC' ? 'Free some disk space and run the command again.' : 'Check the permissions of the file and its directory.',
          cause: e,
        });
      }
      this.written.push(w);
      if (this.written.length === 1) crash(this.env, 'mid-write');
    }
  }

  private injectFailure() {
    const [n, code] = (this.env.failWrite ?? '').split(':');
    if (n && Number(n) === this.written.length + 1) throw Object.assign(new Error(`${code ?? 'EIO'}: injected failure, write`), { code: code ?? 'EIO' });
  }

  /** Puts every written file back as it was; returns the paths that could not be. */
  private putBack(): { failed: string[] } {
    const failed: string[] = [];
    for (const w of [...this.written].reverse()) {
      try {
        replaceFile(this.env.root, w.path, w.before ? w.before.bytes : null, this.targets.get(w.path)?.mode, this.id);
      } catch {
        failed.push(w.path);
      }
    }
    this.written.length = 0;
    if (!failed.length && this.env.git) clearJournal(this.env.git.gitDir);
    return { failed };
  }

  private putBackFailure(failed: string[]): string {
    const where = this.env.git ? ` The journal in ${join(this.env.git.gitDir, 'tracks')} lets the next tracks command put them back.` : '';
    return `putting ${failed.length === 1 ? 'this file' : 'these files'} back failed too, so ${failed.length === 1 ? 'it holds' : 'they hold'} the new content: ${failed.join(', ')}.${where}`;
  }

  private async commit(git: GitRepo): Promise<Outcome> {
    const paths = this.paths;
    const written = this.writes.filter((w) => w.after !== null);
    // The blobs committed are read back from the files just written: if they are not the planned bytes, something else wrote there.
    const ids = await storeBlobs(git, written.map((w) => w.path));
    const changed = written.filter((w, i) => ids[i] !== blobIdOf(w.after!)).map((w) => w.path);
    if (changed.length) {
      const back = this.putBack();
      throw new TracksError('WRITE_FAILED', `${changed.join(', ')} changed while tracks was writing; ${back.failed.length ? this.putBackFailure(back.failed) : `the files were put back as they were. ${NO_CHANGES}`}`, { hint: 'Another program is writing these files; run the command again when it has finished.' });
    }
    const modes = this.base?.kind === 'commit' ? await treeEntries(git, this.base.id, paths) : new Map();
    const entries: IndexEntry[] = this.writes.map((w) =>
      w.after === null ? { path: w.path, remove: true } : { path: w.path, mode: modes.get(w.path)?.mode ?? ((this.targets.get(w.path)?.mode ?? 0o644) & 0o111 ? '100755' : '100644'), blob: blobIdOf(w.after) },
    );
    const tmpIndex = join(git.gitDir, `tracks-index-${this.id}`);
    this.journal = { ...this.journal!, phase: 'committing', tmpIndex };
    writeJournal(git.gitDir, this.journal);
    this.checkInterrupt();
    const r = await commitEntries(git, this.base!, entries, this.req.plan.message, tmpIndex);
    if (r.kind !== 'committed') {
      const back = this.putBack();
      const state = back.failed.length ? this.putBackFailure(back.failed) : `The files were put back as they were. ${NO_CHANGES}`;
      if (r.kind === 'hook-refused') {
        const lines = r.output.split('\n').filter((l) => l.trim());
        const shown = lines.length > 15 ? ['…', ...lines.slice(-15)] : lines;
        throw new TracksError('HOOK_REFUSED', `a git hook refused the commit${shown.length ? `; it said:\n  ${shown.join('\n  ')}` : ' (it printed nothing)'}\n${state}`, {
          hint: 'Fix what the hook reports and run the command again, or pass --no-commit and commit yourself.',
        });
      }
      throw new TracksError('COMMIT_FAILED', `git commit failed: ${r.failure.message.replace(/^git commit failed: /, '')}\n${state}`, {
        hint: /identity|who you are/i.test(r.failure.stderr) ? 'Set your name and email: git config user.name "…" && git config user.email "…".' : 'Run `git status` to see the repository, then run the command again.',
        cause: r.failure,
      });
    }
    crash(this.env, 'after-commit');
    this.journal = { ...this.journal, phase: 'indexing' };
    writeJournal(git.gitDir, this.journal);
    try {
      await syncIndex(git, entries);
    } catch (e) {
      const why = e instanceof GitFailure ? e.message : String(e);
      clearJournal(git.gitDir);
      throw new TracksError('COMMITTED_INCOMPLETE', `committed ${r.id.slice(0, 7)} "${this.req.plan.message.split('\n')[0]}", but updating git's index afterwards failed (${why}): until it is fixed, \`git status\` shows the committed files as staged changes that would undo the commit`, {
        hint: `${/index\.lock/.test(why) ? 'Another git process holds index.lock; when it has finished (or, if none is running, after removing the lock file), run' : 'Run'} \`git reset -q -- ${paths.length <= 3 ? paths.join(' ') : `<the ${paths.length} files>`}\` to make the index agree with the commit. The files themselves are right.`,
        cause: e,
      });
    }
    crash(this.env, 'after-index');
    clearJournal(git.gitDir);
    if (this.interrupted) this.env.say(`Interrupted after the commit was made: committed ${r.id.slice(0, 7)}.`);
    return { kind: 'committed', paths, commit: r.id };
  }
}
