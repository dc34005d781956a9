/**
 * Claims against real repositories: branches, linked work trees, clones that
 * claim the same track without seeing each other, and check after every step.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { parse } from 'yaml';
import { cli, git, read, removeRepo, tempRepo, track, wo, write } from '../helpers/repo.js';

const AUTH = 'tracks/0001_FEAT_auth.md';
const BILLING = 'tracks/0002_FEAT_billing.md';
const fm = (text: string) => parse(text.split(/^---$/m)[1]!) as Record<string, unknown>;

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeRepo));
const keep = (d: string) => (dirs.push(d), d);

function repo(config = '') {
  const dir = keep(
    tempRepo({
      ...(config ? { 'tracks.config.yaml': config } : {}),
      [AUTH]: track('Auth', { status: 'ready', scope: '[src/auth/**]' }),
      [BILLING]: track('Billing', { status: 'draft', scope: "[src/billing/**, '!src/billing/legacy/**']" }),
      'work_orders/WO-1.md': wo('WO-1', { track: 'auth' }),
      'work_orders/WO-2.md': wo('WO-2', { track: 'billing', depends_on: '[WO-1]' }),
      'src/auth/login.ts': 'export const login = 1;\n',
      'src/billing/pay.ts': 'export const pay = 1;\n',
    }),
  );
  // Linked work trees go beside the repository: keep them in a directory of their own.
  return realpathSync(dir);
}

async function ok(dir: string, args: string[], env?: Record<string, string>) {
  const r = await cli(dir, args, { env });
  expect(r.code, `${args.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r;
}

/** check after every step: lifecycle, claims and scope stay consistent. */
async function clean(dir: string, args: string[] = []) {
  const r = await cli(dir, ['check', '--format', 'json', ...args]);
  const ds = problems(r.stdout);
  expect(ds.filter((d) => d.severity === 'error'), r.stdout).toEqual([]);
  expect(r.code, r.stdout).toBe(0);
  return ds;
}

interface Problem {
  file: string;
  code: string;
  severity: string;
  message: string;
}
const problems = (json: string) => (JSON.parse(json) as { problems: Problem[] }).problems;

const branches = (dir: string) => git(dir, 'for-each-ref', '--format=%(refname:short)', 'refs/heads/').trim().split('\n');

describe('tracks claim', () => {
  it('records the claim, starts the track, commits it, and creates the branch and work tree from that commit', async () => {
    const dir = repo();
    const r = await ok(dir, ['claim', 'auth', '--as', 'agent-1', '--worktree', '--reason', 'first come']);
    const data = fm(read(dir, AUTH));
    expect(data).toMatchObject({ status: 'active', claimed_by: 'agent-1', branch: 'tracks/auth' });
    expect(data.claimed_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect((data.history as object[]).at(-1)).toMatchObject({ from: 'ready', to: 'active', event: 'claim', claimed_by: 'agent-1', branch: 'tracks/auth', reason: 'first come', by: 'Test User <test@example.com>' });
    const head = git(dir, 'rev-parse', 'HEAD').trim();
    expect(git(dir, 'log', '-1', '--format=%s').trim()).toBe('tracks: claim auth for agent-1 on tracks/auth (ready → active)');
    expect(git(dir, 'show', '--name-only', '--format=', 'HEAD').trim()).toBe(AUTH);
    // The branch starts with the claim recorded.
    expect(git(dir, 'rev-parse', 'tracks/auth').trim()).toBe(head);
    const wt = join(dirname(dir), `${basename(dir)}-auth`);
    keep(wt);
    expect(existsSync(join(wt, AUTH))).toBe(true);
    expect(git(wt, 'rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe('tracks/auth');
    expect(fm(read(wt, AUTH)).claimed_by).toBe('agent-1');
    expect(r.stdout).toContain(`added work tree ${wt} on tracks/auth`);
    expect(git(dir, 'status', '--porcelain').trim()).toBe('');
    await clean(dir);
    await clean(wt);

    // JSON of `claims`: the branch exists, nothing ahead yet.
    const list = JSON.parse((await ok(dir, ['claims', '--format', 'json'])).stdout);
    expect(list).toMatchObject({ version: 1, base: 'main', claims: [{ track: 'auth', status: 'active', claimed_by: 'agent-1', branch: 'tracks/auth', branch_exists: true, ahead: 0, behind: 0, merged: false }] });

    // Work on the branch: ahead; then merged back: merged.
    write(wt, 'src/auth/login.ts', 'export const login = 2;\n');
    git(wt, 'commit', '-qam', 'auth work');
    await clean(wt, ['--staged']);
    expect(JSON.parse((await ok(dir, ['claims', '--format', 'json'])).stdout).claims[0]).toMatchObject({ ahead: 1, behind: 0, merged: false });
    // Claiming it again from main, after work on the branch: already held, the branch is left as it is.
    const tip = git(dir, 'rev-parse', 'tracks/auth').trim();
    const again = await ok(dir, ['claim', 'auth', '--as', 'agent-1']);
    expect(again.stderr).toContain('auth is already claimed by agent-1 on branch tracks/auth. No files changed.');
    expect(git(dir, 'rev-parse', 'tracks/auth').trim()).toBe(tip);
    git(dir, 'merge', '-q', '--no-edit', 'tracks/auth');
    expect(JSON.parse((await ok(dir, ['claims', '--format', 'json'])).stdout).claims[0]).toMatchObject({ ahead: 0, merged: true });
    await clean(dir);
  });

  it('refuses a track someone else holds, naming who, since when and where; --steal needs and records a reason', async () => {
    const dir = repo();
    await ok(dir, ['claim', 'auth', '--as', 'agent-1']);
    const since = fm(read(dir, AUTH)).claimed_at as string;
    // From another branch of the repository, where the claim is not in the files.
    git(dir, 'checkout', '-q', '-b', 'elsewhere', 'HEAD~1');
    expect(fm(read(dir, AUTH)).claimed_by).toBeUndefined();
    const before = git(dir, 'rev-parse', 'HEAD').trim();
    const r = await cli(dir, ['claim', 'auth', '--as', 'agent-2']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`[CLAIMED]`);
    expect(r.stderr).toContain(`claimed by agent-1 since ${since} on branch tracks/auth`);
    expect(r.stderr).toContain('branch main');
    expect(r.stderr).toContain('No files changed.');
    expect(git(dir, 'rev-parse', 'HEAD').trim()).toBe(before);

    const noReason = await cli(dir, ['claim', 'auth', '--as', 'agent-2', '--steal']);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain('[REASON_REQUIRED]');

    await ok(dir, ['claim', 'auth', '--as', 'agent-2', '--steal', '--reason', 'agent-1 stopped', '--branch', 'tracks/auth-2']);
    const h = (fm(read(dir, AUTH)).history as Record<string, unknown>[]).at(-1)!;
    expect(h).toMatchObject({ event: 'claim', claimed_by: 'agent-2', reason: 'agent-1 stopped', stolen_from: { claimed_by: 'agent-1', branch: 'tracks/auth', claimed_at: since } });
    await clean(dir);
    // Over every branch together the steal ended agent-1's claim: one live claim.
    const list = JSON.parse((await ok(dir, ['claims', '--format', 'json'])).stdout);
    expect(list.claims.map((c: { claimed_by: string }) => c.claimed_by)).toEqual(['agent-2']);
    // Claiming again as the holder changes nothing.
    const again = await ok(dir, ['claim', 'auth', '--as', 'agent-2', '--branch', 'tracks/auth-2']);
    expect(again.stderr).toContain('already claimed by agent-2');
  });

  it('release ends the claim (keeps the branch key); --complete asks for --force while work is open', async () => {
    const dir = repo();
    await ok(dir, ['claim', 'auth', '--as', 'agent-1']);
    const refused = await cli(dir, ['release', 'auth', '--complete']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('[NEEDS_FORCE]');
    await ok(dir, ['release', 'auth', '--reason', 'handing over']);
    const data = fm(read(dir, AUTH));
    expect(data.claimed_by).toBeUndefined();
    expect(data.claimed_at).toBeUndefined();
    expect(data).toMatchObject({ status: 'active', branch: 'tracks/auth' });
    expect((data.history as object[]).at(-1)).toMatchObject({ event: 'release', claimed_by: 'agent-1', reason: 'handing over' });
    await clean(dir);
    const none = await cli(dir, ['release', 'auth']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('[NOT_CLAIMED]');
    // Re-claim on the old branch (it has nothing of its own: it moves forward), then release and complete.
    await ok(dir, ['claim', 'auth', '--as', 'agent-3']);
    expect(git(dir, 'rev-parse', 'tracks/auth').trim()).toBe(git(dir, 'rev-parse', 'HEAD').trim());
    write(dir, 'work_orders/WO-1.md', wo('WO-1', { track: 'auth', status: 'done' }));
    git(dir, 'commit', '-qam', 'done');
    const j = JSON.parse((await ok(dir, ['release', 'auth', '--complete', '--format', 'json'])).stdout);
    expect(j).toMatchObject({ kind: 'release', outcome: 'committed', track: 'auth', released: { by: 'agent-3', branch: 'tracks/auth' }, completed: true, status: { from: 'active', to: 'completed' } });
    expect(fm(read(dir, AUTH)).status).toBe('completed');
    await clean(dir);
    expect(JSON.parse((await ok(dir, ['claims', '--format', 'json'])).stdout).claims).toEqual([]);
  });

  it('single_active_track holds for claims unless claims.parallel says they may run side by side', async () => {
    const dir = repo('single_active_track: true\n');
    await ok(dir, ['claim', 'auth', '--as', 'a']);
    const r = await cli(dir, ['claim', 'billing', '--as', 'b']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[SINGLE_ACTIVE]');
    expect(r.stderr).toContain('claims.parallel');
    await clean(dir);

    const par = repo('single_active_track: true\nclaims:\n  parallel: true\n  branch: work/{name}/{slug}\n');
    await ok(par, ['claim', 'auth', '--as', 'Agent One']);
    await ok(par, ['claim', 'billing', '--as', 'b']);
    expect(branches(par)).toEqual(expect.arrayContaining(['work/agent-one/auth', 'work/b/billing']));
    await clean(par);
    // Unclaimed active tracks still count against the limit.
    await ok(par, ['release', 'billing']);
    await clean(par);
    // Releasing the other would leave two unclaimed active tracks: refused by check's rules.
    const r2 = await cli(par, ['release', 'auth']);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain('[RULES_BROKEN]');
    expect(r2.stderr).toContain('track/multiple-active');
  });

  it('refuses a branch with commits of its own and a work-tree directory in use, before writing anything', async () => {
    const dir = repo();
    git(dir, 'branch', 'tracks/auth');
    git(dir, 'checkout', '-q', 'tracks/auth');
    write(dir, 'src/auth/x.ts', 'x\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'own work');
    git(dir, 'checkout', '-q', 'main');
    const head = git(dir, 'rev-parse', 'HEAD').trim();
    const r = await cli(dir, ['claim', 'auth', '--as', 'a']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[BRANCH_EXISTS]');
    expect(git(dir, 'rev-parse', 'HEAD').trim()).toBe(head);
    const used = mkdtempSync(join(tmpdir(), 'tracks-used-'));
    keep(used);
    write(used, 'x', 'y');
    const w = await cli(dir, ['claim', 'auth', '--as', 'a', '--branch', 'tracks/auth-new', '--worktree', used]);
    expect(w.code).toBe(2);
    expect(w.stderr).toContain('[WORKTREE_UNAVAILABLE]');
    expect(git(dir, 'rev-parse', 'HEAD').trim()).toBe(head);
    // --branch with the existing branch: used as it is.
    const kept = await ok(dir, ['claim', 'auth', '--as', 'a', '--branch', 'tracks/auth']);
    expect(kept.stdout).toContain('keep branch tracks/auth as it is');
    await clean(dir);
  });

  it('two claims made where neither saw the other, merged: check reports the conflict, doctor says how to settle it', async () => {
    const dir = repo();
    const clone = keep(mkdtempSync(join(tmpdir(), 'tracks-clone-')));
    git(clone, 'clone', '-q', dir, '.');
    git(clone, 'config', 'user.name', 'Other');
    git(clone, 'config', 'user.email', 'other@example.com');
    await ok(dir, ['claim', 'auth', '--as', 'agent-1']);
    await new Promise((r) => setTimeout(r, 1100));
    await ok(clone, ['claim', 'auth', '--as', 'agent-2', '--branch', 'tracks/auth-2']);
    git(dir, 'fetch', '-q', clone, 'main:theirs');
    // Both sides changed the same lines: git stops the merge instead of merging silently.
    expect(() => git(dir, 'merge', '-q', '--no-edit', 'theirs')).toThrow();
    expect(git(dir, 'diff', '--name-only', '--diff-filter=U').trim()).toBe(AUTH);
    git(dir, 'merge', '--abort');
    // Resolving by keeping both sides (what "accept both" does with an appended list) leaves two live claims.
    git(dir, 'merge', '-q', '--no-edit', '-X', 'ours', 'theirs');
    const ours = read(dir, AUTH);
    const theirs = git(dir, 'show', `theirs:${AUTH}`);
    const theirEntry = theirs.slice(theirs.indexOf('  - at:', theirs.indexOf('history:')), theirs.indexOf('\nclaimed_by:', theirs.indexOf('history:')));
    write(dir, AUTH, ours.replace(/\nclaimed_by:/, `\n${theirEntry.trimEnd()}\nclaimed_by:`));
    git(dir, 'commit', '-qam', 'keep both');
    const check = await cli(dir, ['check', '--format', 'json']);
    expect(check.code).toBe(1);
    const conflict = problems(check.stdout).find((d) => d.code === 'track/claim-conflict');
    expect(conflict?.file).toBe(AUTH);
    expect(conflict?.message).toMatch(/claimed 2 times at once: agent-1 since .* on branch tracks\/auth; agent-2 since .* on branch tracks\/auth-2/);
    const doc = await cli(dir, ['doctor', '--format', 'json']);
    expect(doc.code).toBe(1);
    const problem = JSON.parse(doc.stdout).problems.find((p: { kind: string }) => p.kind === 'claimed-twice');
    expect(problem.manual).toContain('tracks release auth --as "agent-2"');
    await ok(dir, ['release', 'auth', '--as', 'agent-2', '--reason', 'agent-1 keeps it']);
    expect(fm(read(dir, AUTH)).claimed_by).toBe('agent-1');
    await clean(dir);
  });
});

describe('scope', () => {
  it('check warns when two live tracks overlap, naming a pattern both match', async () => {
    const dir = repo();
    write(dir, BILLING, track('Billing', { status: 'active', scope: "[src/**, '!src/auth/legacy/**']" }));
    git(dir, 'commit', '-qam', 'wide scope');
    await ok(dir, ['start', 'auth']);
    const ds = await clean(dir);
    const w = ds.filter((d) => d.code === 'track/scope-overlap');
    expect(w).toHaveLength(1);
    expect(w[0]!.severity).toBe('warning');
    expect(w[0]!.message).toContain('both match src/auth/**');
    // A track that is not live (draft, unclaimed) does not count.
    await ok(dir, ['pause', 'auth']);
    expect((await clean(dir)).filter((d) => d.code === 'track/scope-overlap')).toEqual([]);
  });

  it('check --staged on a claimed branch warns about staged files outside the scope; --strict-scope makes it an error', async () => {
    const dir = repo();
    await ok(dir, ['claim', 'auth', '--as', 'agent-1']);
    git(dir, 'checkout', '-q', 'tracks/auth');
    write(dir, 'src/auth/login.ts', 'export const login = 3;\n');
    write(dir, 'work_orders/WO-1.md', wo('WO-1', { track: 'auth', status: 'in-progress' }));
    git(dir, 'add', '-A');
    expect((await clean(dir, ['--staged'])).filter((d) => d.code === 'track/outside-scope')).toEqual([]);
    write(dir, 'src/billing/pay.ts', 'export const pay = 2;\n');
    git(dir, 'add', '-A');
    const ds = await clean(dir, ['--staged']);
    const out = ds.filter((d) => d.code === 'track/outside-scope');
    expect(out.map((d) => d.file)).toEqual(['src/billing/pay.ts']);
    expect(out[0]!.message).toContain('claimed by agent-1 on this branch (tracks/auth): src/auth/**');
    const strict = await cli(dir, ['check', '--staged', '--strict-scope']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('track/outside-scope');
    // On another branch nothing is claimed: no scope guard.
    git(dir, 'stash', '-q');
    git(dir, 'checkout', '-q', 'main');
    git(dir, 'stash', 'pop', '-q');
    git(dir, 'add', '-A');
    expect((await clean(dir, ['--staged'])).filter((d) => d.code === 'track/outside-scope')).toEqual([]);
  });
});

describe('numbers across branches and work trees', () => {
  it('create takes a number no local branch or work tree uses', async () => {
    const dir = repo();
    git(dir, 'checkout', '-q', '-b', 'feature');
    await ok(dir, ['create', '-n', 'Feature track', '-T', 'FEAT']);
    git(dir, 'checkout', '-q', 'main');
    // A work tree with a track created but not committed.
    const wt = keep(join(dirname(dir), `${basename(dir)}-wt`));
    git(dir, 'worktree', 'add', '-q', '-b', 'other', wt);
    await ok(wt, ['create', '-n', 'Uncommitted', '-T', 'FEAT', '--no-commit']);
    const r = await ok(dir, ['create', '-n', 'Main track', '-T', 'FEAT']);
    expect(r.stdout.trim()).toBe('tracks/0005_FEAT_main-track.md');
    await clean(dir);
  });
});
