/**
 * The tech tree as one self-contained HTML page: an inline SVG (lanes tinted
 * with the track colours, nodes filled by status, hover titles), a legend and
 * a track filter. No network: no CDN, no web fonts, and a Content Security
 * Policy that only allows the page's own script and style by hash, so text
 * from work orders (escaped everywhere) could not run even if it got through.
 * Pure apart from hashing.
 */
import { createHash } from 'node:crypto';
import { sanitize } from '../render/sanitize.js';
import type { Section, TreeModel, TreeNode } from './model.js';
import { sectionsOf, UNASSIGNED } from './model.js';
import { CATEGORY_ORDER, statusStyle } from './status.js';
import { HEAD_H, LANE_GAP, MARGIN, NODE_H, NODE_W, REF_H, type Geometry, type Placed } from './layout.js';

export interface HtmlOptions {
  title: string;
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/**
 * Text and attribute values alike; drops control characters XML does not
 * allow, and shows DEL, C1 and bidi overrides as escapes (a U+202E in a title
 * would reorder what the reader sees).
 */
export function esc(s: string): string {
  // eslint-disable-next-line no-control-regex
  return sanitize(s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, ''), { multiline: true }).replace(/[&<>"']/g, (c) => ESC[c]!);
}

const num = (n: number) => String(Math.round(n * 10) / 10);

/**
 * Edge from the right middle of the dependency to the left middle of the
 * dependent. Forward edges run level out of the source, turn (rounded) into
 * the gap just before the target's column, and run level into the target, so
 * long and cross-lane edges travel in the empty gaps between columns; `lane`
 * (0..8) spreads edges that share a gap. Backward edges loop around. The
 * page's script reuses this very function (via its source) after the filter
 * restacks lanes.
 */
export function edgePath(x1: number, y1: number, x2: number, y2: number, lane: number): string {
  const r = (n: number) => Math.round(n * 10) / 10;
  if (x2 - x1 < 24) {
    const bend = 60 + Math.min(120, Math.abs(y2 - y1) / 4);
    return `M${r(x1)},${r(y1)} C${r(x1 + bend)},${r(y1)} ${r(x2 - bend)},${r(y2)} ${r(x2)},${r(y2)}`;
  }
  const dy = y2 - y1;
  if (Math.abs(dy) < 1) return `M${r(x1)},${r(y1)} H${r(x2)}`;
  const gap = Math.min(32, (x2 - x1) / 2);
  const gx = x2 - gap + (lane - 4) * Math.min(3, gap / 6);
  const rad = Math.min(10, Math.abs(dy) / 2, gx - x1, x2 - gx);
  const s = dy > 0 ? 1 : -1;
  return (
    `M${r(x1)},${r(y1)} H${r(gx - rad)} Q${r(gx)},${r(y1)} ${r(gx)},${r(y1 + s * rad)}` +
    ` V${r(y2 - s * rad)} Q${r(gx)},${r(y2)} ${r(gx + rad)},${r(y2)} H${r(x2)}`
  );
}

/** Which of the nine sub-channels of a gap an edge takes: stable for the pair, spread across edges. */
export function channel(from: string, to: string): number {
  let h = 0;
  for (const ch of `${from}>${to}`) h = (h * 31 + ch.codePointAt(0)!) >>> 0;
  return h % 9;
}

/** Roughly how many characters of 11px system sans fit in `px`. */
const fits = (px: number) => Math.floor(px / 6.1);

/** Word-wraps into at most `lines` lines of `perLine` characters, ending with … when cut. */
export function wrap(text: string, perLine: number, lines: number): string[] {
  const words = text.replace(/\s+/g, ' ').trim().split(' ').filter(Boolean);
  const out: string[] = [];
  let cur = '';
  let i = 0;
  for (; i < words.length; i++) {
    const w = words[i]!;
    const next = cur ? `${cur} ${w}` : w;
    if (next.length <= perLine) {
      cur = next;
      continue;
    }
    if (out.length === lines - 1) break;
    if (cur) {
      out.push(cur);
      cur = '';
      i--;
      continue;
    }
    out.push(w.slice(0, perLine - 1) + '…');
  }
  if (i < words.length) cur = ((cur ? `${cur} ` : '') + words[i]).slice(0, perLine - 1).trimEnd() + '…';
  if (cur) out.push(cur);
  return out.slice(0, lines);
}

export function renderHtml(model: TreeModel, geo: Geometry, opts: HtmlOptions): string {
  const sections = new Map<string, Section>();
  for (const lane of model.lanes) for (const s of sectionsOf(lane)) sections.set(s.key, s);
  const sectionName = (key: string) => {
    const s = sections.get(key);
    return s ? (s.slug ? `${s.title} (${s.slug})` : s.title) : key;
  };
  const laneTop = new Map(geo.lanes.map((l) => [l.key, l.y]));
  const laneColor = new Map(model.lanes.map((l) => [l.key, l.color]));

  const nodeTitle = (n: TreeNode) => {
    const deps = n.deps.map((d) => `${d.id}${d.state === 'missing' ? ' (no such work order)' : d.state === 'hidden' ? ' (filtered out)' : ''}`);
    const lines = [
      `${n.id} · ${n.status || 'no status'}`,
      n.title,
      `track: ${n.section !== UNASSIGNED ? sectionName(n.section) : n.tracks.length ? `${n.tracks.join(', ')} (no such track)` : 'none'}${n.also.length ? `; also in ${n.also.map(sectionName).join(', ')}` : ''}`,
      `depends on: ${deps.length ? deps.join(', ') : 'nothing'}`,
      `${model.by === 'era' ? `era ${n.era ?? 'none'} · ` : ''}depth ${n.depth}${n.era && model.by !== 'era' ? ` · era ${n.era}` : ''}`,
      n.path,
    ];
    return lines.join('\n');
  };

  const perLine = fits(NODE_W - 20);
  const nodeSvg = (n: TreeNode, p: Placed) => {
    const st = statusStyle(n.category);
    const color = sections.get(n.section)?.color ?? '#999999';
    const status = n.status || '?';
    const badge = status.length > 12 ? status.slice(0, 11) + '…' : status;
    const bw = badge.length * 5.6 + 12;
    const idText = `${st.glyph} ${n.id}`;
    const idMax = fits(NODE_W - bw - 24);
    const title = wrap(n.title, perLine, 2);
    return (
      `<g class="node s-${n.category}" data-key="${esc(n.key)}" data-lane="${esc(p.lane)}" data-x="${num(p.x)}" data-y="${num(p.y)}" transform="translate(${num(p.x)},${num(p.y)})">` +
      `<title>${esc(nodeTitle(n))}</title>` +
      `<rect class="box" width="${NODE_W}" height="${NODE_H}" rx="6" fill="${st.fill}" stroke="${st.stroke}"${n.category === 'retired' ? ' stroke-dasharray="4 3"' : ''}/>` +
      `<rect width="5" height="${NODE_H - 8}" x="3" y="4" rx="2" fill="${color}"/>` +
      `<text class="id" x="14" y="17" fill="${st.ink}">${esc(idText.length > idMax ? idText.slice(0, idMax - 1) + '…' : idText)}</text>` +
      `<rect x="${num(NODE_W - 8 - bw)}" y="6" width="${num(bw)}" height="15" rx="7.5" fill="${st.stroke}"/>` +
      `<text class="badge" x="${num(NODE_W - 8 - bw / 2)}" y="17" text-anchor="middle">${esc(badge)}</text>` +
      title.map((t, i) => `<text class="t" x="14" y="${33 + i * 13}" fill="${st.ink}">${esc(t)}</text>`).join('') +
      `</g>`
    );
  };

  // Layers: lane backgrounds, then edges, then nodes, so edges pass behind nodes but over lanes.
  const bg: string[] = [];
  const fg: string[] = [];
  for (const lane of model.lanes) {
    const box = geo.lanes.find((l) => l.key === lane.key)!;
    const parts: string[] = [];
    for (const sb of box.sections) {
      const s = sections.get(sb.key)!;
      const color = s.color;
      const meta = s.slug ? [s.slug, s.type, s.status, `${s.done}/${s.total} done`].filter(Boolean).join(' · ') : `${s.total} work order${s.total === 1 ? '' : 's'} without a track`;
      if (sb.level === 0) {
        parts.push(`<rect class="lane-box" x="${sb.x}" y="0" width="${sb.w}" height="${num(sb.h)}" rx="8" fill="${color}" fill-opacity="0.07" stroke="${color}" stroke-opacity="0.55"/>`);
        parts.push(`<rect x="${sb.x}" y="0" width="6" height="${num(sb.h)}" rx="3" fill="${color}"/>`);
      } else {
        parts.push(`<rect class="sub-box" x="${sb.x}" y="${num(sb.y)}" width="${sb.w}" height="${num(sb.h)}" rx="6" fill="${color}" fill-opacity="0.07" stroke="${color}" stroke-dasharray="5 3"/>`);
      }
      parts.push(
        `<text class="${sb.level ? 'sub-title' : 'lane-title'}" x="${sb.x + 16}" y="${num(sb.y + HEAD_H / 2 + 5)}"><tspan class="name">${esc((sb.level ? '▸ ' : '') + s.title)}</tspan><tspan class="meta" dx="10">${esc(meta)}</tspan></text>`,
      );
      if (sb.empty) parts.push(`<text class="empty" x="${sb.x + 16}" y="${num(sb.y + HEAD_H + 12)}">(no work orders shown)</text>`);
    }
    bg.push(`<g class="lane" data-lane="${esc(lane.key)}" data-y="${num(box.y)}" data-h="${num(box.h)}" transform="translate(0,${num(box.y)})">${parts.join('')}</g>`);

    const nodes: string[] = [];
    for (const s of sectionsOf(lane)) {
      for (const k of s.nodes) nodes.push(nodeSvg(model.nodes.get(k)!, geo.nodes.get(k)!));
    }
    for (const r of geo.refs.filter((r) => r.lane === lane.key)) {
      const n = model.nodes.get(r.key)!;
      const label = `↪ ${n.id}  ${n.title}`;
      const max = fits(NODE_W - 16);
      nodes.push(
        `<g class="ref" data-key="${esc(n.key)}" data-lane="${esc(r.lane)}" transform="translate(${num(r.x)},${num(r.y)})"><title>${esc(`${n.id} · ${n.title}\nalso in ${sectionName(r.section)}; drawn in ${sectionName(n.section)}`)}</title>` +
          `<rect width="${NODE_W}" height="${REF_H}" rx="13" fill="#ffffff" fill-opacity="0.7" stroke="#8a8a8a" stroke-dasharray="3 3"/>` +
          `<text class="t" x="10" y="17">${esc(label.length > max ? label.slice(0, max - 1) + '…' : label)}</text></g>`,
      );
    }
    fg.push(`<g class="lane-nodes" data-lane="${esc(lane.key)}" transform="translate(0,${num(box.y)})">${nodes.join('')}</g>`);
  }

  // Edges grouped by the pair of lanes they join: the filter shows or hides a group, not thousands of paths.
  const groups = new Map<string, string[]>();
  for (const e of model.edges) {
    const a = geo.nodes.get(e.from)!;
    const b = geo.nodes.get(e.to)!;
    const k = channel(e.from, e.to);
    const d = edgePath(a.x + NODE_W, laneTop.get(a.lane)! + a.y + NODE_H / 2, b.x, laneTop.get(b.lane)! + b.y + NODE_H / 2, k);
    const cls = `edge${e.cross ? ' cross' : ''}${e.back ? ' back' : ''}`;
    const stroke = e.back ? '#c0392b' : e.cross ? (laneColor.get(a.lane) ?? '#777777') : '#6b7280';
    const pair = `${a.lane}\u0000${b.lane}`;
    const list = groups.get(pair) ?? [];
    list.push(`<path class="${cls}" data-from="${esc(e.from)}" data-to="${esc(e.to)}" data-k="${k}" d="${d}" stroke="${stroke}" marker-end="url(#arrow)"/>`);
    groups.set(pair, list);
  }
  const edges = [...groups].map(([pair, paths]) => {
    const [a, b] = pair.split('\u0000');
    return `<g class="edge-group" data-a="${esc(a!)}" data-b="${esc(b!)}">${paths.join('')}</g>`;
  });

  const bands = geo.columns.map(
    (c, i) =>
      `<rect class="band" x="${num(c.x)}" y="0" width="${num(c.w)}" height="${num(geo.height)}" fill="${i % 2 ? '#000000' : '#ffffff'}" fill-opacity="${i % 2 ? '0.03' : '0'}"/>`,
  );
  // Column labels live in their own strip that stays on screen while the lanes scroll by.
  const labels =
    `<svg id="cols" xmlns="http://www.w3.org/2000/svg" width="${geo.width}" height="26" viewBox="0 0 ${geo.width} 26" aria-hidden="true">` +
    geo.columns.map((c, i) => `<rect x="${num(c.x)}" y="0" width="${num(c.w)}" height="26" fill="${i % 2 ? '#f0f0f0' : '#fafafa'}"/><text class="col-label" x="${num(c.x + c.w / 2)}" y="17" text-anchor="middle">${esc(c.label)}</text>`).join('') +
    `</svg>`;

  const svg =
    `<svg id="tree" xmlns="http://www.w3.org/2000/svg" width="${geo.width}" height="${num(geo.height)}" viewBox="0 0 ${geo.width} ${num(geo.height)}" role="img" aria-label="${esc(opts.title)}">` +
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#6b7280"/></marker></defs>` +
    `<g class="bands">${bands.join('')}</g><g class="lanes">${bg.join('')}</g><g class="edges">${edges.join('')}</g><g class="nodes">${fg.join('')}</g></svg>`;

  const all = [...model.nodes.values()];
  const filter = model.lanes
    .map((l) => {
      const count = all.filter((n) => n.lane === l.key).length;
      return `<label><input type="checkbox" checked data-lane="${esc(l.key)}"><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" rx="2" fill="${l.color}"/></svg>${esc(l.title)} <span class="count">${count}</span></label>`;
    })
    .join('');
  const present = new Map<string, Set<string>>();
  for (const n of all) {
    const set = present.get(n.category) ?? new Set<string>();
    set.add(n.status || 'no status');
    present.set(n.category, set);
  }
  const legend = CATEGORY_ORDER.filter((c) => present.has(c))
    .map((c) => {
      const st = statusStyle(c);
      return `<span class="item"><svg width="22" height="14" aria-hidden="true"><rect x="1" y="1" width="20" height="12" rx="3" fill="${st.fill}" stroke="${st.stroke}" stroke-width="1.5"/></svg>${esc(`${st.glyph} ${[...present.get(c)!].sort().join(', ')}`)}</span>`;
    })
    .join('');
  const edgeLegend =
    (model.edges.some((e) => !e.cross) ? `<span class="item"><svg width="30" height="10" aria-hidden="true"><path d="M0,5 H30" stroke="#6b7280" stroke-width="1.5"/></svg>depends on (same lane)</span>` : '') +
    (model.edges.some((e) => e.cross) ? `<span class="item"><svg width="30" height="10" aria-hidden="true"><path d="M0,5 H30" stroke="#4e79a7" stroke-width="1.5"/></svg>from another lane (its colour)</span>` : '') +
    (model.edges.some((e) => e.back) ? `<span class="item"><svg width="30" height="10" aria-hidden="true"><path d="M0,5 H30" stroke="#c0392b" stroke-width="1.5" stroke-dasharray="5 4"/></svg>against the column order</span>` : '') +
    (geo.refs.length ? `<span class="item">↪ also in this track, drawn in another</span>` : '');

  const cross = model.edges.filter((e) => e.cross).length;
  const summary = `${all.length} work order${all.length === 1 ? '' : 's'} · ${model.lanes.length} lane${model.lanes.length === 1 ? '' : 's'} · ${model.edges.length} dependenc${model.edges.length === 1 ? 'y' : 'ies'}${cross ? ` (${cross} across lanes)` : ''} · columns by ${model.by}${model.unreadable.length ? ` · ${model.unreadable.length} unreadable file${model.unreadable.length === 1 ? '' : 's'} left out` : ''}`;

  const style = STYLE;
  const script = clientScript(geo);
  const hash = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;
  const csp = `default-src 'none'; style-src ${hash(style)}; script-src ${hash(script)}; img-src data:; base-uri 'none'; form-action 'none'`;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="generator" content="tracks tree">
<title>${esc(opts.title)}</title>
<style>${style}</style>
</head>
<body>
<header>
<h1>${esc(opts.title)}</h1>
<p class="summary">${esc(summary)}</p>
<fieldset class="filter"><legend>Tracks</legend>${filter}<span class="buttons"><button type="button" id="show-all">All</button><button type="button" id="show-none">None</button><button type="button" id="fit">Fit width</button></span></fieldset>
<p class="legend">${legend}${edgeLegend}</p>
<p class="hint">Hover a work order for its details and dependencies.</p>
</header>
<main><div class="cols">${labels}</div>${svg}</main>
<script>${script}</script>
</body>
</html>
`;
}

const STYLE = `
:root{color-scheme:light;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1f2328;background:#fafafa}
body{margin:0}
header{position:sticky;left:0;padding:12px 16px 4px;max-width:100vw;box-sizing:border-box}
h1{font-size:18px;margin:0 0 4px}
.summary,.hint{margin:0 0 8px;color:#57606a;font-size:13px}
.filter{border:1px solid #d0d7de;border-radius:6px;padding:6px 10px;margin:0 0 8px;font-size:13px;display:flex;flex-wrap:wrap;gap:4px 14px;align-items:center}
.filter legend{color:#57606a;padding:0 4px}
.filter label{display:inline-flex;align-items:center;gap:5px;cursor:pointer;white-space:nowrap}
.filter .count{color:#57606a;font-size:12px}
.filter .buttons{display:inline-flex;gap:6px;margin-left:auto}
button{font:inherit;font-size:12px;padding:2px 10px;border:1px solid #d0d7de;border-radius:6px;background:#f6f8fa;cursor:pointer}
.legend{display:flex;flex-wrap:wrap;gap:4px 16px;font-size:12px;color:#3d444d;margin:0 0 4px}
.legend .item{display:inline-flex;align-items:center;gap:5px}
main{padding:0 0 24px}
#tree,#cols{display:block}
.cols{position:sticky;top:0;z-index:1}
.fit{width:100%;height:auto}
#tree text{font-size:11px}
#tree .id{font-weight:600}
#tree .badge{font-size:9px;fill:#ffffff;font-weight:600}
#tree .lane-title .name{font-weight:700;font-size:14px}
#tree .sub-title .name{font-weight:600;font-size:12.5px}
#tree .meta{fill:#57606a;font-size:11px}
#tree .empty{fill:#8c959f;font-style:italic}
#cols .col-label{fill:#57606a;font-size:12px;font-weight:600;font-family:system-ui,sans-serif}
#tree .edge{fill:none;stroke-width:1.3;opacity:.55}
#tree .edge.cross{opacity:.5}
#tree .edge.back{stroke-dasharray:3 3}
#tree .node{cursor:default}
#tree .node .box{stroke-width:1.5}
#tree .ref .t{fill:#57606a}
#tree .hidden{display:none}
#tree.focus .edge{opacity:.08}
#tree.focus .node{opacity:.35}
#tree.focus .edge.hl{opacity:1;stroke-width:2.2}
#tree.focus .node.hl{opacity:1}
#tree.focus .node.hl .box{stroke-width:2.5}
`;

/** The page's only script: the track filter (hide lanes, restack, redraw edges) and hover highlighting. */
function clientScript(geo: Geometry): string {
  return `(() => {
"use strict";
const edgePath = ${edgePath.toString()};
const W = ${geo.width}, TOP = ${geo.top}, GAP = ${LANE_GAP}, BOTTOM = ${MARGIN}, NW = ${NODE_W}, NH = ${NODE_H};
const svg = document.getElementById("tree");
const lanes = Array.from(svg.querySelectorAll("g.lane"));
const layers = new Map(Array.from(svg.querySelectorAll("g.lane-nodes")).map((g) => [g.dataset.lane, g]));
const pos = new Map();
for (const n of svg.querySelectorAll("g.node")) pos.set(n.dataset.key, { x: +n.dataset.x, y: +n.dataset.y, lane: n.dataset.lane, el: n });
const laneY = new Map(lanes.map((g) => [g.dataset.lane, +g.dataset.y]));
const edges = Array.from(svg.querySelectorAll("path.edge")).map((el) => {
  const a = pos.get(el.dataset.from), b = pos.get(el.dataset.to);
  return { el, a, b, k: +el.dataset.k, ta: a && laneY.get(a.lane), tb: b && laneY.get(b.lane) };
});
const groups = Array.from(svg.querySelectorAll("g.edge-group")).map((el) => ({ el, a: el.dataset.a, b: el.dataset.b, on: true }));
const bands = Array.from(svg.querySelectorAll("rect.band"));
const boxes = Array.from(document.querySelectorAll(".filter input[data-lane]"));
// Touch only what changed: with thousands of edges, rewriting every path makes the filter sluggish.
function relayout() {
  const shown = new Set(boxes.filter((b) => b.checked).map((b) => b.dataset.lane));
  const top = new Map();
  let y = TOP;
  for (const g of lanes) {
    const key = g.dataset.lane;
    const on = shown.has(key);
    const layer = layers.get(key);
    g.classList.toggle("hidden", !on);
    if (layer) layer.classList.toggle("hidden", !on);
    if (!on) continue;
    top.set(key, y);
    if (laneY.get(key) !== y) {
      laneY.set(key, y);
      g.setAttribute("transform", "translate(0," + y + ")");
      if (layer) layer.setAttribute("transform", "translate(0," + y + ")");
    }
    y += +g.dataset.h + GAP;
  }
  const H = Math.max(TOP + 40, y - GAP + BOTTOM);
  svg.setAttribute("height", String(H));
  svg.setAttribute("viewBox", "0 0 " + W + " " + H);
  for (const b of bands) b.setAttribute("height", String(H));
  for (const g of groups) {
    const on = top.has(g.a) && top.has(g.b);
    if (on !== g.on) g.el.classList.toggle("hidden", !on);
    g.on = on;
  }
  for (const e of edges) {
    if (!e.a || !e.b || !top.has(e.a.lane) || !top.has(e.b.lane)) continue;
    if (e.ta === top.get(e.a.lane) && e.tb === top.get(e.b.lane)) continue;
    e.ta = top.get(e.a.lane);
    e.tb = top.get(e.b.lane);
    e.el.setAttribute("d", edgePath(e.a.x + NW, e.ta + e.a.y + NH / 2, e.b.x, e.tb + e.b.y + NH / 2, e.k));
  }
}
for (const b of boxes) b.addEventListener("change", relayout);
document.getElementById("show-all").addEventListener("click", () => { for (const b of boxes) b.checked = true; relayout(); });
document.getElementById("show-none").addEventListener("click", () => { for (const b of boxes) b.checked = false; relayout(); });
document.getElementById("fit").addEventListener("click", (ev) => {
  const on = svg.classList.toggle("fit");
  document.getElementById("cols").classList.toggle("fit", on);
  ev.currentTarget.textContent = on ? "Actual size" : "Fit width";
});
const byNode = new Map();
for (const e of edges) for (const n of [e.el.dataset.from, e.el.dataset.to]) byNode.set(n, (byNode.get(n) || []).concat([e]));
let lit = [];
function clear() { for (const el of lit) el.classList.remove("hl"); lit = []; svg.classList.remove("focus"); }
svg.addEventListener("mouseover", (ev) => {
  const node = ev.target instanceof Element ? ev.target.closest("g.node") : null;
  clear();
  if (!node) return;
  const key = node.dataset.key;
  lit.push(node);
  for (const e of byNode.get(key) || []) {
    lit.push(e.el);
    const other = e.a && e.a.el === node ? e.b : e.a;
    if (other) lit.push(other.el);
  }
  for (const el of lit) el.classList.add("hl");
  svg.classList.add("focus");
});
svg.addEventListener("mouseleave", clear);
})();`;
}
