/**
 * `tracks tree --format json`: the tech-tree model every renderer draws, as
 * plain JSON (lanes nest their sub-tracks; nodes and edges are flat). Pure.
 */
import type { Section, TreeModel } from '../tree/model.js';

function section(s: Section): SectionJson {
  return {
    key: s.key,
    slug: s.slug ?? null,
    title: s.title,
    status: s.status ?? null,
    type: s.type ?? null,
    color: s.color,
    level: s.level,
    done: s.done,
    total: s.total,
    nodes: s.nodes,
    refs: s.refs,
    children: s.children.map(section),
  };
}

export interface SectionJson {
  key: string;
  slug: string | null;
  title: string;
  status: string | null;
  type: string | null;
  color: string;
  level: number;
  done: number;
  total: number;
  /** Keys of the work orders drawn here, each after its dependencies. */
  nodes: string[];
  /** Keys of work orders drawn in another section that belong here too. */
  refs: string[];
  children: SectionJson[];
}

export function treeShape(m: TreeModel) {
  return {
    version: 1 as const,
    by: m.by,
    columns: m.columns,
    lanes: m.lanes.map(section),
    nodes: [...m.nodes.values()].map((n) => ({
      key: n.key,
      id: n.id,
      title: n.title,
      status: n.status,
      category: n.category,
      path: n.path,
      era: n.era ?? null,
      section: n.section,
      lane: n.lane,
      also: n.also,
      tracks: n.tracks,
      depth: n.depth,
      col: n.col,
      sub: n.sub,
      deps: n.deps.map((d) => ({ id: d.id, key: d.key ?? null, state: d.state })),
    })),
    edges: m.edges,
    unreadable: m.unreadable,
  };
}

export type TreeShape = ReturnType<typeof treeShape>;
