/**
 * The tech tree as one self-contained HTML page: lanes tinted with the track
 * colours, nodes filled by status, hover details, a track filter, lanes that
 * fold. No network: no CDN, no web fonts, and a Content Security Policy that
 * only allows the page's own script and style by hash, so text from work
 * orders could not run even if it got through (it is data, placed with
 * textContent, never parsed as markup).
 *
 * The page carries the laid-out tree as data and draws what is on screen:
 * lane backgrounds are markup, work orders and edges are made by the page's
 * script for the part of the tree in view (all of it for a small tree), so a
 * page of 10,000 work orders opens, scrolls and filters in time proportional
 * to what is visible, not to the whole tree. Pure apart from hashing.
 */
import { createHash } from 'node:crypto';
import { sanitize } from '../render/sanitize.js';
import type { Section, TreeModel, TreeNode } from './model.js';
import { sectionsOf, UNASSIGNED } from './model.js';
import { CATEGORY_ORDER, statusStyle, type StatusCategory } from './status.js';
import { COL_GAP, HEAD_H, LANE_GAP, MARGIN, NODE_H, NODE_W, PAD, REF_H, routeEdges, type Geometry } from './layout.js';

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
 * (0..8) spreads edges that share a gap. With `via` (a free row gap, from
 * routeEdges) an edge that would cross cards leaves its source's height in
 * the gap after the source's column, runs along that row gap, and comes back
 * in the gap before the target's. Backward edges loop around. The page's
 * script uses this very function (via its source) for the edges it draws.
 */
export function edgePath(x1: number, y1: number, x2: number, y2: number, lane: number, via?: number): string {
  const r = (n: number) => Math.round(n * 10) / 10;
  if (x2 - x1 < 24) {
    const bend = 60 + Math.min(120, Math.abs(y2 - y1) / 4);
    return `M${r(x1)},${r(y1)} C${r(x1 + bend)},${r(y1)} ${r(x2 - bend)},${r(y2)} ${r(x2)},${r(y2)}`;
  }
  const gap = Math.min(32, (x2 - x1) / 2);
  const spread = (lane - 4) * Math.min(3, gap / 6);
  const gx = x2 - gap + spread;
  // one rounded turn from (fx, fy) into the vertical at x = vx, down or up to ty, then level on
  const turn = (fy: number, vx: number, ty: number, tx: number) => {
    const dy = ty - fy;
    if (Math.abs(dy) < 1) return ` H${r(tx)}`;
    const rad = Math.max(0, Math.min(10, Math.abs(dy) / 2));
    const s = dy > 0 ? 1 : -1;
    return ` H${r(vx - rad)} Q${r(vx)},${r(fy)} ${r(vx)},${r(fy + s * rad)} V${r(ty - s * rad)} Q${r(vx)},${r(ty)} ${r(vx + rad)},${r(ty)}${tx > vx + rad ? ` H${r(tx)}` : ''}`;
  };
  if (via !== undefined) {
    const yc = via + (lane - 4) * 0.6;
    const g1 = x1 + gap - spread;
    return `M${r(x1)},${r(y1)}${turn(y1, g1, yc, gx - 10)}${turn(yc, gx, y2, x2)}`;
  }
  const dy = y2 - y1;
  if (Math.abs(dy) < 1) return `M${r(x1)},${r(y1)} H${r(x2)}`;
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

/**
 * JSON that can sit inside a <script> element: no `</script`, no `<!--`, and
 * no line separators that older parsers end a string at.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Text the page shows (set with textContent, so no HTML escaping): as `esc` makes it visible, without the entities. */
function shown(s: string): string {
  // eslint-disable-next-line no-control-regex
  return sanitize(s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, ''), { multiline: true });
}

/** Above this many work orders the page draws only what is in view (and a screenful around it). */
export const DRAW_ALL_UP_TO = 1500;

export function renderHtml(model: TreeModel, geo: Geometry, opts: HtmlOptions): string {
  const sections = new Map<string, Section>();
  for (const lane of model.lanes) for (const s of sectionsOf(lane)) sections.set(s.key, s);
  const sectionName = (key: string) => {
    const s = sections.get(key);
    return s ? (s.slug ? `${s.title} (${s.slug})` : s.title) : key;
  };
  const laneIndex = new Map(model.lanes.map((l, i) => [l.key, i]));

  const nodeTitle = (n: TreeNode) => {
    const deps = n.deps.map((d) => `${d.id}${d.state === 'missing' ? ' (no such work order)' : d.state === 'hidden' ? ' (filtered out)' : ''}`);
    return [
      `${n.id} · ${n.status || 'no status'}`,
      n.title,
      `track: ${n.section !== UNASSIGNED ? sectionName(n.section) : n.tracks.length ? `${n.tracks.join(', ')} (no such track)` : 'none'}${n.also.length ? `; also in ${n.also.map(sectionName).join(', ')}` : ''}`,
      `depends on: ${deps.length ? deps.join(', ') : 'nothing'}`,
      `${model.by === 'era' ? `era ${n.era ?? 'none'} · ` : ''}depth ${n.depth}${n.era && model.by !== 'era' ? ` · era ${n.era}` : ''}`,
      n.path,
    ].join('\n');
  };

  // Work orders as columns of data, lane by lane and top to bottom (the page finds what is in view by binary search).
  const cats = CATEGORY_ORDER;
  const perLine = fits(NODE_W - 20);
  const order: { n: TreeNode; lane: number; x: number; y: number }[] = [];
  for (const n of model.nodes.values()) {
    const p = geo.nodes.get(n.key)!;
    order.push({ n, lane: laneIndex.get(p.lane)!, x: p.x, y: p.y });
  }
  order.sort((a, b) => a.lane - b.lane || a.y - b.y || a.x - b.x);
  const index = new Map(order.map((o, i) => [o.n.key, i]));
  const nodes = {
    key: [] as string[],
    lane: [] as number[],
    x: [] as number[],
    y: [] as number[],
    cat: [] as number[],
    color: [] as string[],
    id: [] as string[],
    badge: [] as string[],
    lines: [] as string[][],
    tip: [] as string[],
  };
  for (const { n, lane, x, y } of order) {
    const st = statusStyle(n.category);
    const status = n.status || '?';
    const badge = status.length > 12 ? status.slice(0, 11) + '…' : status;
    const bw = badge.length * 5.6 + 12;
    const idText = `${st.glyph} ${n.id}`;
    const idMax = fits(NODE_W - bw - 24);
    nodes.key.push(shown(n.key));
    nodes.lane.push(lane);
    nodes.x.push(Math.round(x * 10) / 10);
    nodes.y.push(Math.round(y * 10) / 10);
    nodes.cat.push(cats.indexOf(n.category));
    nodes.color.push(sections.get(n.section)?.color ?? '#999999');
    nodes.id.push(shown(idText.length > idMax ? idText.slice(0, idMax - 1) + '…' : idText));
    nodes.badge.push(shown(badge));
    nodes.lines.push(wrap(n.title, perLine, 2).map(shown));
    nodes.tip.push(shown(nodeTitle(n)));
  }
  const refs = geo.refs.map((r) => {
    const n = model.nodes.get(r.key)!;
    const label = `↪ ${n.id}  ${n.title}`;
    const max = fits(NODE_W - 16);
    return [index.get(r.key)!, laneIndex.get(r.lane)!, Math.round(r.x * 10) / 10, Math.round(r.y * 10) / 10, shown(label.length > max ? label.slice(0, max - 1) + '…' : label), shown(`${n.id} · ${n.title}\nalso in ${sectionName(r.section)}; drawn in ${sectionName(n.section)}`)];
  });
  // Edges: [from, to, channel, flags (1 across lanes, 2 against the column order), free row gap or -1].
  const routes = routeEdges(model, geo);
  const edges: number[] = [];
  model.edges.forEach((e, i) => {
    edges.push(index.get(e.from)!, index.get(e.to)!, channel(e.from, e.to), (e.cross ? 1 : 0) | (e.back ? 2 : 0), routes[i] === undefined ? -1 : Math.round(routes[i]! * 10) / 10);
  });
  const data = {
    w: geo.width,
    top: geo.top,
    gap: LANE_GAP,
    bottom: MARGIN,
    nw: NODE_W,
    nh: NODE_H,
    rh: REF_H,
    head: HEAD_H,
    pad: PAD,
    colGap: COL_GAP,
    all: model.nodes.size <= DRAW_ALL_UP_TO,
    styles: cats.map((c) => {
      const st = statusStyle(c);
      return [c, st.fill, st.stroke, st.ink];
    }),
    lanes: geo.lanes.map((l) => [l.key, Math.round(l.h * 10) / 10, model.lanes[laneIndex.get(l.key)!]!.color]),
    nodes,
    refs,
    edges,
  };

  // Lane backgrounds (a few per lane) are markup; each lane's title folds it.
  const bg: string[] = [];
  for (const lane of model.lanes) {
    const box = geo.lanes.find((l) => l.key === lane.key)!;
    const parts: string[] = [];
    for (const sb of box.sections) {
      const s = sections.get(sb.key)!;
      const color = s.color;
      const meta = s.slug ? [s.slug, s.type, s.status, `${s.done}/${s.total} done`].filter(Boolean).join(' · ') : `${s.total} work order${s.total === 1 ? '' : 's'} without a track`;
      if (sb.level === 0) {
        parts.push(`<rect class="lane-box" x="${sb.x}" y="0" width="${sb.w}" height="${num(sb.h)}" rx="8" fill="${color}" fill-opacity="0.07" stroke="${color}" stroke-opacity="0.55"/>`);
        parts.push(`<rect class="lane-bar" x="${sb.x}" y="0" width="6" height="${num(sb.h)}" rx="3" fill="${color}"/>`);
        parts.push(
          `<text class="lane-title fold" x="${sb.x + 16}" y="${num(sb.y + HEAD_H / 2 + 5)}"><tspan class="caret">▾ </tspan><tspan class="name">${esc(s.title)}</tspan><tspan class="meta" dx="10">${esc(meta)}</tspan><title>Click to fold or unfold this lane</title></text>`,
        );
        continue;
      }
      parts.push(`<g class="sub"><rect class="sub-box" x="${sb.x}" y="${num(sb.y)}" width="${sb.w}" height="${num(sb.h)}" rx="6" fill="${color}" fill-opacity="0.07" stroke="${color}" stroke-dasharray="5 3"/>`);
      parts.push(`<text class="sub-title" x="${sb.x + 16}" y="${num(sb.y + HEAD_H / 2 + 5)}"><tspan class="name">${esc('↳ ' + s.title)}</tspan><tspan class="meta" dx="10">${esc(meta)}</tspan></text>`);
      if (sb.empty) parts.push(`<text class="empty" x="${sb.x + 16}" y="${num(sb.y + HEAD_H + 12)}">(no work orders shown)</text>`);
      parts.push(`</g>`);
    }
    if (box.sections[0]?.empty) parts.push(`<text class="empty" x="${box.sections[0].x + 16}" y="${num(HEAD_H + 12)}">(no work orders shown)</text>`);
    bg.push(`<g class="lane" data-lane="${esc(lane.key)}" data-y="${num(box.y)}" data-h="${num(box.h)}" transform="translate(0,${num(box.y)})">${parts.join('')}</g>`);
  }
  const fg = model.lanes.map((l) => {
    const y = num(geo.lanes.find((b) => b.key === l.key)!.y);
    return `<g class="lane-edges" data-lane="${esc(l.key)}" transform="translate(0,${y})"></g>`;
  });
  const fgNodes = model.lanes.map((l) => {
    const y = num(geo.lanes.find((b) => b.key === l.key)!.y);
    return `<g class="lane-nodes" data-lane="${esc(l.key)}" transform="translate(0,${y})"></g>`;
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
    `<g class="bands">${bands.join('')}</g><g class="lanes">${bg.join('')}</g><g class="edges">${fg.join('')}<g class="cross-edges"></g></g><g class="nodes">${fgNodes.join('')}</g></svg>`;

  const all = [...model.nodes.values()];
  const counts = new Map<string, number>();
  for (const n of all) counts.set(n.lane, (counts.get(n.lane) ?? 0) + 1);
  const filter = model.lanes
    .map((l) => `<label><input type="checkbox" checked data-lane="${esc(l.key)}"><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" rx="2" fill="${l.color}"/></svg>${esc(l.title)} <span class="count">${counts.get(l.key) ?? 0}</span></label>`)
    .join('');
  const present = new Map<StatusCategory, Set<string>>();
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
  const script = `(() => {\n"use strict";\nconst D = ${scriptJson(data)};\n${CLIENT}\n})();`;
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
<fieldset class="filter"><legend>Tracks</legend>${filter}<span class="buttons"><button type="button" id="show-all">All</button><button type="button" id="show-none">None</button><button type="button" id="fold-all">Fold all</button><button type="button" id="unfold-all">Unfold all</button><button type="button" id="fit">Fit width</button></span></fieldset>
<p class="legend">${legend}${edgeLegend}</p>
<p class="hint">Hover a work order for its details and dependencies; click a lane's title to fold it.</p>
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
#tree .fold{cursor:pointer}
#tree .fold:hover .name{text-decoration:underline}
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
#tree .hidden,#tree .folded .sub,#tree .folded .empty{display:none}
#tree.focus .edge{opacity:.08}
#tree.focus .node{opacity:.35}
#tree.focus .edge.hl{opacity:1;stroke-width:2.2}
#tree.focus .node.hl{opacity:1}
#tree.focus .node.hl .box{stroke-width:2.5}
`;

/**
 * The page's only script (after its data, `D`): draws the work orders and
 * edges in view, keeps them in step with scrolling, the track filter, folded
 * lanes and "fit width", and highlights a hovered work order's dependencies.
 */
const CLIENT = `const edgePath = ${edgePath.toString()};
const SVGNS = "http://www.w3.org/2000/svg";
const svg = document.getElementById("tree");
const N = D.nodes, L = D.lanes.length, E = D.edges.length / 5;
const laneBg = Array.from(svg.querySelectorAll("g.lane"));
const laneEdges = Array.from(svg.querySelectorAll("g.lane-edges"));
const laneNodes = Array.from(svg.querySelectorAll("g.lane-nodes"));
const cross = svg.querySelector("g.cross-edges");
const bands = Array.from(svg.querySelectorAll("rect.band"));
const boxes = Array.from(document.querySelectorAll(".filter input[data-lane]"));
const laneOf = new Map(D.lanes.map((l, i) => [l[0], i]));
const shown = D.lanes.map(() => true), folded = D.lanes.map(() => false), top = D.lanes.map(() => 0);
// first and last node of each lane (nodes come lane by lane, top to bottom)
const first = new Array(L).fill(0), last = new Array(L).fill(0);
for (let i = N.key.length - 1; i >= 0; i--) first[N.lane[i]] = i;
for (let i = 0; i < N.key.length; i++) last[N.lane[i]] = i + 1;
const byNode = new Map();
for (let e = 0; e < E; e++) for (const n of [D.edges[5 * e], D.edges[5 * e + 1]]) { const l = byNode.get(n); if (l) l.push(e); else byNode.set(n, [e]); }
const open = (l) => shown[l] && !folded[l];
const el = (tag, attrs, text) => { const x = document.createElementNS(SVGNS, tag); for (const k in attrs) x.setAttribute(k, attrs[k]); if (text !== undefined) x.textContent = text; return x; };

const drawnNodes = new Map(), drawnEdges = new Map(), drawnRefs = new Map();
function makeNode(i) {
  const [cat, fill, stroke, ink] = D.styles[N.cat[i]];
  const g = el("g", { class: "node s-" + cat, "data-key": N.key[i], "data-lane": D.lanes[N.lane[i]][0], "data-x": N.x[i], "data-y": N.y[i], transform: "translate(" + N.x[i] + "," + N.y[i] + ")" });
  g.appendChild(el("title", {}, N.tip[i]));
  const box = { class: "box", width: D.nw, height: D.nh, rx: 6, fill, stroke };
  if (cat === "retired") box["stroke-dasharray"] = "4 3";
  g.appendChild(el("rect", box));
  g.appendChild(el("rect", { width: 5, height: D.nh - 8, x: 3, y: 4, rx: 2, fill: N.color[i] }));
  g.appendChild(el("text", { class: "id", x: 14, y: 17, fill: ink }, N.id[i]));
  const bw = N.badge[i].length * 5.6 + 12;
  g.appendChild(el("rect", { x: D.nw - 8 - bw, y: 6, width: bw, height: 15, rx: 7.5, fill: stroke }));
  g.appendChild(el("text", { class: "badge", x: D.nw - 8 - bw / 2, y: 17, "text-anchor": "middle" }, N.badge[i]));
  N.lines[i].forEach((t, k) => g.appendChild(el("text", { class: "t", x: 14, y: 33 + k * 13, fill: ink }, t)));
  return g;
}
function makeRef(r) {
  const [i, lane, x, y, label, tip] = D.refs[r];
  const g = el("g", { class: "ref", "data-key": N.key[i], "data-lane": D.lanes[lane][0], transform: "translate(" + x + "," + y + ")" });
  g.appendChild(el("title", {}, tip));
  g.appendChild(el("rect", { width: D.nw, height: D.rh, rx: 13, fill: "#ffffff", "fill-opacity": 0.7, stroke: "#8a8a8a", "stroke-dasharray": "3 3" }));
  g.appendChild(el("text", { class: "t", x: 10, y: 17 }, label));
  return g;
}
// An edge's path: within one lane relative to it (it never changes), across lanes absolute.
function edgeD(e) {
  const a = D.edges[5 * e], b = D.edges[5 * e + 1], k = D.edges[5 * e + 2], via = D.edges[5 * e + 4];
  const la = N.lane[a], lb = N.lane[b], same = la === lb;
  const ta = same ? 0 : top[la], tb = same ? 0 : top[lb];
  return edgePath(N.x[a] + D.nw, ta + N.y[a] + D.nh / 2, N.x[b], tb + N.y[b] + D.nh / 2, k, via < 0 ? undefined : ta + via);
}
function makeEdge(e) {
  const a = D.edges[5 * e], b = D.edges[5 * e + 1], f = D.edges[5 * e + 3];
  const stroke = f & 2 ? "#c0392b" : f & 1 ? D.lanes[N.lane[a]][2] : "#6b7280";
  const p = el("path", { class: "edge" + (f & 1 ? " cross" : "") + (f & 2 ? " back" : ""), "data-from": N.key[a], "data-to": N.key[b], "data-k": D.edges[5 * e + 2], d: edgeD(e), stroke, "marker-end": "url(#arrow)" });
  (N.lane[a] === N.lane[b] ? laneEdges[N.lane[a]] : cross).appendChild(p);
  p.ta = top[N.lane[a]];
  p.tb = top[N.lane[b]];
  return p;
}

// Where the tree sits on the page and its scale, measured when they can change (never while
// drawing: reading the layout right after changing the tree would force a layout of all of it).
let origin = { x: 0, y: 0, s: 1 };
function measure() {
  const r = svg.getBoundingClientRect();
  origin = { x: r.left + scrollX, y: r.top + scrollY, s: r.width / D.w || 1 };
}
// What is in view (and half a screen around it), in the tree's coordinates; everything for a small tree.
function view(sx, sy) {
  if (D.all) return [-Infinity, Infinity, -Infinity, Infinity];
  const s = origin.s, w = innerWidth / s, h = innerHeight / s, x = (sx - origin.x) / s, y = (sy - origin.y) / s;
  return [x - w / 2, x + 1.5 * w, y - h / 2, y + 1.5 * h];
}
function lowerBound(lo, hi, y) { while (lo < hi) { const m = (lo + hi) >> 1; if (N.y[m] < y) lo = m + 1; else hi = m; } return lo; }
const hl = new Set();
function draw(sx = scrollX, sy = scrollY) {
  const [x0, x1, y0, y1] = view(sx, sy);
  const want = new Set();
  for (let l = 0; l < L; l++) {
    if (!open(l)) continue;
    const from = lowerBound(first[l], last[l], y0 - top[l] - D.nh), to = lowerBound(first[l], last[l], y1 - top[l]);
    for (let i = from; i < to; i++) if (N.x[i] + D.nw >= x0 && N.x[i] <= x1) want.add(i);
  }
  for (const [i, g] of drawnNodes) if (!want.has(i)) { g.remove(); drawnNodes.delete(i); }
  for (const i of want) if (!drawnNodes.has(i)) { const g = makeNode(i); drawnNodes.set(i, g); laneNodes[N.lane[i]].appendChild(g); }
  for (let r = 0; r < D.refs.length; r++) {
    const [, l, x, y] = D.refs[r];
    const inView = open(l) && x + D.nw >= x0 && x <= x1 && top[l] + y + D.rh >= y0 && top[l] + y <= y1;
    const g = drawnRefs.get(r);
    if (inView && !g) { const m = makeRef(r); drawnRefs.set(r, m); laneNodes[l].appendChild(m); }
    else if (!inView && g) { g.remove(); drawnRefs.delete(r); }
  }
  for (let e = 0; e < E; e++) {
    const a = D.edges[5 * e], b = D.edges[5 * e + 1], la = N.lane[a], lb = N.lane[b];
    let inView = open(la) && open(lb);
    if (inView && !D.all) {
      const ya = top[la] + N.y[a], yb = top[lb] + N.y[b], via = D.edges[5 * e + 4];
      const lo = Math.min(ya, yb, via < 0 ? ya : top[la] + via), hi = Math.max(ya, yb, via < 0 ? ya : top[la] + via) + D.nh;
      inView = Math.min(N.x[a], N.x[b]) <= x1 && Math.max(N.x[a], N.x[b]) + D.nw >= x0 && lo <= y1 && hi >= y0;
    }
    const p = drawnEdges.get(e);
    if ((inView || hl.has(e)) && !p) drawnEdges.set(e, makeEdge(e));
    else if (!inView && !hl.has(e) && p) { p.remove(); drawnEdges.delete(e); }
  }
}

// Lanes stack in order; a hidden lane takes no room, a folded one its title row.
function restack() {
  // the scroll position before anything changes (reading it later would lay the whole tree out)
  const sx = scrollX, sy = scrollY;
  let y = D.top;
  for (let l = 0; l < L; l++) {
    const on = shown[l];
    laneBg[l].classList.toggle("hidden", !on);
    laneBg[l].classList.toggle("folded", on && folded[l]);
    laneNodes[l].classList.toggle("hidden", !open(l));
    laneEdges[l].classList.toggle("hidden", !open(l));
    const caret = laneBg[l].querySelector(".caret");
    if (caret) caret.textContent = folded[l] ? "▸ " : "▾ ";
    if (!on) continue;
    const h = folded[l] ? D.head + D.pad : D.lanes[l][1];
    for (const r of laneBg[l].querySelectorAll(".lane-box, .lane-bar")) r.setAttribute("height", String(h));
    if (top[l] !== y) {
      top[l] = y;
      const t = "translate(0," + y + ")";
      laneBg[l].setAttribute("transform", t);
      laneNodes[l].setAttribute("transform", t);
      laneEdges[l].setAttribute("transform", t);
    }
    y += h + D.gap;
  }
  const H = Math.max(D.top + 40, y - D.gap + D.bottom);
  svg.setAttribute("height", String(H));
  svg.setAttribute("viewBox", "0 0 " + D.w + " " + H);
  for (const b of bands) b.setAttribute("height", String(H));
  // edges across lanes are drawn in absolute positions: redraw the ones on screen whose lanes moved
  for (const [e, p] of drawnEdges) {
    const la = N.lane[D.edges[5 * e]], lb = N.lane[D.edges[5 * e + 1]];
    if (la === lb || (p.ta === top[la] && p.tb === top[lb])) continue;
    p.setAttribute("d", edgeD(e));
    p.ta = top[la];
    p.tb = top[lb];
  }
  // a shorter page scrolls back; the scroll event that follows draws what comes into view then
  draw(sx, Math.max(0, Math.min(sy, origin.y + H * origin.s + D.bottom - innerHeight)));
}
laneBg.forEach((g, l) => { top[l] = +g.dataset.y; });
for (const b of boxes) b.addEventListener("change", () => { shown[laneOf.get(b.dataset.lane)] = b.checked; restack(); });
const every = (f) => () => { f(); restack(); };
document.getElementById("show-all").addEventListener("click", every(() => { for (const b of boxes) { b.checked = true; shown[laneOf.get(b.dataset.lane)] = true; } }));
document.getElementById("show-none").addEventListener("click", every(() => { for (const b of boxes) { b.checked = false; shown[laneOf.get(b.dataset.lane)] = false; } }));
document.getElementById("fold-all").addEventListener("click", every(() => folded.fill(true)));
document.getElementById("unfold-all").addEventListener("click", every(() => folded.fill(false)));
svg.addEventListener("click", (ev) => {
  const t = ev.target instanceof Element ? ev.target.closest(".fold") : null;
  if (!t) return;
  const l = laneOf.get(t.closest("g.lane").dataset.lane);
  folded[l] = !folded[l];
  restack();
});
document.getElementById("fit").addEventListener("click", (ev) => {
  const on = svg.classList.toggle("fit");
  document.getElementById("cols").classList.toggle("fit", on);
  ev.currentTarget.textContent = on ? "Actual size" : "Fit width";
  measure();
  draw();
});
let queued = false;
const later = () => { if (!queued) { queued = true; requestAnimationFrame(() => { queued = false; draw(); }); } };
if (!D.all) {
  addEventListener("scroll", later, { passive: true });
  addEventListener("resize", () => { measure(); later(); });
}

// Hovering a work order highlights it, its edges and the work orders at their other ends.
const index = new Map(N.key.map((k, i) => [k, i]));
let lit = [];
function clear() { for (const x of lit) x.classList.remove("hl"); lit = []; hl.clear(); svg.classList.remove("focus"); }
svg.addEventListener("mouseover", (ev) => {
  const node = ev.target instanceof Element ? ev.target.closest("g.node") : null;
  clear();
  if (!node) return;
  const i = index.get(node.dataset.key);
  lit.push(node);
  for (const e of byNode.get(i) || []) {
    const a = D.edges[5 * e], b = D.edges[5 * e + 1];
    if (!open(N.lane[a]) || !open(N.lane[b])) continue;
    hl.add(e);
    let p = drawnEdges.get(e);
    if (!p) { p = makeEdge(e); drawnEdges.set(e, p); }
    lit.push(p);
    const other = drawnNodes.get(a === i ? b : a);
    if (other) lit.push(other);
  }
  for (const x of lit) x.classList.add("hl");
  svg.classList.add("focus");
});
svg.addEventListener("mouseleave", clear);
measure();
restack();`;
