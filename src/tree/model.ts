/**
 * The tech tree as a value: lanes (top-level tracks, sub-tracks nested inside),
 * work orders placed in columns by dependency depth or era, and the
 * `depends_on` edges between them. Every renderer reads only this. Pure.
 */
import type { Repo, Track, WorkOrder } from '../model/types.js';
import { PALETTE } from '../core/track-file.js';
import { isDone, withDescendants } from '../core/tracks.js';
import { statusCategory, type StatusCategory } from './status.js';
import { sanitize } from '../render/sanitize.js';
import { dependencyResolver } from '../core/deps.js';

export type Placement = 'depth' | 'era';

export interface TreeOptions {
  /** Show only these tracks (each with its sub-tracks). Slugs must exist. */
  tracks?: string[];
  /** Show only work orders with one of these statuses. */
  statuses?: string[];
  by?: Placement;
}

export interface DepRef {
  /** The id as written in `depends_on`. */
  id: string;
  /** The node it resolves to, when that work order exists. */
  key?: string;
  /** shown: drawn in this view; hidden: exists but filtered out; missing: no such work order. */
  state: 'shown' | 'hidden' | 'missing';
}

export interface TreeNode {
  key: string;
  id: string;
  title: string;
  status: string;
  category: StatusCategory;
  path: string;
  era: string | undefined;
  /** Section (track or sub-track) the node is drawn in, and its top-level lane. */
  section: string;
  lane: string;
  /** Other sections of this view that list the work order too (they show a marker). */
  also: string[];
  /** Longest path over depends_on, on the whole repository (stable under filters). */
  depth: number;
  /** Longest path over the dependencies drawn in the same section (and era): the indent of a tree listing. */
  level: number;
  /** Column index into TreeModel.columns, and the slot inside that column. */
  col: number;
  sub: number;
  deps: DepRef[];
  /** Slugs from the work order's `track` key, as written. */
  tracks: string[];
}

export interface Section {
  key: string;
  /** Undefined for the lane of work orders without a track. */
  slug: string | undefined;
  title: string;
  color: string;
  status: string | undefined;
  type: string | undefined;
  /** 0 for a lane, 1 for a sub-track inside it, and so on. */
  level: number;
  lane: string;
  /** Node keys drawn here, in display order (each after its dependencies in this section). */
  nodes: string[];
  /** Node keys drawn in another section that belong here too. */
  refs: string[];
  children: Section[];
  /** Progress of the whole track with its sub-tracks, ignoring view filters. */
  done: number;
  total: number;
}

export interface TreeEdge {
  /** The dependency. */
  from: string;
  /** The work order that depends on it. */
  to: string;
  /** Between two different lanes. */
  cross: boolean;
  /** Points against the column order (a cycle, or an era that depends on a later era). */
  back: boolean;
}

export interface Column {
  label: string;
  /** Slots inside the column: 1 by depth; by era, the depth levels inside that era. */
  slots: number;
}

export interface TreeModel {
  by: Placement;
  columns: Column[];
  lanes: Section[];
  nodes: Map<string, TreeNode>;
  edges: TreeEdge[];
  /** Work orders left out because their front matter could not be read. */
  unreadable: string[];
}

export const UNASSIGNED = '~unassigned';
const NO_ERA = '(no era)';
const COLOR = /^#[0-9a-fA-F]{6}$/;

/** Numeric-aware, locale-free ordering so output never depends on the machine. */
export function natural(a: string, b: string): number {
  const ra = chunks(a);
  const rb = chunks(b);
  for (let i = 0; i < Math.min(ra.length, rb.length); i++) {
    const x = ra[i]!;
    const y = rb[i]!;
    if (x === y) continue;
    const nx = /^\d/.test(x);
    const ny = /^\d/.test(y);
    if (nx && ny) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d;
      return x.length - y.length;
    }
    return x < y ? -1 : 1;
  }
  return ra.length - rb.length || (a < b ? -1 : a > b ? 1 : 0);
}

const chunkCache = new Map<string, string[]>();
/** Sorting 10,000 ids compares each one ~14 times; split it once. */
function chunks(s: string): string[] {
  let c = chunkCache.get(s);
  if (!c) {
    if (chunkCache.size > 100_000) chunkCache.clear();
    c = s.match(/\d+|\D+/g) ?? [];
    chunkCache.set(s, c);
  }
  return c;
}

/** Longest path from a source, iterative (chains in big repositories are deep); edges into the current path are ignored. */
export function longestPath(keys: string[], depsOf: (k: string) => string[]): Map<string, number> {
  const depth = new Map<string, number>();
  const onPath = new Set<string>();
  for (const start of keys) {
    if (depth.has(start)) continue;
    const stack: { k: string; deps: string[]; i: number }[] = [{ k: start, deps: depsOf(start), i: 0 }];
    onPath.add(start);
    while (stack.length) {
      const f = stack[stack.length - 1]!;
      if (f.i < f.deps.length) {
        const d = f.deps[f.i++]!;
        if (!depth.has(d) && !onPath.has(d)) {
          onPath.add(d);
          stack.push({ k: d, deps: depsOf(d), i: 0 });
        }
        continue;
      }
      let best = 0;
      for (const d of f.deps) {
        const dd = depth.get(d);
        if (dd !== undefined) best = Math.max(best, dd + 1);
      }
      depth.set(f.k, best);
      onPath.delete(f.k);
      stack.pop();
    }
  }
  return depth;
}

function laneOrder(t: Track): number {
  const o = t.data.order;
  if (typeof o === 'number' && Number.isFinite(o)) return o;
  return t.number ?? Number.MAX_SAFE_INTEGER;
}

const byLaneOrder = (a: Track, b: Track) => laneOrder(a) - laneOrder(b) || (a.number ?? 0) - (b.number ?? 0) || natural(a.slug, b.slug);

export function buildTree(repo: Repo, opts: TreeOptions = {}): TreeModel {
  const by = opts.by ?? 'depth';
  const readable = repo.workOrders.filter((w) => w.ok).sort((a, b) => natural(a.id ?? a.path, b.id ?? b.path) || natural(a.path, b.path));
  const unreadable = repo.workOrders.filter((w) => !w.ok).map((w) => w.path).sort();

  // Keys: the id when it is unique, else the path (check reports the duplicate).
  const idCount = new Map<string, number>();
  for (const w of readable) if (w.id) idCount.set(w.id, (idCount.get(w.id) ?? 0) + 1);
  const keyOf = new Map<WorkOrder, string>();
  const byKey = new Map<string, WorkOrder>();
  const byId = new Map<string, string>();
  for (const w of readable) {
    const key = w.id && idCount.get(w.id) === 1 ? w.id : w.path;
    keyOf.set(w, key);
    byKey.set(key, w);
    if (w.id && !byId.has(w.id)) byId.set(w.id, key);
  }
  const resolve = dependencyResolver(readable, repo.config);
  // A reference → the key of the node it means (core/deps decides which work order that is).
  const keyFor = (ref: string) => {
    const w = resolve(ref);
    return w ? (keyOf.get(w) ?? byId.get(w.id!)) : undefined;
  };
  const resolvedDeps = (k: string) => {
    const out: string[] = [];
    for (const id of byKey.get(k)!.dependsOn) {
      const d = keyFor(id);
      if (d !== undefined && d !== k && !out.includes(d)) out.push(d);
    }
    return out;
  };
  const allKeys = [...byKey.keys()];
  const depth = longestPath(allKeys, resolvedDeps);
  const eraOf = (k: string) => byKey.get(k)!.era ?? NO_ERA;
  const eraDepth = by === 'era' ? longestPath(allKeys, (k) => resolvedDeps(k).filter((d) => eraOf(d) === eraOf(k))) : depth;

  // Lanes and their nested sections.
  const tracksBySlug = new Map(repo.tracks.map((t) => [t.slug, t]));
  let tops: Track[];
  if (opts.tracks?.length) {
    const picked = [...new Set(opts.tracks)].map((s) => tracksBySlug.get(s)).filter((t): t is Track => t !== undefined);
    tops = picked.filter((t) => !picked.some((o) => o !== t && withDescendants(repo.tracks, o.slug).has(t.slug))).sort(byLaneOrder);
  } else {
    const reachable = new Set<string>();
    for (const t of repo.tracks) if (!t.parent || !tracksBySlug.has(t.parent)) for (const s of withDescendants(repo.tracks, t.slug)) reachable.add(s);
    // Tracks in a parent cycle are reachable from no root: give them a lane rather than lose them.
    tops = repo.tracks.filter((t) => !t.parent || !tracksBySlug.has(t.parent) || !reachable.has(t.slug)).sort(byLaneOrder);
  }

  const sections = new Map<string, Section>();
  const progress = (slug: string) => {
    const slugs = withDescendants(repo.tracks, slug);
    const in_ = readable.filter((w) => w.tracks.some((s) => slugs.has(s)));
    return { done: in_.filter((w) => isDone(w, repo.config)).length, total: in_.length };
  };
  const makeSection = (t: Track, level: number, lane: string, inherited: string): Section => {
    const color = t.color && COLOR.test(t.color) ? t.color.toLowerCase() : inherited;
    const s: Section = {
      key: t.slug,
      slug: t.slug,
      title: t.name?.trim() || t.slug,
      color,
      status: t.status,
      type: t.type,
      level,
      lane,
      nodes: [],
      refs: [],
      children: [],
      ...progress(t.slug),
    };
    sections.set(t.slug, s);
    const kids = repo.tracks.filter((c) => c.parent === t.slug && !sections.has(c.slug) && !tops.includes(c)).sort(byLaneOrder);
    for (const c of kids) if (!sections.has(c.slug)) s.children.push(makeSection(c, level + 1, lane, color));
    return s;
  };
  const lanes: Section[] = [];
  tops.forEach((t, i) => {
    if (!sections.has(t.slug)) lanes.push(makeSection(t, 0, t.slug, PALETTE[i % PALETTE.length]!));
  });
  const unassigned: Section = {
    key: UNASSIGNED,
    slug: undefined,
    title: 'No track',
    color: '#9a9a9a',
    status: undefined,
    type: undefined,
    level: 0,
    lane: UNASSIGNED,
    nodes: [],
    refs: [],
    children: [],
    done: readable.filter((w) => !w.tracks.some((s) => tracksBySlug.has(s)) && isDone(w, repo.config)).length,
    total: readable.filter((w) => !w.tracks.some((s) => tracksBySlug.has(s))).length,
  };
  const filtering = Boolean(opts.tracks?.length);

  // Which work orders are shown, and where.
  const wantStatus = opts.statuses?.length ? new Set(opts.statuses) : undefined;
  const nodes = new Map<string, TreeNode>();
  for (const w of readable) {
    if (wantStatus && !wantStatus.has(w.status ?? '')) continue;
    const homes = [...new Set(w.tracks)].filter((s) => sections.has(s));
    if (!homes.length && filtering) continue;
    const key = keyOf.get(w)!;
    const section = homes.length ? sections.get(homes[0]!)! : unassigned;
    nodes.set(key, {
      key,
      id: w.id ?? w.path.slice(w.path.lastIndexOf('/') + 1).replace(/\.md$/, ''),
      title: w.title?.trim() || '(untitled)',
      status: w.status ?? '',
      category: statusCategory(w.status, repo.config.doneStatuses),
      path: w.path,
      era: w.era,
      section: section.key,
      lane: section.lane,
      also: homes.slice(1),
      depth: depth.get(key) ?? 0,
      level: 0,
      col: 0,
      sub: 0,
      deps: [],
      tracks: w.tracks,
    });
  }
  if (nodes.size && [...nodes.values()].some((n) => n.section === UNASSIGNED)) {
    sections.set(UNASSIGNED, unassigned);
    lanes.push(unassigned);
  }

  // Columns, keeping only the ones something is drawn in.
  const columns: Column[] = [];
  if (by === 'depth') {
    const used = [...new Set([...nodes.values()].map((n) => n.depth))].sort((a, b) => a - b);
    const at = new Map(used.map((d, i) => [d, i]));
    for (const d of used) columns.push({ label: `depth ${d}`, slots: 1 });
    for (const n of nodes.values()) n.col = at.get(n.depth)!;
  } else {
    const eras = [...new Set([...nodes.values()].map((n) => n.era ?? NO_ERA))].sort((a, b) =>
      a === NO_ERA ? 1 : b === NO_ERA ? -1 : natural(a, b),
    );
    eras.forEach((era, col) => {
      const inEra = [...nodes.values()].filter((n) => (n.era ?? NO_ERA) === era);
      const subs = [...new Set(inEra.map((n) => eraDepth.get(n.key) ?? 0))].sort((a, b) => a - b);
      const at = new Map(subs.map((d, i) => [d, i]));
      for (const n of inEra) {
        n.col = col;
        n.sub = at.get(eraDepth.get(n.key) ?? 0)!;
      }
      columns.push({ label: era, slots: subs.length });
    });
  }

  // Dependencies and edges.
  const edges: TreeEdge[] = [];
  for (const n of nodes.values()) {
    const seen = new Set<string>();
    for (const id of byKey.get(n.key)!.dependsOn) {
      if (seen.has(id)) continue;
      seen.add(id);
      const key = keyFor(id);
      if (key === undefined) {
        n.deps.push({ id, state: 'missing' });
        continue;
      }
      const d = nodes.get(key);
      n.deps.push({ id, key, state: d ? 'shown' : 'hidden' });
      if (d && key !== n.key) edges.push({ from: key, to: n.key, cross: d.lane !== n.lane, back: !(d.col < n.col || (d.col === n.col && d.sub < n.sub)) });
    }
  }

  // Each section lists its nodes so that a dependency comes before its dependents.
  for (const n of nodes.values()) {
    sections.get(n.section)!.nodes.push(n.key);
    for (const s of n.also) sections.get(s)!.refs.push(n.key);
  }
  for (const s of sections.values()) {
    const here = new Set(s.nodes);
    const local = longestPath(s.nodes, (k) => {
      const n = nodes.get(k)!;
      return n.deps.filter((d) => d.key !== undefined && d.key !== k && here.has(d.key) && nodes.get(d.key)!.col === (by === 'era' ? n.col : nodes.get(d.key)!.col)).map((d) => d.key!);
    });
    for (const k of s.nodes) nodes.get(k)!.level = local.get(k) ?? 0;
    s.nodes = displayOrder(s.nodes, nodes, by);
    s.refs.sort((a, b) => rank(nodes.get(a)!, nodes.get(b)!));
  }

  return { by, columns, lanes, nodes, edges, unreadable };
}

const rank = (a: TreeNode, b: TreeNode) => a.col - b.col || a.sub - b.sub || a.level - b.level || natural(a.id, b.id);

/**
 * Depth-first topological order: after a work order come the ones it unblocks,
 * so chains read top to bottom like a tree. Cycles fall back to column order.
 */
function displayOrder(keys: string[], nodes: Map<string, TreeNode>, by: Placement): string[] {
  const here = new Set(keys);
  const indeg = new Map<string, number>();
  const next = new Map<string, string[]>();
  for (const k of keys) {
    const deps = nodes.get(k)!.deps.filter((d) => d.key !== undefined && d.key !== k && here.has(d.key));
    indeg.set(k, deps.length);
    for (const d of deps) {
      const list = next.get(d.key!);
      if (list) list.push(k);
      else next.set(d.key!, [k]);
    }
  }
  const cmp = (a: string, b: string) => rank(nodes.get(a)!, nodes.get(b)!);
  const stack = keys.filter((k) => indeg.get(k) === 0).sort(cmp).reverse();
  const out: string[] = [];
  const done = new Set<string>();
  while (out.length < keys.length) {
    if (!stack.length) {
      // A cycle: release its earliest member.
      const rest = keys.filter((k) => !done.has(k)).sort(cmp);
      stack.push(rest[0]!);
    }
    const k = stack.pop()!;
    if (done.has(k)) continue;
    done.add(k);
    out.push(k);
    const freed = (next.get(k) ?? []).filter((c) => {
      const left = indeg.get(c)! - 1;
      indeg.set(c, left);
      return left === 0 && !done.has(c);
    });
    stack.push(...freed.sort(cmp).reverse());
  }
  // By era the columns are headings, so keep each era together (stable: chains stay in order).
  if (by === 'era') return out.map((k, i) => ({ k, i })).sort((a, b) => nodes.get(a.k)!.col - nodes.get(b.k)!.col || a.i - b.i).map((x) => x.k);
  return out;
}

/** All sections of a lane, depth first. */
export function sectionsOf(lane: Section): Section[] {
  return [lane, ...lane.children.flatMap(sectionsOf)];
}

/**
 * The same model with every string that came from a file (ids, titles,
 * statuses, slugs, era labels, paths) sanitized for a terminal or a diagram;
 * keys are kept, so lookups still work. For the text tree and Mermaid, whose
 * labels a person reads; the HTML page escapes on its own.
 */
export function displayModel(model: TreeModel): TreeModel {
  const s = (v: string) => sanitize(v);
  const o = <T extends string | undefined>(v: T) => (v === undefined ? v : (sanitize(v) as T));
  const section = (x: Section): Section => ({ ...x, slug: o(x.slug), title: s(x.title), status: o(x.status), type: o(x.type), children: x.children.map(section) });
  const nodes = new Map<string, TreeNode>();
  for (const [k, n] of model.nodes) {
    nodes.set(k, { ...n, id: s(n.id), title: s(n.title), status: s(n.status), path: s(n.path), era: o(n.era), tracks: n.tracks.map(s), deps: n.deps.map((d) => ({ ...d, id: s(d.id) })) });
  }
  return { ...model, columns: model.columns.map((c) => ({ ...c, label: s(c.label) })), lanes: model.lanes.map(section), nodes, unreadable: model.unreadable.map(s) };
}
