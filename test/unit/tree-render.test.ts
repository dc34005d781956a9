import { Chalk } from 'chalk';
import dagre from '@dagrejs/dagre';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/config.js';
import type { Repo } from '../../src/model/types.js';
import { readSource } from '../../src/parse/document.js';
import { toTrack, toWorkOrder } from '../../src/parse/entities.js';
import { width } from '../../src/render/text.js';
import { buildTree, type TreeModel } from '../../src/tree/model.js';
import { renderText } from '../../src/tree/text.js';
import { mermaidLabel, renderMermaid } from '../../src/tree/mermaid.js';
import { channel, edgePath, esc, renderHtml, scriptJson, wrap } from '../../src/tree/html.js';
import { layoutTree, NODE_H, NODE_W, routeEdges, type Geometry } from '../../src/tree/layout.js';

function repo(wos: [string, string][], tracks: [string, string][] = []): Repo {
  return {
    root: '/r',
    config: DEFAULT_CONFIG,
    configPath: undefined,
    configProblems: [],
    workOrders: wos.map(([id, fm]) => toWorkOrder(readSource(`work_orders/${id}.md`, `---\nid: ${id}\n${fm}\n---\n`, 'h').doc)),
    tracks: tracks.map(([file, fm]) => {
      const { doc, body } = readSource(`tracks/${file}`, `---\n${fm}\n---\n`, 'h', true);
      return toTrack(doc, file, body);
    }),
  };
}

const hostile = repo(
  [
    ['WO-1', 'title: "<script>alert(1)</script> & \\"quotes\\" `ticks` #hash; end"\nstatus: done\ntrack: a'],
    ['WO-2', 'title: A very long title that goes on and on well beyond any reasonable terminal width for one line\nstatus: you_review\ntrack: a\ndepends_on: [WO-1, WO-9, WO-3]'],
    ['WO-3', 'title: Unassigned\nstatus: backlog'],
    ['end', 'title: An id that is a Mermaid keyword\nstatus: weird\ntrack: [a, b]'],
  ],
  [
    ['0001_FEAT_a.md', 'name: "Lane <A> & \\"B\\""\ntype: FEAT\nstatus: active\ncolor: "#e15759"'],
    ['0002_FEAT_b.md', 'name: B\ntype: FIX\nstatus: paused'],
  ],
);

describe('text', () => {
  const plain = new Chalk({ level: 0 });
  it.each([40, 60, 80, 120, 200])('never exceeds a %i-column terminal', (cols) => {
    const out = renderText(buildTree(hostile), { width: cols, color: plain });
    for (const line of out.split('\n')) expect(width(line), line).toBeLessThanOrEqual(cols);
    expect(out).toContain('WO-2');
  });

  it('colours by status only when the chalk instance has colour', () => {
    const m = buildTree(hostile);
    expect(renderText(m, { width: 100, color: plain })).not.toMatch(/\x1b\[/);
    const coloured = renderText(m, { width: 100, color: new Chalk({ level: 1 }) });
    expect(coloured).toContain('\x1b[32m✓'); // done is green
    expect(coloured).toContain('\x1b[33m◐'); // review is yellow
  });

  it('marks unknown dependencies, other-lane dependencies and work orders shown elsewhere', () => {
    const out = renderText(buildTree(hostile), { width: 200, color: plain });
    expect(out).toContain('← WO-1 ?WO-9 ↗WO-3');
    expect(out).toMatch(/↪ end {2}An id that is a Mermaid keyword {2}\(in a\)/);
  });
});

describe('mermaid', () => {
  it('escapes labels so user text cannot end the label or inject markup', () => {
    expect(mermaidLabel('<b>"x"</b> & #1; `y` [z]')).toBe('#60;b#62;#34;x#34;#60;/b#62; #38; #35;1; #96;y#96; #91;z#93;');
  });

  it('emits a flowchart with one subgraph per track and safe ids', () => {
    const out = renderMermaid(buildTree(hostile));
    expect(out.startsWith('flowchart LR\n')).toBe(true);
    expect(out.match(/^\s*subgraph /gm)).toHaveLength(3);
    expect(out).toContain('subgraph T_a["Lane #60;A#62; #38; #34;B#34; · 1/3 done"]');
    // `end` as a node id would close the subgraph
    expect(out).not.toMatch(/^\s*end\[/m);
    expect(out).toContain('N_end["');
    expect(out).not.toContain('<script>');
    for (const line of out.split('\n')) expect(line.split('"').length % 2, line).toBe(1);
  });

  it('wraps in a fence for markdown', () => {
    expect(renderMermaid(buildTree(hostile), { fenced: true })).toMatch(/^```mermaid\nflowchart LR\n[\s\S]*\n```\n$/);
  });
});

describe('html', () => {
  it('escapes text and attributes, dropping characters XML forbids', () => {
    expect(esc(`<a href="x" onclick='y'>&\u0001`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;');
  });

  it('wraps titles into at most two lines and marks the cut', () => {
    expect(wrap('short', 10, 2)).toEqual(['short']);
    expect(wrap('one two three four five six', 10, 2)).toEqual(['one two', 'three fou…']);
    expect(wrap('supercalifragilistic word', 10, 2)).toEqual(['supercali…', 'word']);
  });

  it('runs forward edges through the gap before the target, and loops backward edges around', () => {
    expect(edgePath(0, 0, 100, 50, 4)).toBe('M0,0 H58 Q68,0 68,10 V40 Q68,50 78,50 H100');
    expect(edgePath(0, 50, 100, 0, 0)).toBe('M0,50 H46 Q56,50 56,40 V10 Q56,0 66,0 H100');
    expect(edgePath(0, 7, 100, 7, 4)).toBe('M0,7 H100');
    expect(edgePath(300, 0, 100, 0, 4)).toBe('M300,0 C360,0 40,0 100,0');
    expect(channel('WO-1', 'WO-2')).toBe(channel('WO-1', 'WO-2'));
    expect(new Set(Array.from({ length: 50 }, (_, i) => channel(`WO-${i}`, 'WO-x'))).size).toBe(9);
  });

  it('renders the page without a single unescaped user string', () => {
    const m = buildTree(hostile);
    const html = renderHtml(m, layoutTree(m, dagre), { title: 'Tree <of> "x"' });
    expect(html).not.toContain('<script>alert');
    // markup escapes it; the data the page draws from holds it as JSON that cannot end the script
    expect(html).toContain('&lt;A&gt; &amp;');
    expect(html).toContain('\\u003cscript\\u003ealert(1)\\u003c/script\\u003e');
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html.match(/<\/script/gi)).toHaveLength(1);
    expect(html).toContain('<title>Tree &lt;of&gt; &quot;x&quot;</title>');
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(html.match(/<g class="lane" /g)).toHaveLength(3);
    const data = JSON.parse(/const D = (.*);\n/.exec(html)![1]!);
    expect(data.nodes.key).toHaveLength(4);
    expect(data.nodes.tip[0]).toContain('<script>alert(1)</script>');
    expect(data.refs).toHaveLength(1);
  });

  it('keeps JSON in a script from ending it or opening a comment', () => {
    const s = scriptJson({ a: '</script><!-- \u2028 & >' });
    expect(s).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(s)).toEqual({ a: '</script><!-- \u2028 & >' });
  });

  it('routes an edge that spans columns around the cards in between, and leaves clear rows straight', () => {
    const X = [30, 304, 578];
    const place = (key: string, col: number, y: number) => [key, { key, lane: 'a', x: X[col]!, y, w: NODE_W, h: NODE_H }] as const;
    const geo = {
      width: 900, height: 400, top: 12, columns: [], refs: [], stacked: 0,
      lanes: [{ key: 'a', x: 16, y: 12, w: 860, h: 400, sections: [] }],
      nodes: new Map([place('A', 0, 30), place('B', 1, 30), place('C', 2, 30), place('D', 1, 94), place('E', 0, 158), place('F', 2, 158)]),
    } as unknown as Geometry;
    const edge = (from: string, to: string) => ({ from, to, cross: false, back: false });
    const m = { edges: [edge('A', 'C'), edge('A', 'B'), edge('E', 'F')] } as unknown as TreeModel;
    const routes = routeEdges(m, geo);
    // A → C would run through B: it takes the row gap under B (above B is the lane's title row), clear of D
    expect(routes[0]).toBe(30 + NODE_H + 6);
    expect(routes[0]! + 3).toBeLessThan(94);
    // neighbouring columns, and a clear row, stay straight
    expect(routes[1]).toBeUndefined();
    expect(routes[2]).toBeUndefined();
    const d = edgePath(30 + NODE_W, 12 + 56, 578, 12 + 56, 4, 12 + routes[0]!);
    expect(d).toMatch(/^M240,68 H/);
    expect(d).toContain(`${12 + routes[0]!}`);
    expect(d).toMatch(/H578$/);
  });

  it('lays nodes out in depth columns without overlaps', () => {
    const wos: [string, string][] = [];
    for (let i = 0; i < 60; i++) wos.push([`WO-${i}`, `track: ${i % 3 ? 'a' : 'b'}\ndepends_on: [${i > 2 ? `WO-${i - 3}` : ''}${i > 7 ? `, WO-${i - 7}` : ''}]`]);
    const m = buildTree(repo(wos, [['0001_FEAT_a.md', 'name: A'], ['0002_FEAT_b.md', 'name: B'], ['0003_FEAT_c.md', 'name: C\nparent: a']]));
    const geo = layoutTree(m, dagre);
    const abs = [...geo.nodes.values()].map((p) => ({ ...p, y: p.y + geo.lanes.find((l) => l.key === p.lane)!.y }));
    for (let i = 0; i < abs.length; i++)
      for (let j = i + 1; j < abs.length; j++) {
        const a = abs[i]!;
        const b = abs[j]!;
        const overlap = a.x < b.x + NODE_W && b.x < a.x + NODE_W && a.y < b.y + NODE_H && b.y < a.y + NODE_H;
        expect(overlap, `${a.key} overlaps ${b.key}`).toBe(false);
      }
    // same column, same x; deeper column, further right
    for (const [k, p] of geo.nodes) {
      const n = m.nodes.get(k)!;
      expect(p.x).toBe(geo.nodes.get([...m.nodes.values()].find((o) => o.col === n.col)!.key)!.x);
    }
    const lanes = geo.lanes;
    for (let i = 1; i < lanes.length; i++) expect(lanes[i]!.y).toBeGreaterThanOrEqual(lanes[i - 1]!.y + lanes[i - 1]!.h);
    // every node sits inside its lane box
    for (const p of geo.nodes.values()) {
      const lane = lanes.find((l) => l.key === p.lane)!;
      expect(p.y).toBeGreaterThanOrEqual(0);
      expect(p.y + NODE_H).toBeLessThanOrEqual(lane.h);
    }
  });

  it('stacks a group too big for dagre per column instead of calling dagre', () => {
    // two chains side by side, tied together at the start: one group of 2 × 201 nodes
    const wos: [string, string][] = [['WO-0', '']];
    for (let i = 1; i <= 201; i++) {
      wos.push([`WO-a${i}`, `depends_on: [${i === 1 ? 'WO-0' : `WO-a${i - 1}`}]`]);
      wos.push([`WO-b${i}`, `depends_on: [${i === 1 ? 'WO-0' : `WO-b${i - 1}`}]`]);
    }
    const m = buildTree(repo(wos));
    const calls: number[] = [];
    const spy = { ...dagre, layout: (g: Parameters<typeof dagre.layout>[0]) => (calls.push(g.nodeCount()), dagre.layout(g)) } as typeof dagre;
    const geo = layoutTree(m, spy);
    expect(geo.stacked).toBe(1);
    expect(calls).toEqual([]);
    const a = geo.nodes.get('WO-a7')!;
    const b = geo.nodes.get('WO-b7')!;
    expect(a.x).toBe(b.x);
    expect(Math.abs(a.y - b.y)).toBeGreaterThanOrEqual(NODE_H);
  });
});
