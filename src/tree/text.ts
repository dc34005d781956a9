/**
 * The tech tree in a terminal: one block per lane, sub-tracks boxed inside,
 * one line per work order indented by its depth so chains read like a tree,
 * dependencies listed on the right. Fits `width`; colour only through `color`
 * (a level-0 chalk prints plain text). Pure.
 */
import type { ChalkInstance } from 'chalk';
import { truncate, width as cells } from '../render/text.js';
import { CATEGORY_ORDER, statusStyle } from './status.js';
import { displayModel, type Section, type TreeModel, type TreeNode } from './model.js';

export interface TextOptions {
  width: number;
  color: ChalkInstance;
}

const MIN_TITLE = 24;

export function renderText(raw: TreeModel, opts: TextOptions): string {
  // Titles, ids and slugs come from files: sanitized once, before any width is measured.
  const model = displayModel(raw);
  const W = Math.max(40, opts.width);
  const c = opts.color;
  const out: string[] = [];
  const idW = Math.max(0, ...[...model.nodes.values()].map((n) => cells(n.id)));
  const titleOf = new Map<string, string>();
  const visit = (s: Section) => {
    titleOf.set(s.key, s.slug ?? s.title);
    s.children.forEach(visit);
  };
  model.lanes.forEach(visit);
  const maxIndent = Math.max(2, Math.min(12, Math.floor((W - 40) / 4)));

  const depsText = (n: TreeNode, budget: number): string => {
    if (!n.deps.length || budget < 4) return '';
    const items = n.deps.map((d) => {
      if (d.state === 'missing') return `?${d.id}`;
      const dep = d.key !== undefined ? model.nodes.get(d.key) : undefined;
      return dep && dep.lane !== n.lane ? `↗${d.id}` : d.id;
    });
    for (let k = items.length; k >= 0; k--) {
      const more = items.length - k;
      const s = `← ${items.slice(0, k).join(' ')}${more ? `${k ? ' ' : ''}+${more}` : ''}`;
      if (cells(s) <= budget) return s;
    }
    return '';
  };

  const nodeLine = (gutter: string, gutterW: number, n: TreeNode, indent: number): string => {
    const st = statusStyle(n.category);
    const ind = '  '.repeat(Math.min(indent, maxIndent));
    const avail = W - gutterW - cells(ind) - 2 - idW - 2;
    const title = n.title.replace(/\s+/g, ' ');
    const full = depsText(n, Number.MAX_SAFE_INTEGER);
    let t: string;
    let d: string;
    if (cells(title) + (full ? 2 + cells(full) : 0) <= avail) {
      t = title;
      d = full;
    } else {
      const keep = Math.min(cells(title), Math.max(MIN_TITLE, avail - (full ? 2 + cells(full) : 0)));
      d = depsText(n, avail - keep - 2);
      t = truncate(title, Math.max(1, avail - (d ? 2 + cells(d) : 0)));
    }
    const paint = c[st.term];
    const titlePaint = n.category === 'retired' ? c.dim : (s: string) => s;
    const idCell = n.id + ' '.repeat(Math.max(0, idW - cells(n.id)));
    return `${gutter}${ind}${paint(st.glyph)} ${paint(idCell)}  ${titlePaint(t)}${d ? `  ${c.dim(d)}` : ''}`;
  };

  const section = (s: Section, gutter: string, gutterW: number) => {
    const nodes = s.nodes.map((k) => model.nodes.get(k)!);
    let era: number | undefined;
    for (const n of nodes) {
      if (model.by === 'era' && n.col !== era) {
        era = n.col;
        out.push(`${gutter}${c.dim(`── ${model.columns[n.col]!.label} ──`)}`);
      }
      out.push(nodeLine(gutter, gutterW, n, n.level));
    }
    for (const k of s.refs) {
      const n = model.nodes.get(k)!;
      const where = `(in ${titleOf.get(n.section)})`;
      const avail = W - gutterW - 2 - cells(n.id) - 2 - 2 - cells(where);
      out.push(`${gutter}${c.dim(`↪ ${n.id}  ${truncate(n.title, Math.max(8, avail))}  ${where}`)}`);
    }
    if (!nodes.length && !s.refs.length && !s.children.length) out.push(`${gutter}${c.dim('(no work orders shown)')}`);
    for (const child of s.children) {
      const bar = c.hex(child.color)('│') + ' ';
      out.push(`${gutter}${header(c.hex(child.color)('┌'), child, W - gutterW, c)}`);
      section(child, gutter + bar, gutterW + 2);
    }
  };

  model.lanes.forEach((lane, i) => {
    if (i) out.push('');
    out.push(header(c.hex(lane.color)('■'), lane, W, c));
    section(lane, c.hex(lane.color)('│') + ' ', 2);
  });

  if (!model.nodes.size) out.push(...(out.length ? [''] : []), 'No work orders to show.');
  out.push('', ...footer(model, W, c));
  return out.join('\n') + '\n';
}

function meta(s: Section): string {
  if (s.slug === undefined) return `${s.total} work order${s.total === 1 ? '' : 's'}`;
  return [s.slug, s.type, s.status, `${s.done}/${s.total} done`].filter(Boolean).join(' · ');
}

/** Mark, title, then the details in what width is left; cut before colouring so escapes stay whole. */
function header(mark: string, s: Section, W: number, c: ChalkInstance): string {
  const title = truncate(s.title, Math.max(10, W - 2 - 20));
  const rest = truncate(meta(s), W - 2 - cells(title) - 2);
  return `${mark} ${c.bold(title)}${rest ? `  ${c.dim(rest)}` : ''}`;
}

function footer(model: TreeModel, W: number, c: ChalkInstance): string[] {
  const nodes = [...model.nodes.values()];
  const cross = model.edges.filter((e) => e.cross).length;
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const lines = flow(
    [
      plural(nodes.length, 'work order', 'work orders'),
      plural(model.lanes.length, 'lane', 'lanes'),
      `${plural(model.edges.length, 'dependency', 'dependencies')}${cross ? ` (${cross} across lanes)` : ''}`,
      `by ${model.by}`,
    ],
    ' · ',
    W,
  ).map((l) => c.dim(l));
  const present = new Map<string, Set<string>>();
  for (const n of nodes) {
    const set = present.get(n.category) ?? new Set<string>();
    set.add(n.status || '(none)');
    present.set(n.category, set);
  }
  const items: string[] = [];
  const paint: ((s: string) => string)[] = [];
  for (const cat of CATEGORY_ORDER) {
    const names = present.get(cat);
    if (!names) continue;
    const st = statusStyle(cat);
    items.push(`${st.glyph} ${[...names].sort().join('/')}`);
    paint.push((s) => c[st.term](s.slice(0, st.glyph.length)) + s.slice(st.glyph.length));
  }
  const marks: string[] = [];
  if (model.edges.some((e) => e.cross)) marks.push('↗ in another lane');
  if (nodes.some((n) => n.deps.some((d) => d.state === 'missing'))) marks.push('? unknown id');
  if (nodes.some((n) => n.also.length)) marks.push('↪ shown in another track');
  for (const m of marks) {
    items.push(m);
    paint.push((s) => c.dim(s));
  }
  // Flow plain text first so widths are right, then colour each item.
  const painted = new Map(items.map((it, i) => [it, paint[i]!]));
  for (const line of flow(items, '   ', W)) lines.push(line.split('   ').map((it) => (painted.get(it) ?? ((s: string) => s))(it)).join('   '));
  if (model.unreadable.length) {
    for (const l of flow([`${plural(model.unreadable.length, 'work order file', 'work order files')} left out:`, 'front matter unreadable', '(run tracks check)'], ' ', W)) lines.push(c.yellow(l));
  }
  return lines;
}

/** Joins items with `sep`, starting a new line instead of passing width W (an item longer than W is cut). */
function flow(items: string[], sep: string, W: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const raw of items) {
    const it = truncate(raw, W);
    if (line && cells(line) + cells(sep) + cells(it) > W) {
      out.push(line);
      line = '';
    }
    line = line ? line + sep + it : it;
  }
  if (line) out.push(line);
  return out;
}
