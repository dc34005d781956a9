import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, ls, read, removeRepo, tempRepo, track } from '../helpers/repo.js';

const wo = (id: string, fm: Record<string, string>) => `---\nid: ${id}\n${Object.entries(fm).map(([k, v]) => `${k}: ${v}`).join('\n')}\n---\n\nBody.\n`;

/** A small backlog: two lanes, a sub-track, one work order in two tracks, one without a track, a dangling dependency. */
const files = {
  'tracks.config.yaml': 'multiple_tracks_per_work_order: true\n',
  'tracks/0001_FEAT_runner.md': track('Runner reliability', { color: '"#4e79a7"' }),
  'tracks/0002_FEAT_canvas.md': track('Canvas', { color: '"#f28e2b"' }),
  'tracks/0003_FIX_flaky.md': track('Flaky tests', { parent: 'runner' }).replace('type: FEAT', 'type: FIX'),
  'work_orders/WO-2026-001.md': wo('WO-2026-001', { title: 'Runner foundation', status: 'done', track: 'runner', era: 'v1' }),
  'work_orders/WO-2026-002.md': wo('WO-2026-002', { title: 'Retry failed runs', status: 'ready', track: 'runner', depends_on: '[WO-2026-001]', era: 'v2' }),
  'work_orders/WO-2026-003.md': wo('WO-2026-003', { title: 'Quarantine flaky tests', status: 'you_review', track: 'flaky', depends_on: '[WO-2026-002]', era: 'v2' }),
  'work_orders/WO-2026-004.md': wo('WO-2026-004', { title: 'Canvas skeleton', status: 'done', track: 'canvas', era: 'v1' }),
  'work_orders/WO-2026-005.md': wo('WO-2026-005', { title: 'Show runs on the canvas', status: 'backlog', track: '[canvas, runner]', depends_on: '[WO-2026-004, WO-2026-002]', era: 'v2' }),
  'work_orders/WO-2026-006.md': wo('WO-2026-006', { title: 'Write the charter', status: 'parked', depends_on: '[WO-2025-999]' }),
  'work_orders/WO-2026-007.md': wo('WO-2026-007', { title: 'Old idea', status: 'archived', track: 'canvas', depends_on: '[WO-2026-005]' }),
};

const dir = tempRepo(files);
afterAll(() => removeRepo(dir));

describe('tracks tree', () => {
  it('prints the text tree (snapshot)', async () => {
    const r = await cli(dir, ['tree']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    await expect(r.stdout).toMatchFileSnapshot('./__snapshots__/tree-small.txt');
  });

  it('prints the tree by era (snapshot)', async () => {
    const r = await cli(dir, ['tree', '--by', 'era']);
    expect(r.code).toBe(0);
    await expect(r.stdout).toMatchFileSnapshot('./__snapshots__/tree-small-era.txt');
  });

  it('prints Mermaid (snapshot)', async () => {
    const r = await cli(dir, ['tree', '--format', 'mermaid']);
    expect(r.code).toBe(0);
    await expect(r.stdout).toMatchFileSnapshot('./__snapshots__/tree-small.mmd');
  });

  it('--track keeps the track and its sub-tracks, in every format', async () => {
    const text = await cli(dir, ['tree', '--track', 'runner']);
    expect(text.stdout).toContain('Quarantine flaky tests');
    expect(text.stdout).not.toContain('Canvas skeleton');
    expect(text.stdout).not.toContain('No track');
    const mmd = await cli(dir, ['tree', '-t', 'runner', '--format', 'mermaid']);
    expect(mmd.stdout.match(/^\s*subgraph /gm)).toHaveLength(2);
    expect(mmd.stdout).not.toContain('WO_2026_004[');
  });

  it('--status filters work orders', async () => {
    const r = await cli(dir, ['tree', '--status', 'ready,you_review']);
    expect(r.stdout.match(/WO-2026-00\d {2}/g)).toEqual(['WO-2026-002  ', 'WO-2026-003  ']);
  });

  it('says which statuses exist when none match, with the did-you-mean list gives', async () => {
    const r = await cli(dir, ['tree', '--status', 'redy']);
    expect(r.code).toBe(0);
    const note = 'No work orders with status "redy". Did you mean "ready"? Statuses in this repository: archived, backlog, done, parked, ready, you_review.';
    expect(r.stderr).toContain(note);
    const l = await cli(dir, ['list', '--status', 'redy']);
    expect(l.stderr).toContain(note);
    const donee = await cli(dir, ['tree', '--status', 'donee,parked']);
    expect(donee.stderr).toContain('No work orders with status "donee". Did you mean "done"?');
    expect(donee.stdout).toContain('WO-2026-006');
  });

  it('--out x.svg is refused with a clear error: never text under an image name', async () => {
    for (const out of ['tree.svg', 'out/TREE.SVG', 'tree.png']) {
      const r = await cli(dir, ['tree', '--out', out]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`--out ${out}: tracks tree writes text, Mermaid, HTML or JSON, not ${out.split('.').pop()!.toUpperCase()} [BAD_OPTION]`);
      expect(existsSync(join(dir, out))).toBe(false);
    }
    const svg = await cli(dir, ['tree', '--format', 'html', '--out', 'tree.svg']);
    expect(svg.code).toBe(2);
    expect(svg.stderr).toContain('hint: Write the page with --out tree.html (the tree is an SVG in it, in any browser)');
  });

  it('an unknown track is a usage error with a suggestion, and writes nothing', async () => {
    const r = await cli(dir, ['tree', '--track', 'runer', '--out', 'tree.html']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no track "runer"');
    expect(r.stderr).toContain('Did you mean "runner"?');
    expect(existsSync(join(dir, 'tree.html'))).toBe(false);
  });

  it('--out picks the format from the extension and writes atomically', async () => {
    const html = await cli(dir, ['tree', '--out', 'out/tree.html']);
    expect(html.code).toBe(0);
    expect(html.stderr).toMatch(/^Wrote out\/tree\.html \(html, 7 work orders in 3 lanes, \d+ KB\)\.\n$/);
    expect(read(dir, 'out/tree.html')).toMatch(/^<!doctype html>/);
    const md = await cli(dir, ['tree', '--out', 'out/tree.md']);
    expect(read(dir, 'out/tree.md')).toMatch(/^```mermaid\nflowchart LR\n/);
    expect(md.code).toBe(0);
    await cli(dir, ['tree', '--out', 'out/tree.txt', '--format', 'text']);
    expect(read(dir, 'out/tree.txt')).toContain('■ Runner reliability');
    expect(ls(dir, 'out')).toEqual(['tree.html', 'tree.md', 'tree.txt']);
  });

  it('uses colour on a terminal and none under NO_COLOR', async () => {
    const r = await cli(dir, ['tree'], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(r.stdout).toContain('\x1b[');
    const plain = await cli(dir, ['tree'], { env: { NO_COLOR: '1', FORCE_COLOR: '1' } });
    expect(plain.stdout).not.toContain('\x1b[');
  });
});
