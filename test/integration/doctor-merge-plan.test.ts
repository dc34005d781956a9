/**
 * doctor and merge-plan against real branches: tracks created on two branches
 * that did not see each other, duplicate work-order ids, and three track
 * branches of which two change the same line of one file.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, git, ls, removeRepo, tempRepo, track, wo, write } from '../helpers/repo.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeRepo));
const keep = (d: string) => (dirs.push(d), d);

async function ok(dir: string, args: string[]) {
  const r = await cli(dir, args);
  expect(r.code, `${args.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r;
}
const errors = async (dir: string) => (JSON.parse((await cli(dir, ['check', '--format', 'json'])).stdout) as { problems: { code: string; severity: string; file: string }[] }).problems.filter((p) => p.severity === 'error');

function base() {
  return keep(
    tempRepo({
      'tracks/0001_FEAT_core.md': track('Core', { status: 'active' }),
      'work_orders/WO-1.md': wo('WO-1', { track: 'core' }),
    }),
  );
}

/** A clone that works without seeing the original's branches (another machine). */
function otherMachine(dir: string): string {
  const c = keep(mkdtempSync(join(tmpdir(), 'tracks-other-')));
  git(c, 'clone', '-q', dir, '.');
  git(c, 'config', 'user.name', 'Other');
  git(c, 'config', 'user.email', 'other@example.com');
  return c;
}

describe('tracks doctor', () => {
  it('branches A and B each create a track from the same base; merged, check reports the duplicate number; doctor --fix repairs it in one commit', async () => {
    const dir = base();
    const other = otherMachine(dir);
    git(dir, 'checkout', '-q', '-b', 'A');
    await ok(dir, ['create', '-n', 'Alpha', '-T', 'FEAT', '--status', 'active']);
    expect(await errors(dir)).toEqual([]);
    git(other, 'checkout', '-q', '-b', 'B');
    await new Promise((r) => setTimeout(r, 1100)); // B's track is the newer one
    await ok(other, ['create', '-n', 'Beta', '-T', 'FEAT', '--status', 'active']);
    expect(await errors(other)).toEqual([]);
    git(dir, 'fetch', '-q', other, 'B:B');
    git(dir, 'checkout', '-q', 'main');
    // Before the merge, doctor sees the collision between the two branches.
    const early = JSON.parse((await cli(dir, ['doctor', '--format', 'json'])).stdout);
    expect(early.problems.map((p: { kind: string }) => p.kind)).toEqual(['duplicate-number']);
    expect(early.problems[0].manual).toContain('run `tracks doctor --fix` on branch B');
    git(dir, 'merge', '-q', '--no-edit', 'A');
    git(dir, 'merge', '-q', '--no-edit', 'B');
    expect(ls(dir, 'tracks')).toEqual(['0001_FEAT_core.md', '0002_FEAT_alpha.md', '0002_FEAT_beta.md']);
    expect((await errors(dir)).map((e) => e.code)).toEqual(['track/duplicate-number']);

    const look = await cli(dir, ['doctor']);
    expect(look.code).toBe(1);
    expect(look.stdout).toContain('fix: tracks/0002_FEAT_beta.md → tracks/0003_FEAT_beta.md');
    const commits = Number(git(dir, 'rev-list', '--count', 'HEAD').trim());
    const fix = await cli(dir, ['doctor', '--fix', '--format', 'json']);
    expect(fix.code, fix.stderr).toBe(0);
    const j = JSON.parse(fix.stdout);
    expect(j.problems).toEqual([expect.objectContaining({ kind: 'duplicate-number', fix: { from: 'tracks/0002_FEAT_beta.md', to: 'tracks/0003_FEAT_beta.md' }, fixed: true })]);
    expect(Number(git(dir, 'rev-list', '--count', 'HEAD').trim())).toBe(commits + 1);
    expect(git(dir, 'rev-parse', 'HEAD').trim()).toBe(j.commit);
    expect(git(dir, 'show', '--name-status', '--format=', '-M', 'HEAD').trim()).toMatch(/^R100\ttracks\/0002_FEAT_beta\.md\ttracks\/0003_FEAT_beta\.md$/);
    expect(git(dir, 'status', '--porcelain').trim()).toBe('');
    expect(await errors(dir)).toEqual([]);
    expect((await cli(dir, ['doctor'])).code).toBe(0);
  });

  it('reports what it cannot fix safely with the manual step: a duplicate slug, a duplicate work-order id', async () => {
    const dir = base();
    const other = otherMachine(dir);
    git(dir, 'checkout', '-q', '-b', 'A');
    write(dir, 'work_orders/WO-7.md', wo('WO-7', { track: 'core' }));
    await ok(dir, ['create', '-n', 'Search', '-T', 'FEAT']);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'A work');
    git(other, 'checkout', '-q', '-b', 'B');
    write(other, 'work_orders/WO-7-export.md', wo('WO-7', { track: 'core' }));
    await ok(other, ['create', '-n', 'Search', '-T', 'RESEARCH']);
    git(other, 'add', '-A');
    git(other, 'commit', '-qm', 'B work');
    git(dir, 'fetch', '-q', other, 'B:B');
    const r = await cli(dir, ['doctor', '--format', 'json']);
    expect(r.code).toBe(1);
    const kinds = JSON.parse(r.stdout).problems.map((p: { kind: string; manual: string | null }) => [p.kind, p.manual !== null]);
    expect(kinds).toEqual(expect.arrayContaining([['duplicate-slug', true], ['duplicate-id', true]]));
    const text = (await cli(dir, ['doctor'])).stdout;
    expect(text).toContain('track slug "search" is used by 2 different tracks');
    expect(text).toContain('work-order id WO-7 is used by');
    expect(text).toMatch(/by hand: Give work_orders\/WO-7(-export)?\.md a new id on (branch [AB]|this work tree)/);
    // --fix repairs the number and leaves the rest, still exiting 1.
    const fixed = await cli(dir, ['doctor', '--fix']);
    expect(fixed.code).toBe(1);
  });
});

describe('tracks merge-plan', () => {
  it('three track branches, two of which edit the same line: order, conflicts and the pair to resolve together', async () => {
    const dir = keep(
      tempRepo({
        'tracks/0001_FEAT_api.md': track('API', { status: 'ready', scope: '[src/api/**]' }),
        'tracks/0002_FEAT_ui.md': track('UI', { status: 'ready', scope: '[src/ui/**]' }),
        'tracks/0003_FEAT_docs.md': track('Docs', { status: 'ready', scope: '[docs/**]' }),
        'work_orders/WO-1.md': wo('WO-1', { track: 'api' }),
        'work_orders/WO-2.md': wo('WO-2', { track: 'ui', depends_on: '[WO-1]' }),
        'work_orders/WO-3.md': wo('WO-3', { track: 'docs' }),
        'src/shared/config.ts': 'export const port = 1;\nexport const host = "a";\n',
        'docs/index.md': '# Docs\n',
      }),
    );
    for (const [t, who] of [['api', 'a1'], ['ui', 'a2'], ['docs', 'a3']]) {
      await ok(dir, ['claim', t!, '--as', who!]);
      expect(await errors(dir)).toEqual([]);
    }
    const onBranch = (b: string, edit: () => void, msg: string) => {
      git(dir, 'checkout', '-q', b);
      edit();
      git(dir, 'commit', '-qam', msg);
      git(dir, 'checkout', '-q', 'main');
    };
    // api and ui change the same line of one file; docs finishes its work.
    onBranch('tracks/api', () => write(dir, 'src/shared/config.ts', 'export const port = 2;\nexport const host = "a";\n'), 'api port');
    onBranch('tracks/ui', () => write(dir, 'src/shared/config.ts', 'export const port = 3;\nexport const host = "a";\n'), 'ui port');
    onBranch(
      'tracks/docs',
      () => {
        write(dir, 'docs/index.md', '# Docs\n\nMore.\n');
        write(dir, 'work_orders/WO-3.md', wo('WO-3', { track: 'docs', status: 'done' }));
      },
      'docs done',
    );
    const statusBefore = git(dir, 'status', '--porcelain');
    const headBefore = git(dir, 'rev-parse', 'HEAD').trim();
    const j = JSON.parse((await ok(dir, ['merge-plan', '--format', 'json'])).stdout);
    // Nothing checked out, the work tree untouched.
    expect(git(dir, 'status', '--porcelain')).toBe(statusBefore);
    expect(git(dir, 'rev-parse', 'HEAD').trim()).toBe(headBefore);
    expect(git(dir, 'rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe('main');
    expect(j.base.name).toBe('main');
    // docs: done, clean → first; api before ui (ui's work orders depend on api's).
    expect(j.order).toEqual(['tracks/docs', 'tracks/api', 'tracks/ui']);
    const by = Object.fromEntries(j.branches.map((b: { branch: string }) => [b.branch, b]));
    expect(by['tracks/docs']).toMatchObject({ position: 1, done: true, ahead: 1, behind: 0, conflicts_with_base: [], conflicts_with: [], tracks: [{ slug: 'docs', done: 1, total: 1 }] });
    expect(by['tracks/api']).toMatchObject({ done: false, conflicts_with_base: [], conflicts_with: [{ branch: 'tracks/ui', paths: ['src/shared/config.ts'] }] });
    expect(by['tracks/ui']).toMatchObject({ depends_on: ['tracks/api'], conflicts_with: [{ branch: 'tracks/api', paths: ['src/shared/config.ts'] }] });
    expect(j.resolve_together).toEqual([{ branches: ['tracks/api', 'tracks/ui'], paths: ['src/shared/config.ts'] }]);
    const md = (await ok(dir, ['merge-plan'])).stdout;
    expect(md).toContain('# Merge plan into `main`');
    expect(md).toContain('| 1 | `tracks/docs` | docs (active) | 1/1 | 1 | 0 | none |');
    expect(md).toContain('## Resolve together');
    expect(md).toContain('`tracks/api` and `tracks/ui` change the same lines of `src/shared/config.ts`');
    expect(md).toMatch(/3\. `tracks\/ui`: .*after tracks\/api: its work orders depend on theirs/);

    // After api is merged, ui conflicts with the base itself.
    git(dir, 'merge', '-q', '--no-edit', 'tracks/api');
    expect(await errors(dir)).toEqual([]);
    const after = JSON.parse((await ok(dir, ['merge-plan', '--format', 'json'])).stdout);
    const ui = after.branches.find((b: { branch: string }) => b.branch === 'tracks/ui');
    expect(ui.conflicts_with_base).toEqual(['src/shared/config.ts']);
    expect(after.order.at(-1)).toBe('tracks/ui');
    const bad = await cli(dir, ['merge-plan', '--base', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('[UNKNOWN_BRANCH]');
  });
});

describe('a track renamed while its branch still has the old name', () => {
  it('claims, doctor and merge-plan count the branch under the new name; rename says so; the merge brings the rename', async () => {
    const dir = keep(
      tempRepo({
        'tracks/0001_FEAT_core.md': track('Core', { status: 'active' }),
        'tracks/0002_FEAT_economy.md': track('Economy', { status: 'ready' }),
        // lines between status and track: the branch's edit and the rename's do not touch
        'work_orders/WO-1.md': wo('WO-1', { goal: 'g', priority: '2', tags: '[a]', track: 'economy' }),
        'work_orders/WO-2.md': wo('WO-2', { track: 'economy' }),
        'work_orders/WO-3.md': wo('WO-3', { track: 'core' }),
      }),
    );
    await ok(dir, ['claim', 'economy', '--as', 'agent-1', '--branch', 'tracks/economy']);
    git(dir, 'checkout', '-q', 'tracks/economy');
    write(dir, 'work_orders/WO-1.md', wo('WO-1', { status: 'done', goal: 'g', priority: '2', tags: '[a]', track: 'economy' }));
    git(dir, 'commit', '-qam', 'WO-1 done');
    git(dir, 'checkout', '-q', 'main');

    const renamed = await ok(dir, ['rename', 'economy', 'money', '--reason', 'clearer']);
    expect(renamed.stderr).toContain('note: economy is claimed by agent-1 on tracks/economy, which does not have this rename until it merges');
    // one claim, under the name the track has here
    const claims = JSON.parse((await ok(dir, ['claims', '--format', 'json'])).stdout);
    expect(claims.claims.map((c: { track: string; branch: string }) => [c.track, c.branch])).toEqual([['money', 'tracks/economy']]);
    // the old name on the branch is not a second track with the same number
    const doctor = await cli(dir, ['doctor', '--format', 'json']);
    expect(doctor.code, doctor.stdout).toBe(0);
    expect(JSON.parse(doctor.stdout).problems).toEqual([]);
    // the branch's work orders still say economy: they count for money
    const plan = JSON.parse((await ok(dir, ['merge-plan', '--format', 'json'])).stdout);
    const row = plan.branches.find((b: { branch: string }) => b.branch === 'tracks/economy');
    expect(row.tracks).toEqual([expect.objectContaining({ slug: 'money', done: 1, total: 2 })]);

    git(dir, 'merge', '-q', '--no-edit', 'tracks/economy');
    expect(ls(dir, 'tracks')).toEqual(['0001_FEAT_core.md', '0002_FEAT_money.md']);
    expect(await errors(dir)).toEqual([]);
    const after = JSON.parse((await ok(dir, ['claims', '--format', 'json'])).stdout);
    expect(after.claims).toEqual([expect.objectContaining({ track: 'money', merged: true })]);
    // once the branch is merged, a rename has nothing to say about it
    expect((await ok(dir, ['rename', 'money', 'budget'])).stderr).not.toContain('note:');
  });

  it('a new track that takes the freed slug is a track of its own', async () => {
    const dir = keep(
      tempRepo({
        'tracks/0001_FEAT_economy.md': track('Economy', { status: 'ready' }),
        'work_orders/WO-1.md': wo('WO-1', { track: 'economy' }),
      }),
    );
    await ok(dir, ['claim', 'economy', '--as', 'agent-1', '--branch', 'tracks/economy']);
    await ok(dir, ['rename', 'economy', 'money']);
    await new Promise((r) => setTimeout(r, 1100)); // another creation time
    await ok(dir, ['create', '-n', 'Economy', '-T', 'FEAT']);
    const claims = JSON.parse((await ok(dir, ['claims', '--format', 'json'])).stdout);
    expect(claims.claims.map((c: { track: string }) => c.track)).toEqual(['money']);
    // the branch's 0001_FEAT_economy.md is money under its old name; the new economy is 0002 here
    expect(JSON.parse((await cli(dir, ['doctor', '--format', 'json'])).stdout).problems).toEqual([]);
  });
});
