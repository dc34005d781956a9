/**
 * The one apply path, at each of its failure points: before the first write,
 * between writes, a refusing pre-commit hook, a failure after the commit, and
 * a process killed at every phase (the next command finishes or undoes it).
 * Each asserts `git status`, HEAD and the message, so the message is proven
 * to state the repository's real state.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { cli, git, ls, PROJECT, read, removeRepo, tempRepo, track, wo, write } from '../helpers/repo.js';
import { acquireLock } from '../../src/apply/lock.js';

const BIN = join(PROJECT, 'bin', 'tracks.js');
const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) removeRepo(dirs.pop()!);
});

const head = (d: string) => git(d, 'rev-parse', 'HEAD').trim();
const status = (d: string) => git(d, 'status', '--porcelain', '--untracked-files=all');
const count = (d: string) => Number(git(d, 'rev-list', '--count', 'HEAD').trim());

/** Twelve work orders in three themes, two tracks, one commit. */
function repo(extra: Record<string, string> = {}): string {
  const files: Record<string, string> = {
    'tracks/0001_FEAT_billing.md': track('Billing', { status: 'draft' }),
    'tracks/0002_FEAT_search.md': track('Search', { status: 'draft' }),
    ...extra,
  };
  for (let i = 1; i <= 12; i++) {
    const id = `WO-${i}`;
    files[`work_orders/${id}.md`] = wo(id, { title: `${['Invoice', 'Search', 'Onboarding'][i % 3]} item ${i}`, tags: `[${['billing', 'search', 'onboarding'][i % 3]}]`, ...(i % 3 === 0 ? { track: 'search' } : {}) });
  }
  const d = tempRepo(files);
  dirs.push(d);
  return d;
}

function bin(cwd: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

function binAsync(cwd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function hook(d: string, name: string, script: string) {
  write(d, `.git/hooks/${name}`, `#!/bin/sh\n${script}\n`);
  chmodSync(join(d, '.git/hooks', name), 0o755);
}

describe('apply: failure points', () => {
  it('before the first write: a file changed since the plan was made refuses the whole plan', async () => {
    const d = repo();
    const p = await cli(d, ['assign', 'WO-1', 'WO-2', '--track', 'billing', '--plan-out', 'plan.json']);
    expect(p.code).toBe(0);
    expect(p.stderr).toContain('Plan saved to plan.json; apply it with `tracks apply plan.json`. No files changed.');
    write(d, 'work_orders/WO-2.md', read(d, 'work_orders/WO-2.md') + 'edited\n');
    git(d, 'commit', '-qam', 'edit');
    const h = head(d);
    const r = await cli(d, ['apply', 'plan.json', '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('1 file changed since the plan was made: work_orders/WO-2.md (changed) [PLAN_STALE]');
    expect(r.stderr).toContain('No files changed.');
    expect(head(d)).toBe(h);
    expect(status(d)).toBe('?? plan.json\n');
  });

  it('between writes: a failed write (disk full) puts back the files already written', async () => {
    const d = repo();
    const h = head(d);
    const r = await cli(d, ['organize', '--yes'], { env: { TRACKS_TEST_FAIL_WRITE: '3:ENOSPC' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/writing \S+ failed \(no space left on device\); the 2 files already written were put back as they were\. No files changed\. \[WRITE_FAILED\]/);
    expect(r.stderr).toContain('Free some disk space');
    expect(head(d)).toBe(h);
    expect(status(d)).toBe('');
  });

  it('a pre-commit hook that refuses: says so with its output, puts the files back, and the command can run again', async () => {
    const d = repo();
    hook(d, 'pre-commit', 'echo "lint: 3 problems" >&2\necho "see lint.log" >&2\nexit 1');
    const h = head(d);
    const before = read(d, 'tracks/0001_FEAT_billing.md');
    const r = await cli(d, ['start', 'billing']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('a git hook refused the commit; it said:\n  lint: 3 problems\n  see lint.log\nThe files were put back as they were. No files changed. [HOOK_REFUSED]');
    expect(r.stderr).toContain('pass --no-commit');
    expect(head(d)).toBe(h);
    expect(status(d)).toBe('');
    expect(read(d, 'tracks/0001_FEAT_billing.md')).toBe(before);
    rmSync(join(d, '.git/hooks/pre-commit'));
    const again = await cli(d, ['start', 'billing']);
    expect(again.code).toBe(0);
    expect(count(d)).toBe(2);
  });

  it('a failure after the commit: names the commit and what to run, never undoes it', async () => {
    const d = repo();
    // A post-commit hook that leaves git's index locked, so updating the index afterwards fails.
    hook(d, 'post-commit', ': > "$(git rev-parse --git-dir)/index.lock"');
    const h = head(d);
    const r = await cli(d, ['assign', 'WO-1', '--track', 'billing']);
    expect(r.code).toBe(2);
    const made = head(d);
    expect(made).not.toBe(h);
    expect(r.stderr).toContain(`committed ${made.slice(0, 7)} "tracks: assign WO-1 to billing", but updating git's index afterwards failed`);
    expect(r.stderr).toContain('until it is fixed, `git status` shows the committed files as staged changes that would undo the commit [COMMITTED_INCOMPLETE]');
    expect(r.stderr).toContain('hint: Another git process holds index.lock; when it has finished (or, if none is running, after removing the lock file), run `git reset -q -- work_orders/WO-1.md` to make the index agree with the commit. The files themselves are right.');
    expect(r.stderr).not.toContain('No files changed');
    expect(read(d, 'work_orders/WO-1.md')).toContain('track: billing');
    expect(git(d, 'show', 'HEAD:work_orders/WO-1.md')).toContain('track: billing');
    // Following the hint leaves a clean repository holding the change.
    rmSync(join(d, '.git/index.lock'));
    rmSync(join(d, '.git/hooks/post-commit'));
    git(d, 'reset', '-q', '--', 'work_orders/WO-1.md');
    expect(status(d)).toBe('');
  });

  it('commits exactly its own paths: other staged work stays staged and out of the commit', async () => {
    const d = repo();
    write(d, 'notes.txt', 'mine\n');
    git(d, 'add', 'notes.txt');
    const r = await cli(d, ['assign', 'WO-1', 'WO-2', '--track', 'billing']);
    expect(r.code).toBe(0);
    expect(git(d, 'show', '--name-only', '--format=', 'HEAD').trim().split('\n')).toEqual(['work_orders/WO-1.md', 'work_orders/WO-2.md']);
    expect(status(d)).toBe('A  notes.txt\n');
  });

  it('refuses, before writing, what check would call an error: two active tracks under single_active_track', async () => {
    const d = repo({ 'tracks.config.yaml': 'single_active_track: true\n' });
    expect((await cli(d, ['start', 'billing'])).code).toBe(0);
    const r = await cli(d, ['start', 'search']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[SINGLE_ACTIVE]');
    expect(status(d)).toBe('');
  });
});

describe('apply: files it will not touch', () => {
  it('keeps a file mode, refuses a read-only file, never writes through or replaces a link', async () => {
    const outside = join(tmpdir(), `tracks-outside-${process.pid}-${Date.now()}`);
    mkdirSync(outside, { recursive: true });
    try {
      const d = repo();
      chmodSync(join(d, 'work_orders/WO-1.md'), 0o600);
      chmodSync(join(d, 'work_orders/WO-2.md'), 0o755);
      git(d, 'add', '-A');
      git(d, 'commit', '-qm', 'modes');
      expect((await cli(d, ['assign', 'WO-1', 'WO-2', '--track', 'billing'])).code).toBe(0);
      expect(statSync(join(d, 'work_orders/WO-1.md')).mode & 0o777).toBe(0o600);
      expect(statSync(join(d, 'work_orders/WO-2.md')).mode & 0o777).toBe(0o755);
      expect(git(d, 'ls-files', '-s', 'work_orders/WO-2.md')).toMatch(/^100755 /);

      chmodSync(join(d, 'work_orders/WO-4.md'), 0o444);
      const ro = await cli(d, ['assign', 'WO-4', '--track', 'billing']);
      expect(ro.code).toBe(2);
      expect(ro.stderr).toContain('work_orders/WO-4.md: is read-only (mode 444); tracks does not replace a file you made read-only [UNSAFE_PATH]');
      // A dry run checks what applying would check, and says the same.
      const dry = await cli(d, ['assign', 'WO-4', '--track', 'billing', '--dry-run']);
      expect(dry.code).toBe(2);
      expect(dry.stderr).toContain('work_orders/WO-4.md: is read-only (mode 444); tracks does not replace a file you made read-only [UNSAFE_PATH]');
      chmodSync(join(d, 'work_orders/WO-4.md'), 0o644);

      // A work order that is a committed link to a file outside: read as a link, never replaced by a file.
      writeFileSync(join(outside, 'secret.md'), '---\nid: WO-99\ntitle: Outside\n---\n');
      symlinkSync(join(outside, 'secret.md'), join(d, 'work_orders/WO-99.md'));
      git(d, 'add', '-A');
      git(d, 'commit', '-qm', 'link');
      const link = await cli(d, ['assign', 'WO-99', '--track', 'billing']);
      expect(link.code).toBe(2);
      const dryLink = await cli(d, ['assign', 'WO-99', '--track', 'billing', '--dry-run']);
      expect(dryLink.code).toBe(2);
      expect(dryLink.stderr).toBe(link.stderr);
      expect(lstatSync(join(d, 'work_orders/WO-99.md')).isSymbolicLink()).toBe(true);
      expect(git(d, 'ls-files', '-s', 'work_orders/WO-99.md')).toMatch(/^120000 /);

      // tracks/ replaced by a link to a directory outside the repository: nothing is written there.
      const d2 = repo();
      rmSync(join(d2, 'tracks'), { recursive: true });
      symlinkSync(outside, join(d2, 'tracks'));
      const created = await cli(d2, ['create', '--name', 'Escape', '--type', 'FEAT', '--no-commit']);
      expect(created.code).toBe(2);
      expect(created.stderr).toContain('tracks/ is a symbolic link [UNSAFE_PATH]');
      expect(readdirSync(outside)).toEqual(['secret.md']);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('keeps bytes that are not UTF-8 outside the edited line', async () => {
    const d = repo();
    const bytes = Buffer.concat([Buffer.from('---\nid: WO-50\ntitle: caf'), Buffer.from([0xe9]), Buffer.from('\nstatus: ready\n---\n\nbody \xff\n', 'latin1')]);
    writeFileSync(join(d, 'work_orders/WO-50.md'), bytes);
    git(d, 'add', '-A');
    git(d, 'commit', '-qm', 'latin1');
    expect((await cli(d, ['assign', 'WO-50', '--track', 'billing'])).code).toBe(0);
    const committed = spawnSync('git', ['show', 'HEAD:work_orders/WO-50.md'], { cwd: d }).stdout as Buffer;
    expect(committed.equals(Buffer.concat([bytes.subarray(0, bytes.indexOf('---\n\nbody')), Buffer.from('track: billing\n'), bytes.subarray(bytes.indexOf('---\n\nbody'))]))).toBe(true);
  });
});

describe('apply: plan files', () => {
  it('a hand-edited plan is refused: another key, a rewritten work order, a planted file; /dev/zero is not read', async () => {
    const d = repo();
    expect((await cli(d, ['assign', 'WO-1', '--track', 'billing', '--plan-out', 'p.json'])).code).toBe(0);
    const plan = JSON.parse(read(d, 'p.json'));
    const tamper = async (edit: (p: typeof plan) => void) => {
      const x = structuredClone(plan);
      edit(x);
      write(d, 'bad.json', JSON.stringify(x));
      return cli(d, ['apply', 'bad.json', '--yes']);
    };
    const key = await tamper((x) => (x.changes[0].key = 'title'));
    expect(key.stderr).toContain('tracks writes only "track" [PLAN_REFUSED]');
    const rewrite = await tamper((x) => (x.changes[0] = { path: 'work_orders/WO-1.md', action: 'update', baseHash: x.changes[0].baseHash, content: '---\nid: WO-1\ntitle: pwned\n---\n' }));
    expect(rewrite.stderr).toContain('an assign plan may not write this file [PLAN_REFUSED]');
    const plant = await tamper((x) => x.changes.push({ path: 'tracks/0009_FEAT_x.md', action: 'create', baseHash: null, content: '---\nname: X\n---\n' }));
    expect(plant.stderr).toContain('an assign plan may not create a track file [PLAN_REFUSED]');
    expect(status(d)).toBe('?? bad.json\n?? p.json\n');
    const zero = await cli(d, ['apply', '/dev/zero', '--yes']);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain('cannot read /dev/zero: not a regular file [PLAN_NOT_FOUND]');
    const ok = await cli(d, ['apply', 'p.json', '--yes']);
    expect(ok.stdout).toContain('An assign plan: 1 file to change.\n  1 work order: track → billing');
    expect(ok.code).toBe(0);
  });
});

describe('apply: killed at every phase', () => {
  const PHASES = [
    ['after-journal', 'undone'],
    ['mid-write', 'undone'],
    ['after-write', 'undone'],
    ['after-commit', 'finished'],
    ['after-index', 'finished'],
  ] as const;
  for (const [phase, outcome] of PHASES) {
    it(`SIGKILL ${phase}: the next command ${outcome === 'undone' ? 'undoes' : 'finishes'} the change and says so`, () => {
      const d = repo();
      const h = head(d);
      const killed = bin(d, ['organize', '--yes'], { TRACKS_TEST_CRASH_AT: phase });
      expect(killed.signal).toBe('SIGKILL');
      const next = bin(d, ['list', '--tracks']);
      expect(next.code).toBe(0);
      if (outcome === 'undone') {
        expect(next.stderr).toMatch(/^Undid an interrupted `tracks organize --yes` \(pid \d+, started .*\): nothing was committed; /m);
        expect(head(d)).toBe(h);
        expect(ls(d, 'tracks')).toEqual(['0001_FEAT_billing.md', '0002_FEAT_search.md']);
      } else {
        expect(next.stderr).toMatch(/^Finished an interrupted `tracks organize --yes` \(pid \d+, started .*\): its commit [0-9a-f]{7} was made; /m);
        expect(count(d)).toBe(2);
        expect(git(d, 'log', '-1', '--format=%s')).toMatch(/^tracks organize/);
      }
      // Never a temp file, never an index out of step with HEAD, never a journal left.
      expect(status(d)).toBe('');
      expect(existsSync(join(d, '.git/tracks/change-journal.json'))).toBe(false);
      expect(readdirSync(join(d, '.git')).filter((n) => n.startsWith('tracks-index'))).toEqual([]);
      expect(bin(d, ['check']).code).toBe(0);
    });
  }
});

describe('apply: several writers at once', () => {
  const ROUNDS = 3;
  it(`${ROUNDS} rounds of 6 assigns of different work orders started together: every one lands in its own commit`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const d = repo();
      const ids = [1, 2, 4, 5, 7, 8];
      const runs = await Promise.all(ids.map((i) => binAsync(d, ['assign', `WO-${i}`, '--track', i % 2 ? 'billing' : 'search'])));
      for (const r of runs) expect(r.code, r.stderr).toBe(0);
      expect(count(d)).toBe(1 + ids.length);
      for (const i of ids) expect(read(d, `work_orders/WO-${i}.md`)).toContain(`track: ${i % 2 ? 'billing' : 'search'}`);
      expect(status(d)).toBe('');
      // Each commit holds exactly one work order.
      const files = git(d, 'log', `-${ids.length}`, '--name-only', '--format=').trim().split('\n').filter(Boolean).sort();
      expect(files).toEqual(ids.map((i) => `work_orders/WO-${i}.md`).sort());
    }
  });

  it(`${ROUNDS} rounds: two creates started together get different numbers; two starts under single_active_track: exactly one wins`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const d = repo({ 'tracks.config.yaml': 'single_active_track: true\n' });
      const created = await Promise.all(['Alpha', 'Beta'].map((n) => binAsync(d, ['create', '--name', n, '--type', 'FEAT'])));
      for (const r of created) expect(r.code, r.stderr).toBe(0);
      expect(ls(d, 'tracks').filter((f) => /alpha|beta/.test(f)).map((f) => f.slice(0, 4)).sort()).toEqual(['0003', '0004']);
      const started = await Promise.all(['billing', 'search'].map((s) => binAsync(d, ['start', s])));
      expect(started.map((r) => r.code).sort()).toEqual([0, 1]);
      expect(started.find((r) => r.code === 1)!.stderr).toContain('[SINGLE_ACTIVE]');
      expect(bin(d, ['check']).code).toBe(0);
      expect(status(d)).toBe('');
    }
  });

  it('a writer that cannot get the lock in time names the holder; a lock left by a dead process is taken over', async () => {
    const d = repo();
    const lockDir = join(d, '.git', 'tracks');
    const release = await acquireLock({ dir: lockDir, command: 'tracks organize --yes (test)' });
    try {
      const r = await cli(d, ['assign', 'WO-1', '--track', 'billing'], { env: { TRACKS_LOCK_WAIT_MS: '300' } });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^Waiting for pid \d+ \(tracks organize --yes \(test\), since .*\) to finish writing \(up to 0 s\)…$/m);
      expect(r.stderr).toMatch(/another tracks command is writing to this repository: pid \d+ \(tracks organize --yes \(test\), since .*\) \[LOCKED\]/);
      expect(status(d)).toBe('');
    } finally {
      await release();
    }
    // A holder that died (SIGKILL leaves its lock behind).
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    mkdirSync(join(lockDir, 'repository.lock'), { recursive: true });
    writeFileSync(join(lockDir, 'repository.holder.json'), JSON.stringify({ pid: dead, host: (await import('node:os')).hostname(), command: 'tracks assign (killed)', since: '2026-12-01T00:00:00Z' }));
    const r = await cli(d, ['assign', 'WO-1', '--track', 'billing']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`Taking over the repository lock left by pid ${dead} (tracks assign (killed), since 2026-12-01T00:00:00Z), which is no longer running.`);
  });
});
