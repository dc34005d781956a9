/**
 * Geometry for the HTML tech tree. Columns (depth or era) fix x for every
 * node so lanes line up; dagre orders and spaces the nodes of each connected
 * group inside a section, and groups are packed like a skyline so unrelated
 * work does not waste rows. Lanes are stacked in track order, sub-tracks
 * nested inside their lane. Pure: dagre is passed in (loaded lazily).
 *
 * Why not one compound dagre graph with a cluster per lane: measured on the
 * real corpus (205 work orders, 7 lanes) it took 1.5 s, put lanes in its own
 * order rather than track order, ignored the depth columns and gave lanes
 * ragged widths.
 */
import type dagreModule from '@dagrejs/dagre';
import type { Section, TreeModel } from './model.js';
import { sectionsOf } from './model.js';

type Dagre = typeof dagreModule;

export const NODE_W = 210;
export const NODE_H = 52;
export const REF_H = 26;
export const COL_GAP = 64;
export const ROW_GAP = 12;
export const MARGIN = 16;
export const INSET = 10;
export const HEAD_H = 30;
export const PAD = 10;
export const LANE_GAP = 14;
export const TOP = 12;
/** Beyond this many nodes in one connected group dagre gets slow (superlinear); such groups are stacked per column in display order. */
export const DAGRE_CAP = 400;

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface SectionBox extends Box {
  key: string;
  level: number;
  /** Empty sections say so in the page. */
  empty: boolean;
}

export interface LaneBox extends Box {
  key: string;
  sections: SectionBox[];
}

export interface Placed extends Box {
  key: string;
  lane: string;
}

export interface Geometry {
  width: number;
  height: number;
  /** y where the first lane starts. */
  top: number;
  columns: { label: string; x: number; w: number }[];
  lanes: LaneBox[];
  /** Work-order nodes, y relative to their lane's top. */
  nodes: Map<string, Placed>;
  /** Markers for work orders drawn in another section: key = node key, section = where the marker is. */
  refs: (Placed & { section: string })[];
  /** How many groups were too big for dagre and were stacked instead. */
  stacked: number;
}

interface Item {
  id: string;
  key: string;
  slot: number;
  h: number;
  ref: boolean;
}

/** `dagre` is the module, or a function that loads it: most trees never need it (see `tidy`). */
export function layoutTree(model: TreeModel, dagreOrLoad: Dagre | (() => Dagre)): Geometry {
  let loaded: Dagre | undefined;
  const dagre = () => (loaded ??= typeof dagreOrLoad === 'function' ? (dagreOrLoad as () => Dagre)() : dagreOrLoad);
  const slotStart: number[] = [];
  let slots = 0;
  for (const c of model.columns) {
    slotStart.push(slots);
    slots += Math.max(1, c.slots);
  }
  const slotOf = (k: string) => {
    const n = model.nodes.get(k)!;
    return slotStart[n.col]! + n.sub;
  };
  const maxLevel = Math.max(0, ...model.lanes.flatMap(sectionsOf).map((s) => s.level));
  const x0 = MARGIN + maxLevel * INSET + PAD + 4;
  const slotX = (s: number) => x0 + s * (NODE_W + COL_GAP);
  const width = slotX(Math.max(1, slots)) - COL_GAP + PAD + 4 + maxLevel * INSET + MARGIN;
  const columns = model.columns.map((c, i) => ({
    label: c.label,
    x: slotX(slotStart[i]!) - COL_GAP / 2,
    w: Math.max(1, c.slots) * (NODE_W + COL_GAP),
  }));

  const nodes = new Map<string, Placed>();
  const refs: Geometry['refs'] = [];
  const lanes: LaneBox[] = [];
  let stacked = 0;

  // Edges within one section, by section (each section used to filter all edges).
  const within = new Map<string, TreeModel['edges']>();
  for (const e of model.edges) {
    const a = model.nodes.get(e.from)!.section;
    if (a !== model.nodes.get(e.to)!.section) continue;
    const list = within.get(a);
    if (list) list.push(e);
    else within.set(a, [e]);
  }

  /** Positions the items of one section; returns the height used (from 0). */
  const place = (s: Section, lane: string, top: number): number => {
    const items: Item[] = [
      ...s.nodes.map((k) => ({ id: k, key: k, slot: slotOf(k), h: NODE_H, ref: false })),
      ...s.refs.map((k) => ({ id: `\u0000ref\u0000${k}`, key: k, slot: slotOf(k), h: REF_H, ref: true })),
    ];
    if (!items.length) return 0;
    const index = new Map(items.map((it, i) => [it.id, i]));
    const links: [string, string][] = (within.get(s.key) ?? []).filter((e) => slotOf(e.from) < slotOf(e.to)).map((e) => [e.from, e.to]);

    // Connected groups, in display order of their first member.
    const parent = items.map((_, i) => i);
    const find = (i: number): number => {
      while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
      return i;
    };
    for (const [a, b] of links) parent[find(index.get(a)!)] = find(index.get(b)!);
    const groups = new Map<number, Item[]>();
    items.forEach((it, i) => {
      const r = find(i);
      const g = groups.get(r);
      if (g) g.push(it);
      else groups.set(r, [it]);
    });
    const linksOf = new Map<number, [string, string][]>();
    for (const l of links) {
      const r = find(index.get(l[0])!);
      const g = linksOf.get(r);
      if (g) g.push(l);
      else linksOf.set(r, [l]);
    }

    // First-fit packing per column: a group moves up into the first gap where each
    // of its nodes is free in its own column, so unrelated work shares rows.
    const taken = new Map<number, [number, number][]>();
    let used = 0;
    for (const [root, group] of groups) {
      const big = group.length > DAGRE_CAP;
      if (big) stacked++;
      const groupLinks = linksOf.get(root) ?? [];
      // A tree-shaped group (most of them) is laid out as a tree; dagre costs ~3 ms a call whatever the size.
      const local = big ? stack(group) : (simple(group) ?? (groupLinks.length === group.length - 1 ? tidy(group, groupLinks) : arrange(dagre(), group, groupLinks)));
      const y = firstFit(group.map((it) => ({ slot: it.slot, y: local.get(it.id)!.y, h: it.h + ROW_GAP })), taken);
      for (const it of group) {
        const p = local.get(it.id)!;
        const box = { x: slotX(it.slot), y: top + y + p.y, w: NODE_W, h: it.h, key: it.key, lane };
        if (it.ref) refs.push({ ...box, section: s.key });
        else nodes.set(it.key, box);
        used = Math.max(used, y + p.y + it.h);
      }
    }
    return used;
  };

  let y = TOP;
  for (const lane of model.lanes) {
    const boxes: SectionBox[] = [];
    const walk = (s: Section, top: number): number => {
      const box: SectionBox = { key: s.key, level: s.level, x: MARGIN + s.level * INSET, y: top, w: width - 2 * (MARGIN + s.level * INSET), h: 0, empty: false };
      boxes.push(box);
      let cursor = top + HEAD_H;
      const h = place(s, lane.key, cursor);
      box.empty = h === 0 && !s.children.length;
      cursor += h > 0 ? h + PAD : box.empty ? 22 : 0;
      for (const c of s.children) cursor = walk(c, cursor) + PAD;
      box.h = cursor - top;
      return cursor;
    };
    const end = walk(lane, 0);
    lanes.push({ key: lane.key, x: MARGIN, y, w: width - 2 * MARGIN, h: end, sections: boxes });
    y += end + LANE_GAP;
  }
  return { width, height: y - LANE_GAP + MARGIN, top: TOP, columns, lanes, nodes, refs, stacked };
}

/** A group with at most one node per column cannot cross itself: one row, no dagre (most groups in big repositories). */
function simple(group: Item[]): Map<string, { y: number }> | undefined {
  const slots = new Set<number>();
  for (const it of group) {
    if (slots.has(it.slot)) return undefined;
    slots.add(it.slot);
  }
  return new Map(group.map((it) => [it.id, { y: 0 }]));
}

/**
 * The lowest offset at which every part (column, y, height) lands in free space of
 * its column; `taken` holds each column's occupied intervals, sorted, and is updated.
 */
export function firstFit(parts: { slot: number; y: number; h: number }[], taken: Map<number, [number, number][]>): number {
  let y = 0;
  for (let moved = true; moved; ) {
    moved = false;
    for (const p of parts) {
      const list = taken.get(p.slot);
      if (!list) continue;
      const a = y + p.y;
      const b = a + p.h;
      // first interval that ends after a
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (list[mid]![1] <= a) lo = mid + 1;
        else hi = mid;
      }
      const hit = list[lo];
      if (hit && hit[0] < b) {
        y = hit[1] - p.y;
        moved = true;
      }
    }
  }
  for (const p of parts) {
    const list = taken.get(p.slot) ?? [];
    const iv: [number, number] = [y + p.y, y + p.y + p.h];
    let i = list.length;
    while (i > 0 && list[i - 1]![0] > iv[0]) i--;
    list.splice(i, 0, iv);
    taken.set(p.slot, list);
  }
  return y;
}

/** dagre with our own ranks (ranker "none"): it orders and spaces, we keep x. Ranks are even numbers, as dagre's own ranking leaves room for edge labels. */
function arrange(dagre: Dagre, group: Item[], links: [string, string][]): Map<string, { y: number }> {
  const out = new Map<string, { y: number }>();
  if (group.length === 1) {
    out.set(group[0]!.id, { y: 0 });
    return out;
  }
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', ranker: 'none', nodesep: ROW_GAP, ranksep: COL_GAP, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  // Only the order of columns matters to dagre (x is ours), and its cost grows with
  // the number of ranks an edge spans, so the group's columns become consecutive ranks.
  const rankOf = new Map([...new Set(group.map((it) => it.slot))].sort((a, b) => a - b).map((s, i) => [s, 2 * i]));
  for (const it of group) g.setNode(it.id, { width: NODE_W, height: it.h, rank: rankOf.get(it.slot)! });
  for (const [a, b] of links) g.setEdge(a, b);
  dagre.layout(g);
  let top = Infinity;
  for (const it of group) {
    const n = g.node(it.id) as { y: number };
    top = Math.min(top, n.y - it.h / 2);
  }
  for (const it of group) {
    const n = g.node(it.id) as { y: number };
    out.set(it.id, { y: n.y - it.h / 2 - top });
  }
  return out;
}

/**
 * A connected group without cycles (links = nodes - 1): depth-first from its
 * first work orders in display order, so each subtree keeps together; each
 * work order level with the first of its dependencies, or below what is
 * already in its column. Columns are laid out left to right, so a work
 * order's dependencies are placed before it.
 */
export function tidy(group: Item[], links: [string, string][]): Map<string, { y: number }> {
  const next = new Map<string, string[]>();
  const prev = new Map<string, string[]>();
  for (const [a, b] of links) {
    (next.get(a) ?? next.set(a, []).get(a)!).push(b);
    (prev.get(b) ?? prev.set(b, []).get(b)!).push(a);
  }
  const rank = new Map<string, number>();
  const visit = (id: string) => {
    const stack = [id];
    while (stack.length) {
      const k = stack.pop()!;
      if (rank.has(k)) continue;
      rank.set(k, rank.size);
      // later children first on the stack, so the first is visited first
      for (const c of [...(next.get(k) ?? [])].reverse()) if (!rank.has(c)) stack.push(c);
    }
  };
  for (const it of group) if (!prev.has(it.id)) visit(it.id);
  for (const it of group) visit(it.id);
  const byId = new Map(group.map((it) => [it.id, it]));
  const order = [...group].sort((a, b) => a.slot - b.slot || rank.get(a.id)! - rank.get(b.id)!);
  const out = new Map<string, { y: number }>();
  const cursor = new Map<number, number>();
  for (const it of order) {
    const parents = (prev.get(it.id) ?? []).map((p) => out.get(p)?.y).filter((y): y is number => y !== undefined);
    const y = Math.max(cursor.get(it.slot) ?? 0, parents.length ? Math.min(...parents) : 0);
    out.set(it.id, { y });
    cursor.set(it.slot, y + byId.get(it.id)!.h + ROW_GAP);
  }
  return out;
}

/** Fallback for huge groups: each column stacked in the given (display) order. */
function stack(group: Item[]): Map<string, { y: number }> {
  const out = new Map<string, { y: number }>();
  const fill = new Map<number, number>();
  for (const it of group) {
    const y = fill.get(it.slot) ?? 0;
    out.set(it.id, { y });
    fill.set(it.slot, y + it.h + ROW_GAP);
  }
  return out;
}

/**
 * Where each forward edge runs between its columns, so that it never passes
 * through a card it does not connect: an edge that spans other columns runs
 * level at its source's height when nothing is in the way there, and else
 * along the nearest free row gap of its source's lane (above or below),
 * turning in the empty gap after its source's column and again before its
 * target's. Per edge of `model.edges`: that gap's y relative to the source
 * lane's top, or undefined for a straight run (adjacent columns, or a clear row).
 */
export function routeEdges(model: TreeModel, geo: Geometry): (number | undefined)[] {
  // Occupied rows per lane and column (by x), merged, sorted: [top, bottom][].
  const busy = new Map<string, Map<number, [number, number][]>>();
  const add = (lane: string, x: number, y: number, h: number) => {
    let cols = busy.get(lane);
    if (!cols) busy.set(lane, (cols = new Map()));
    const list = cols.get(x);
    if (list) list.push([y, y + h]);
    else cols.set(x, [[y, y + h]]);
  };
  for (const p of geo.nodes.values()) add(p.lane, p.x, p.y, p.h);
  for (const r of geo.refs) add(r.lane, r.x, r.y, r.h);
  for (const cols of busy.values()) for (const list of cols.values()) list.sort((a, b) => a[0] - b[0]);
  const xs = [...new Set([...geo.nodes.values()].map((p) => p.x))].sort((a, b) => a - b);
  const column = new Map(xs.map((x, i) => [x, i]));
  const laneH = new Map(geo.lanes.map((l) => [l.key, l.h]));
  const CLEAR = 3;

  /** The interval of `list` that a line at y would touch, if any. */
  const hit = (list: [number, number][] | undefined, y: number): [number, number] | undefined => {
    if (!list) return undefined;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]![1] + CLEAR <= y) lo = mid + 1;
      else hi = mid;
    }
    const h = list[lo];
    return h && h[0] - CLEAR < y ? h : undefined;
  };

  return model.edges.map((e) => {
    if (e.back) return undefined;
    const a = geo.nodes.get(e.from)!;
    const b = geo.nodes.get(e.to)!;
    const between = xs.slice(column.get(a.x)! + 1, column.get(b.x)!);
    if (!between.length) return undefined;
    const cols = busy.get(a.lane);
    const lists = between.map((x) => cols?.get(x));
    const y1 = a.y + NODE_H / 2;
    const free = (y: number) => lists.every((l) => !hit(l, y));
    if (free(y1)) return undefined;
    // Move down (or up) past whatever is in the way, until no column has a card there.
    const search = (dir: 1 | -1): number | undefined => {
      let y = y1;
      for (let moved = true; moved; ) {
        moved = false;
        for (const l of lists) {
          const h = hit(l, y);
          if (!h) continue;
          y = dir > 0 ? h[1] + ROW_GAP / 2 : h[0] - ROW_GAP / 2;
          moved = true;
        }
        if (dir < 0 && y < HEAD_H) return undefined;
      }
      return y;
    };
    const down = search(1)!;
    const up = search(-1);
    const best = up !== undefined && y1 - up <= down - y1 ? up : down;
    return Math.min(best, (laneH.get(a.lane) ?? best + PAD) - PAD / 2);
  });
}
