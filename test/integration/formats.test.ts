/**
 * Another format through the CLI: a small repository shaped like Backlog.md
 * (four task directories, labels, dependencies written task-N, word
 * priorities, parent_task_id), and a custom field mapping in the PCC layout.
 */
import { describe, expect, it } from 'vitest';
import { cli, git, read, tempRepos, write } from '../helpers/repo.js';
import { makeCtx } from '../../src/cli/ctx.js';
import { runInit } from '../../src/commands/init.js';
import { scriptedPrompter } from '../../src/term/prompter.js';

const { repo } = tempRepos();

/** A Backlog.md task file. */
function task(id: string, f: Record<string, string> = {}, body = '\n## Description\n\nSomething.\n') {
  const fields = { id, title: `Task ${id}`, status: 'To Do', assignee: '[]', created_date: "'2025-06-01'", labels: '[]', dependencies: '[]', ...f };
  return `---\n${Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join('\n')}\n---\n${body}`;
}

const BACKLOG = {
  'backlog/config.yml': 'project_name: "x"\nstatuses: ["To Do", "In Progress", "Done"]\ntask_prefix: "back"\n',
  'backlog/tasks/readme.md': '# Tasks\n',
  'backlog/tasks/back-1 - A.md': task('BACK-1', { priority: 'low', labels: '[cli]' }),
  'backlog/tasks/back-2 - B.md': task('BACK-2', { priority: 'HIGH', labels: '[cli]', dependencies: '\n  - task-4' }),
  'backlog/tasks/back-3 - C.md': task('BACK-3', { priority: 'medium', dependencies: '[task-1, back-2]' }),
  'backlog/tasks/back-3.1 - C1.md': task('BACK-3.1', { parent_task_id: 'task-3', assignee: '@someone' }),
  'backlog/tasks/back-5 - E.md': task('BACK-5', { priority: 'high' }),
  'backlog/completed/back-4 - D.md': task('BACK-4', { status: 'To Do' }),
  'backlog/drafts/draft-1 - Idea.md': task('DRAFT-1'),
  'backlog/archive/tasks/back-5 - Old.md': task('BACK-5', { status: 'In Progress' }),
};

const tsv = (list: { file: string; line: number; col: number; severity: string; code: string; message: string }[]) =>
  list
    .filter((p) => p.code !== 'wo/unassigned')
    .map((p) => `${p.file}:${p.line}:${p.col} ${p.severity} ${p.code} ${p.message}`)
    .sort();

describe('a Backlog.md repository with the backlog-md preset', () => {
  const setup = () => repo({ ...BACKLOG, 'tracks.config.yaml': 'preset: backlog-md\n' });

  it('check reads all four directories, matches task-N to BACK-N, and says only what is true', async () => {
    const d = setup();
    const r = await cli(d, ['check', '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.problems.filter((p: { code: string }) => p.code === 'wo/unassigned')).toHaveLength(8);
    expect(tsv(j.problems)).toEqual([
      'backlog/archive/tasks/back-5 - Old.md:2:5 warning wo/duplicate-id work-order id BACK-5 is also used by backlog/tasks/back-5 - E.md; this archived one is not what references to BACK-5 mean',
      'backlog/tasks/back-3.1 - C1.md:5:11 warning yaml/reserved-indicator "@someone" starts with @, which YAML reserves: tracks reads it as text, strict YAML readers reject the file',
    ]);
  });

  it('diagnostics name the repository\'s own keys and point at them', async () => {
    const d = setup();
    const broken = {
      'backlog/tasks/back-6 - F.md': task('BACK-6', { priority: 'urgent', labels: 'oops', dependencies: '[task-99]' }),
      'backlog/tasks/back-7 - G.md': task('BACK-7', { parent_task_id: 'task-404' }),
      'backlog/completed/back-1 - Again.md': task('BACK-1'),
    };
    for (const [p, c] of Object.entries(broken)) write(d, p, c);
    const j = JSON.parse((await cli(d, ['check', '--format', 'json'])).stdout);
    expect(tsv(j.problems).filter((l) => !l.includes('@someone') && !l.includes('archived one'))).toEqual([
      'backlog/completed/back-1 - Again.md:2:5 error wo/duplicate-id work-order id BACK-1 is also used by backlog/tasks/back-1 - A.md',
      'backlog/tasks/back-6 - F.md:7:9 error wo/schema labels has the wrong shape',
      'backlog/tasks/back-6 - F.md:8:16 warning wo/unknown-dependency dependencies names task-99, which is not a work order here',
      'backlog/tasks/back-6 - F.md:9:11 error wo/schema priority "urgent" is not a priority: use one of high, medium, low (any case), or an integer (1 is the most urgent)',
      'backlog/tasks/back-7 - G.md:9:17 warning wo/unknown-parent parent_task_id names task-404, which is not a work order here',
    ]);
  });

  it('next orders by the priority words; a completed/ task counts as done whatever its file says; drafts are held', async () => {
    const d = setup();
    write(d, 'tracks/0001_FEAT_all.md', '---\nname: All\ntype: FEAT\nstatus: active\n---\n');
    for (const p of Object.keys(BACKLOG).filter((p) => p.endsWith('.md') && !p.endsWith('readme.md'))) {
      write(d, p, read(d, p).replace('\n---\n', '\ntrack: all\n---\n'));
    }
    const j = JSON.parse((await cli(d, ['next', 'all', '--format', 'json'])).stdout);
    // BACK-2 waits on task-4 = BACK-4, which is in completed/: done, so BACK-2 can start.
    expect(j.ready.map((i: { id: string }) => i.id)).toEqual(['BACK-2', 'BACK-5', 'BACK-1', 'BACK-3.1']);
    expect(j.ready[0].reason).toBe('priority HIGH; unblocks 1 (BACK-3)');
    expect(j.ready[2].reason).toBe('priority low; unblocks 1 (BACK-3)');
    expect(j.order).toBe('priority (high > medium > low, or 1 = most urgent; none last), then how many open work orders each unblocks, then id');
    expect(j.blocked).toEqual([
      expect.objectContaining({ id: 'BACK-3', waitingOn: [expect.objectContaining({ id: 'BACK-1' }), expect.objectContaining({ id: 'BACK-2' })] }),
    ]);
    expect(j.held).toEqual({ Draft: ['DRAFT-1'] });

    const report = JSON.parse((await cli(d, ['report', '--format', 'json'])).stdout);
    // done: BACK-4 (completed/) and the archived BACK-5
    expect(report.workOrders).toMatchObject({ total: 8, done: 2 });
    expect(report.missingDependencies).toEqual([]);

    const tree = (await cli(d, ['tree', '--format', 'mermaid'])).stdout;
    const edges = tree.split('\n').filter((l) => l.includes('-->')).length;
    expect(edges).toBe(3); // BACK-4 → BACK-2, BACK-1 → BACK-3, BACK-2 → BACK-3

    const pack = JSON.parse((await cli(d, ['context', 'all', '--format', 'json'])).stdout);
    const c = pack.openWorkOrders.find((w: { id: string }) => w.id === 'BACK-3');
    expect(c.priority).toBe('medium');
    expect(c.dependsOn).toEqual([
      { id: 'BACK-1', status: 'To Do', tracks: ['all'] },
      { id: 'BACK-2', status: 'To Do', tracks: ['all'] },
    ]);
  });

  it('organize --yes assigns every task (one new line each, labels and parents taken into account)', async () => {
    const d = setup();
    const r = await cli(d, ['organize', '--yes']);
    expect(r.code).toBe(0);
    const diff = git(d, 'diff', '-U0', 'HEAD~1', 'HEAD', '--', 'backlog');
    const edits = diff.split('\n').filter((l) => /^[+-](?![+-])/.test(l));
    // the archived BACK-5 shares its id with the live one: organize addresses work orders by id
    expect(edits).toHaveLength(7);
    expect(edits.every((l) => /^\+track: [a-z0-9-]+$/.test(l))).toBe(true);
    expect(read(d, 'backlog/archive/tasks/back-5 - Old.md')).not.toContain('track:');
    expect(read(d, 'backlog/tasks/back-5 - E.md')).toContain('track:');
  });
});

describe('a custom mapping in the PCC layout', () => {
  it('tracks reads tags from labels and writes its key under the name fields.track gives', async () => {
    const d = repo({
      'tracks.config.yaml': 'fields: { tags: labels, track: stream }\n',
      'tracks/0001_FEAT_core.md': '---\nname: Core\ntype: FEAT\nstatus: active\n---\n',
      'work_orders/WO-1.md': '---\nid: WO-1\ntitle: One\nlabels: [a]\nstream: core\n---\n',
      'work_orders/WO-2.md': '---\nid: WO-2\ntitle: Two\nlabels: [a]\ntrack: old-key\n---\n',
    });
    let j = JSON.parse((await cli(d, ['check', '--format', 'json'])).stdout);
    expect(tsv(j.problems)).toEqual([]);
    expect(j.problems.map((p: { file: string; code: string }) => `${p.file} ${p.code}`)).toEqual(['work_orders/WO-2.md wo/unassigned']);
    const r = await cli(d, ['assign', 'WO-2', '--track', 'core']);
    expect(r.code).toBe(0);
    expect(read(d, 'work_orders/WO-2.md')).toBe('---\nid: WO-2\ntitle: Two\nlabels: [a]\ntrack: old-key\nstream: core\n---\n');
    j = JSON.parse((await cli(d, ['check', '--format', 'json'])).stdout);
    expect(j.problems).toEqual([]);
    const bad = repo({ 'tracks.config.yaml': 'fields: { tags: labels }\n', 'work_orders/WO-1.md': '---\nid: WO-1\ntitle: One\nlabels: [[a]]\n---\n' });
    const out = (await cli(bad, ['check'])).stdout;
    expect(out).toMatch(/WO-1\.md:4:10 +error +labels\[0\] must be a string or a number or true or false/);
  });
});

describe('without the preset', () => {
  it('a reference id_matching would find says so; a missing mapped id names the repository\'s key', async () => {
    const d = repo({
      ...BACKLOG,
      'tracks.config.yaml': 'work_orders_dir: [backlog/tasks, backlog/completed]\nfields: { depends_on: dependencies, id: id }\npriorities: [high, medium, low]\n',
      'backlog/tasks/back-9 - No id.md': '---\ntitle: No id\n---\n',
    });
    const j = JSON.parse((await cli(d, ['check', '--format', 'json'])).stdout);
    const dep = j.problems.find((p: { code: string; message: string }) => p.code === 'wo/unknown-dependency' && p.message.includes('task-4'));
    expect(dep.hint).toBe('Did you mean BACK-4? To match ids in any case and across prefixes, set id_matching in tracks.config.yaml (e.g. { ignore_case: true, prefixes: [task, back] }).');
    const mapped = repo({ 'tracks.config.yaml': 'fields: { id: key }\n', 'work_orders/a.md': '---\nid: A\ntitle: T\n---\n' });
    const m = JSON.parse((await cli(mapped, ['check', '--format', 'json'])).stdout);
    expect(m.problems.find((p: { code: string }) => p.code === 'wo/schema')).toMatchObject({ line: 1, col: 1, message: 'missing required key "key"', hint: 'Add "key:" to the front matter.' });
  });

  it('with id_matching, commands take task-N for BACK-N', async () => {
    const d = repo({ ...BACKLOG, 'tracks.config.yaml': 'preset: backlog-md\n', 'tracks/0001_FEAT_cli.md': '---\nname: CLI\ntype: FEAT\nstatus: active\n---\n' });
    const r = await cli(d, ['assign', 'task-3', '--track', 'cli']);
    expect(r.code).toBe(0);
    expect(read(d, 'backlog/tasks/back-3 - C.md')).toContain('\ntrack: cli\n---');
  });
});

describe('init on a Backlog.md repository', () => {
  it('without a terminal picks the backlog-md preset and says so', async () => {
    const d = repo(BACKLOG);
    const r = await cli(d, ['init']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Found backlog/config.yml: using the backlog-md preset');
    expect(read(d, 'tracks.config.yaml')).toMatch(/^preset: backlog-md$/m);
    expect((await cli(d, ['check'])).code).toBe(0);
  });

  it('in a terminal it asks; no keeps the default format; --preset decides without asking', async () => {
    const d = repo(BACKLOG);
    let stderr = '';
    const ctx = makeCtx({ stdout: () => {}, stderr: (s) => void (stderr += s), env: { NO_COLOR: '1' }, cwd: d, interactive: true, isTTY: false, columns: 100 });
    const prompter = scriptedPrompter([{ kind: 'confirm', expect: 'Backlog.md repository', answer: false }]);
    await runInit(ctx, { commit: false }, { prompter });
    expect(prompter.remaining()).toBe(0);
    expect(read(d, 'tracks.config.yaml')).toMatch(/^preset: default$/m);
    expect(stderr).toContain('note: there is no work_orders/ directory yet');
    const forced = await cli(d, ['init', '--force', '--preset', 'backlog-md', '--no-commit']);
    expect(forced.stderr).not.toContain('Found backlog/config.yml');
    expect(read(d, 'tracks.config.yaml')).toMatch(/^preset: backlog-md$/m);
  });
});
