import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/config.js';
import type { Repo } from '../../src/model/types.js';
import { readSource } from '../../src/parse/document.js';
import { toTrack, toWorkOrder } from '../../src/parse/entities.js';
import { buildTree, longestPath, natural, sectionsOf, UNASSIGNED } from '../../src/tree/model.js';

/** A repository from front matter lines: work orders by id, tracks by file name. */
function repo(wos: Record<string, string>, tracks: Record<string, string> = {}): Repo {
  return {
    root: '/r',
    config: DEFAULT_CONFIG,
    configPath: undefined,
    configProblems: [],
    workOrders: Object.entries(wos).map(([id, fm]) => toWorkOrder(readSource(`work_orders/${id}.md`, `---\nid: ${id}\ntitle: Title ${id}\n${fm}\n---\n`, 'h').doc)),
    tracks: Object.entries(tracks).map(([file, fm]) => {
      const { doc, body } = readSource(`tracks/${file}`, `---\n${fm}\n---\n`, 'h', true);
      return toTrack(doc, file, body);
    }),
  };
}

const T = (name: string, extra = '') => `name: ${name}\ntype: FEAT\nstatus: active${extra ? '\n' + extra : ''}`;

describe('buildTree', () => {
  it('makes one lane per top-level track in number order, sub-tracks nested, unassigned last', () => {
    const m = buildTree(
      repo(
        { 'WO-1': 'status: done\ntrack: b', 'WO-2': 'status: ready\ntrack: b-sub', 'WO-3': 'status: ready', 'WO-4': 'status: ready\ntrack: a' },
        { '0002_FEAT_b.md': T('B'), '0001_FEAT_a.md': T('A'), '0003_FEAT_b-sub.md': T('B sub', 'parent: b') },
      ),
    );
    expect(m.lanes.map((l) => l.key)).toEqual(['a', 'b', UNASSIGNED]);
    expect(m.lanes[1]!.children.map((c) => c.key)).toEqual(['b-sub']);
    expect(m.nodes.get('WO-2')!).toMatchObject({ section: 'b-sub', lane: 'b' });
    expect(m.lanes[2]!.nodes).toEqual(['WO-3']);
    // progress of a lane counts its sub-tracks
    expect(m.lanes[1]!).toMatchObject({ done: 1, total: 2 });
  });

  it('orders lanes by an `order` key when a track has one', () => {
    const m = buildTree(repo({}, { '0001_FEAT_a.md': T('A', 'order: 5'), '0002_FEAT_b.md': T('B', 'order: 1') }));
    expect(m.lanes.map((l) => l.key)).toEqual(['b', 'a']);
  });

  it('places work orders by the longest dependency path and keeps edges across lanes', () => {
    const m = buildTree(
      repo(
        {
          'WO-1': 'track: a',
          'WO-2': 'track: a\ndepends_on: [WO-1]',
          'WO-3': 'track: b\ndepends_on: [WO-1, WO-2]',
          'WO-4': 'track: b\ndepends_on: [WO-1, WO-404]',
        },
        { '0001_FEAT_a.md': T('A'), '0002_FEAT_b.md': T('B') },
      ),
    );
    expect(['WO-1', 'WO-2', 'WO-3', 'WO-4'].map((k) => m.nodes.get(k)!.depth)).toEqual([0, 1, 2, 1]);
    expect(m.columns.map((c) => c.label)).toEqual(['depth 0', 'depth 1', 'depth 2']);
    expect(m.edges).toEqual(
      expect.arrayContaining([
        { from: 'WO-1', to: 'WO-2', cross: false, back: false },
        { from: 'WO-2', to: 'WO-3', cross: true, back: false },
      ]),
    );
    expect(m.nodes.get('WO-4')!.deps).toEqual([
      { id: 'WO-1', key: 'WO-1', state: 'shown' },
      { id: 'WO-404', state: 'missing' },
    ]);
  });

  it('shows a work order in several tracks once, with a marker in the others', () => {
    const m = buildTree(repo({ 'WO-1': 'track: [b, a]' }, { '0001_FEAT_a.md': T('A'), '0002_FEAT_b.md': T('B') }));
    expect(m.nodes.size).toBe(1);
    expect(m.nodes.get('WO-1')).toMatchObject({ section: 'b', also: ['a'] });
    expect(m.lanes.find((l) => l.key === 'a')!).toMatchObject({ nodes: [], refs: ['WO-1'] });
  });

  it('--track keeps the track with its sub-tracks; dependencies outside become hidden', () => {
    const m = buildTree(
      repo(
        { 'WO-1': 'track: a', 'WO-2': 'track: a-sub\ndepends_on: [WO-1, WO-3]', 'WO-3': 'track: b', 'WO-4': '' },
        { '0001_FEAT_a.md': T('A'), '0002_FEAT_b.md': T('B'), '0003_FEAT_a-sub.md': T('Sub', 'parent: a') },
      ),
      { tracks: ['a'] },
    );
    expect(m.lanes.map((l) => l.key)).toEqual(['a']);
    expect([...m.nodes.keys()].sort()).toEqual(['WO-1', 'WO-2']);
    expect(m.nodes.get('WO-2')!.deps.map((d) => d.state)).toEqual(['shown', 'hidden']);
    // depth is the repository's, not the view's: filtering does not move work orders
    expect(m.nodes.get('WO-2')!.depth).toBe(1);
  });

  it('a sub-track picked with --track becomes the lane', () => {
    const m = buildTree(repo({ 'WO-1': 'track: a-sub' }, { '0001_FEAT_a.md': T('A'), '0003_FEAT_a-sub.md': T('Sub', 'parent: a') }), { tracks: ['a-sub', 'a'] });
    expect(m.lanes.map((l) => l.key)).toEqual(['a']);
    expect(buildTree(repo({ 'WO-1': 'track: a-sub' }, { '0001_FEAT_a.md': T('A'), '0003_FEAT_a-sub.md': T('Sub', 'parent: a') }), { tracks: ['a-sub'] }).lanes.map((l) => [l.key, l.level])).toEqual([['a-sub', 0]]);
  });

  it('--status filters work orders; lanes stay, the unassigned lane goes when empty', () => {
    const m = buildTree(repo({ 'WO-1': 'status: done\ntrack: a', 'WO-2': 'status: ready\ntrack: a', 'WO-3': 'status: done' }, { '0001_FEAT_a.md': T('A') }), { statuses: ['ready'] });
    expect([...m.nodes.keys()]).toEqual(['WO-2']);
    expect(m.lanes.map((l) => l.key)).toEqual(['a']);
  });

  it('survives dependency cycles and self-dependencies, marking the edge that goes back', () => {
    const m = buildTree(repo({ 'WO-1': 'depends_on: [WO-2, WO-1]', 'WO-2': 'depends_on: [WO-1]' }));
    expect(m.nodes.size).toBe(2);
    expect(m.edges.filter((e) => e.back)).toHaveLength(1);
    expect(m.lanes[0]!.nodes).toHaveLength(2);
  });

  it('by era: columns are eras in natural order, then depth inside the era', () => {
    const m = buildTree(
      repo({ 'WO-1': 'era: v10', 'WO-2': 'era: v2', 'WO-3': 'era: v2\ndepends_on: [WO-2]', 'WO-4': '', 'WO-5': 'era: v2\ndepends_on: [WO-1]' }),
      { by: 'era' },
    );
    expect(m.columns).toEqual([
      { label: 'v2', slots: 2 },
      { label: 'v10', slots: 1 },
      { label: '(no era)', slots: 1 },
    ]);
    expect(m.nodes.get('WO-3')).toMatchObject({ col: 0, sub: 1 });
    // a dependency on a later era points against the columns
    expect(m.edges.find((e) => e.to === 'WO-5')!.back).toBe(true);
    expect(m.lanes[0]!.nodes).toEqual(['WO-2', 'WO-3', 'WO-5', 'WO-1', 'WO-4']);
  });

  it('lists a section so that each work order follows what it depends on, chains kept together', () => {
    const m = buildTree(repo({ 'WO-1': '', 'WO-2': '', 'WO-3': 'depends_on: [WO-1]', 'WO-4': 'depends_on: [WO-3]' }));
    expect(m.lanes[0]!.nodes).toEqual(['WO-1', 'WO-3', 'WO-4', 'WO-2']);
    expect(['WO-1', 'WO-3', 'WO-4', 'WO-2'].map((k) => m.nodes.get(k)!.level)).toEqual([0, 1, 2, 0]);
  });

  it('keeps duplicate ids apart by path, and ignores invalid track colours', () => {
    const r = repo({ 'WO-1': 'track: a' }, { '0001_FEAT_a.md': T('A', 'color: "red;}<x>"') });
    r.workOrders.push({ ...r.workOrders[0]!, path: 'work_orders/copy.md' });
    const m = buildTree(r);
    expect([...m.nodes.keys()].sort()).toEqual(['work_orders/WO-1.md', 'work_orders/copy.md']);
    expect(m.lanes[0]!.color).toMatch(/^#[0-9a-f]{6}$/);
  });

  it('every section of the view is reachable through sectionsOf', () => {
    const m = buildTree(repo({}, { '0001_FEAT_a.md': T('A'), '0002_FEAT_b.md': T('B', 'parent: a'), '0003_FEAT_c.md': T('C', 'parent: b') }));
    expect(sectionsOf(m.lanes[0]!).map((s) => [s.key, s.level])).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 2],
    ]);
  });
});

describe('helpers', () => {
  it('natural sorts numbers by value, independent of locale', () => {
    expect(['v10', 'v2', 'v1', 'WO-2026-010', 'WO-2026-9'].sort(natural)).toEqual(['WO-2026-9', 'WO-2026-010', 'v1', 'v2', 'v10']);
  });

  it('longestPath handles a chain deeper than the call stack', () => {
    const n = 50_000;
    const keys = Array.from({ length: n }, (_, i) => String(i));
    const d = longestPath(keys, (k) => (k === '0' ? [] : [String(Number(k) - 1)]));
    expect(d.get(String(n - 1))).toBe(n - 1);
  });
});
