import { Command, Option } from 'commander';
import type { Ctx } from '../cli/ctx.js';
import type { Plan } from '../plan/types.js';
import { TracksError } from '../errors/index.js';

export interface ApplyResult {
  paths: string[];
  commit?: string;
}

/** Test seam: runs between writing the files and committing them. */
export interface ApplyHooks {
  afterWrite?: () => void | Promise<void>;
}

/**
 * Applies a plan all or nothing: every base hash is checked against the work
 * tree, nothing is written if a file changed since the plan was made, a file
 * to be written has uncommitted changes, or git is mid-merge/rebase; then all
 * files are written atomically and committed in one commit of exactly those
 * paths. If writing or committing fails, the files are put back as they were.
 */
export async function applyPlan(root: string, plan: Plan, opts: { commit: boolean; message: string }, hooks: ApplyHooks = {}): Promise<ApplyResult> {
  const { readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { blobId } = await import('../fs/source.js');
  const { writeFilesAtomic } = await import('../fs/atomic.js');
  const git = await import('../git/git.js');
  if (plan.changes.length === 0) return { paths: [] };
  const inGit = await git.isRepo(root);
  if (opts.commit && !inGit) {
    throw new TracksError('NOT_A_GIT_REPO', `${root} is not a git repository, so the change cannot be committed`, {
      hint: 'Run `git init` first, or pass --no-commit.',
    });
  }
  if (inGit) await git.assertNoOperationInProgress(root);

  const before = new Map<string, Buffer | null>();
  const stale: string[] = [];
  for (const c of plan.changes) {
    let bytes: Buffer | null = null;
    try {
      bytes = readFileSync(join(root, c.path));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    before.set(c.path, bytes);
    const now = bytes === null ? null : blobId(bytes);
    if (now !== c.baseHash) {
      stale.push(c.baseHash === null ? `${c.path} (exists now)` : now === null ? `${c.path} (deleted)` : `${c.path} (changed)`);
    }
  }
  if (stale.length) {
    throw new TracksError('PLAN_STALE', `${stale.length} file${stale.length === 1 ? '' : 's'} changed since the plan was made: ${stale.slice(0, 10).join(', ')}${stale.length > 10 ? ` and ${stale.length - 10} more` : ''}`, {
      hint: 'Run `tracks organize` again to plan against the current files.',
    });
  }
  const paths = plan.changes.map((c) => c.path);
  if (inGit && opts.commit) {
    const dirty = await git.dirtyPaths(root, paths);
    if (dirty.length) {
      throw new TracksError('DIRTY_FILES', `uncommitted changes in ${dirty.slice(0, 10).join(', ')}${dirty.length > 10 ? ` and ${dirty.length - 10} more` : ''}`, {
        hint: "Commit or stash them first (they would end up in the tool's commit), or pass --no-commit.",
      });
    }
  }

  const restore = async (cause: unknown): Promise<never> => {
    const back = plan.changes.map((c) => ({ path: c.path, content: before.get(c.path) === null ? null : before.get(c.path)!.toString('utf8') }));
    let restored = true;
    try {
      writeFilesAtomic(root, back);
      if (inGit && opts.commit) {
        const head = await git.headCommit(root);
        await git.run(root, head ? ['reset', '-q', '--', ...paths] : ['rm', '-r', '-q', '--cached', '--ignore-unmatch', '--', ...paths]);
      }
    } catch {
      restored = false;
    }
    const msg = (cause as Error).message ?? String(cause);
    throw new TracksError('WRITE_FAILED', `${msg.replace(/\.$/, '')}; ${restored ? 'the files were put back as they were. No files changed.' : 'putting the files back failed too: check `git status`.'}`, {
      hint: (cause as TracksError).hint?.replace(/The files were written but not committed; review them with `git status`\.?/, '').trim() || undefined,
      cause,
    });
  };

  try {
    writeFilesAtomic(
      root,
      plan.changes.map((c) => ({ path: c.path, content: c.content })),
    );
    await hooks.afterWrite?.();
  } catch (e) {
    return restore(e);
  }
  if (!opts.commit || !inGit) return { paths };
  try {
    const commit = await git.commitPaths(root, paths, opts.message);
    return { paths, commit };
  } catch (e) {
    return restore(e);
  }
}

export function resultLine(r: ApplyResult, message: string): string {
  const n = `${r.paths.length} file${r.paths.length === 1 ? '' : 's'}`;
  return r.commit ? `Wrote ${n} and committed ${r.commit.slice(0, 7)} "${message.split('\n')[0]}".` : `Wrote ${n} (not committed).`;
}

export default function apply(ctx: Ctx): Command {
  return new Command('apply')
    .description('Apply a plan saved by `tracks organize --plan-out`, if none of its files changed since.')
    .argument('<plan>', 'the plan JSON file')
    .option('-y, --yes', 'apply without asking')
    .option('--no-commit', 'write the files but do not commit')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      `
Examples:
  $ tracks organize --plan-out plan.json      review later, or in CI
  $ tracks apply plan.json                    show the summary, ask, write, commit
  $ tracks apply plan.json --yes --no-commit

Refuses (and writes nothing) if any file changed since the plan was made.`,
    )
    .action(async (file: string, opts: { yes?: boolean; commit: boolean; format: 'text' | 'json' }) => {
      const { readFileSync } = await import('node:fs');
      const { resolve } = await import('node:path');
      const { loadConfigText } = await import('../repo/load.js');
      const { CONFIG_FILE } = await import('../config/config.js');
      const { parsePlan } = await import('../plan/serialize.js');
      const { renderSummary, commitMessage } = await import('../plan/render.js');
      const root = ctx.root();
      const abs = resolve(ctx.cwd(), file);
      let text: string;
      try {
        text = readFileSync(abs, 'utf8');
      } catch (e) {
        throw new TracksError('PLAN_NOT_FOUND', `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      // Only the config is needed (for the directories a plan may write to), not every work order.
      let configText: string | undefined;
      try {
        configText = readFileSync(resolve(root, CONFIG_FILE), 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
      const { config } = loadConfigText(configText, CONFIG_FILE);
      const plan = parsePlan(text, file, config);
      const paint = opts.format === 'json' ? undefined : ctx.color;
      if (opts.format === 'text') ctx.io.stdout(renderSummary(plan, paint, { maxMoves: 5 }));
      if (!opts.yes) {
        if (!ctx.io.interactive) {
          throw new TracksError('NEEDS_TTY', 'apply asks before writing, but this is not an interactive terminal', {
            hint: 'Pass --yes to apply without asking.',
          });
        }
        const { inquirerPrompter } = await import('../term/prompter.js');
        const ok = await (await inquirerPrompter()).confirm({ message: `Write ${plan.changes.length} files${opts.commit ? ' and commit' : ''}?`, default: true });
        if (!ok) {
          ctx.io.stderr('No files changed.\n');
          return;
        }
      }
      const message = commitMessage(plan);
      const r = await applyPlan(root, plan, { commit: opts.commit, message });
      if (opts.format === 'json') ctx.io.stdout(JSON.stringify({ applied: r.paths, commit: r.commit ?? null }, null, 2) + '\n');
      else ctx.io.stdout(resultLine(r, message) + '\n');
    });
}
