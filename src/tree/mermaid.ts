/**
 * The tech tree as a Mermaid `flowchart LR`: one `subgraph` per track (nested
 * for sub-tracks), status as a class, lanes tinted with the track colour. The
 * output renders in a GitHub ```mermaid block. Pure.
 */
import { truncate } from '../render/text.js';
import { displayModel, type Section, type TreeModel } from './model.js';
import { sanitize } from '../render/sanitize.js';
import { CATEGORY_ORDER, statusStyle } from './status.js';

/** GitHub refuses diagrams beyond Mermaid's default maxTextSize. */
export const GITHUB_MERMAID_LIMIT = 50_000;

const RESERVED = new Set(['end', 'graph', 'subgraph', 'flowchart', 'style', 'class', 'classDef', 'click', 'linkStyle', 'direction', 'default']);

/**
 * Mermaid decodes `#name;`/`#123;` entities inside quoted labels, so every
 * character that could end the label or be read as markup becomes one.
 */
export function mermaidLabel(s: string): string {
  // Control characters first (Mermaid would decode `#27;` back into an ESC), then markup.
  return sanitize(s)
    .replace(/[#"<>&`\\{}[\]|]/g, (ch) => `#${ch.codePointAt(0)};`)
    .trim();
}

export function renderMermaid(raw: TreeModel, opts: { fenced?: boolean } = {}): string {
  const model = displayModel(raw);
  const ids = new Map<string, string>();
  const taken = new Set<string>();
  const safeId = (raw: string, prefix: string) => {
    let base = raw.replace(/[^A-Za-z0-9_]/g, '_');
    // An id must start with a capital so it can never read as `end`, `o`/`x` edge heads or a keyword.
    if (!/^[A-Z]/.test(base) || RESERVED.has(base)) base = `${prefix}_${base}`;
    let id = base;
    for (let i = 2; taken.has(id); i++) id = `${base}_${i}`;
    taken.add(id);
    return id;
  };
  for (const k of model.nodes.keys()) ids.set(k, safeId(model.nodes.get(k)!.id, 'N'));

  const lines: string[] = ['flowchart LR'];
  const styles: string[] = [];
  const refs: string[] = [];
  const emit = (s: Section, indent: string) => {
    const sid = safeId(`T_${s.slug ?? 'unassigned'}`, 'T');
    const meta = s.slug ? `${s.title} · ${s.done}/${s.total} done` : s.title;
    lines.push(`${indent}subgraph ${sid}["${mermaidLabel(meta)}"]`);
    lines.push(`${indent}  direction LR`);
    for (const k of s.nodes) {
      const n = model.nodes.get(k)!;
      const st = statusStyle(n.category);
      lines.push(`${indent}  ${ids.get(k)}["${mermaidLabel(`${st.glyph} ${n.id}`)}<br/>${mermaidLabel(truncate(n.title.replace(/\s+/g, ' '), 48))}"]:::s_${n.category}`);
    }
    for (const k of s.refs) {
      const n = model.nodes.get(k)!;
      const rid = safeId(`R_${s.slug ?? 'unassigned'}_${n.id}`, 'R');
      lines.push(`${indent}  ${rid}["${mermaidLabel(`↪ ${n.id}`)}"]:::s_ref`);
      refs.push(`${rid} -.- ${ids.get(k)}`);
    }
    if (!s.nodes.length && !s.refs.length && !s.children.length) {
      lines.push(`${indent}  ${safeId(`E_${s.slug ?? 'unassigned'}`, 'E')}["(no work orders)"]:::s_ref`);
    }
    for (const c of s.children) emit(c, indent + '  ');
    lines.push(`${indent}end`);
    styles.push(`style ${sid} fill:${s.color}1f,stroke:${s.color},stroke-width:2px`);
  };
  for (const lane of model.lanes) emit(lane, '  ');

  for (const e of model.edges) lines.push(`  ${ids.get(e.from)} ${e.back ? '-.->' : '-->'} ${ids.get(e.to)}`);
  for (const r of refs) lines.push(`  ${r}`);

  const used = new Set([...model.nodes.values()].map((n) => n.category));
  for (const cat of CATEGORY_ORDER) {
    if (!used.has(cat)) continue;
    const st = statusStyle(cat);
    lines.push(`  classDef s_${cat} fill:${st.fill},stroke:${st.stroke},color:${st.ink}${cat === 'retired' ? ',stroke-dasharray:4 3' : ''}`);
  }
  if (refs.length || lines.some((l) => l.endsWith(':::s_ref'))) lines.push('  classDef s_ref fill:#ffffff,stroke:#999999,color:#666666,stroke-dasharray:3 3');
  for (const s of styles) lines.push(`  ${s}`);
  const body = lines.join('\n') + '\n';
  return opts.fenced ? '```mermaid\n' + body + '```\n' : body;
}
