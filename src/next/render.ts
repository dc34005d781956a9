/** Terminal lines for `tracks next`. Pure. */
import type { ChalkInstance } from 'chalk';
import { ORDER_RULE, type ActiveNext, type BlockedItem, type NextResult } from './next.js';
import { sanitize } from '../render/sanitize.js';
import { width } from '../render/text.js';
import { plural } from '../render/plural.js';

/** Ids, titles, statuses and slugs come from files: sanitized before they are painted. */
const s = (v: string | undefined) => sanitize(v ?? '');
const padTo = (v: string, w: number) => v + ' '.repeat(Math.max(0, w - width(v)));

function waitingText(b: BlockedItem): string {
  return b.waitingOn.map((x) => `${s(x.id)} (${[x.tracks.length ? s(x.tracks.join('+')) : 'no track', s(x.status ?? 'no status')].join(', ')}${x.crossTrack ? ', other track' : ''})`).join(', ');
}

function heldText(held: Record<string, string[]>): string {
  return Object.entries(held)
    .map(([st, ids]) => `${ids.length} ${s(st)} (${s(ids.length <= 5 ? ids.join(', ') : `${ids.slice(0, 5).join(', ')}, …`)})`)
    .join(', ');
}

export function renderNext(r: NextResult, c: ChalkInstance, limit: number, rule = ORDER_RULE): string {
  const lines: string[] = [];
  const where = r.track ? `in ${s(r.track)}` : 'overall';
  const open = r.ready.length + r.blocked.length + Object.values(r.held).reduce((n, ids) => n + ids.length, 0);
  if (open === 0) lines.push(r.retired ? `Nothing to start ${where}: its open work is in cancelled or archived tracks.` : `Nothing left to start ${where}: every work order is done.`);
  else if (r.ready.length === 0) lines.push(`Nothing can start ${where} now.`);
  else lines.push(`${plural(r.ready.length, 'work order')} can start ${where}, best first:`);
  const shown = r.ready.slice(0, limit);
  const idW = Math.max(0, ...shown.map((i) => width(s(i.id))));
  shown.forEach((it, n) => {
    lines.push(`${String(n + 1).padStart(3)}. ${c.bold(padTo(s(it.id), idW))}  ${s(it.title)} ${c.dim(`[${s(it.status ?? 'no status')}${it.estimateHours !== undefined ? `, ${it.estimateHours}h` : ''}]`)}`);
    lines.push(`     ${' '.repeat(idW)}  ${c.dim(s(it.reason))}`);
  });
  if (r.ready.length > shown.length) lines.push(c.dim(`     … ${r.ready.length - shown.length} more (--limit ${r.ready.length})`));
  if (r.blocked.length) {
    lines.push('', `Blocked (${r.blocked.length}), waiting on unfinished work:`);
    for (const b of r.blocked.slice(0, limit)) lines.push(`  ${s(b.id)}  ${c.dim('waits on')} ${waitingText(b)}`);
    if (r.blocked.length > limit) lines.push(c.dim(`  … ${r.blocked.length - limit} more`));
  }
  const held = heldText(r.held);
  if (held) lines.push('', c.dim(`Held, not offered: ${held}.`));
  if (r.retired) lines.push('', c.dim(`Left out: ${plural(r.retired, 'open work order')} in cancelled or archived tracks, which are closed to work (move ${r.retired === 1 ? 'it' : 'them'} to a live track with \`tracks assign\`).`));
  if (r.ready.length > 1) lines.push('', c.dim(`Order: ${rule}.`));
  return lines.join('\n') + '\n';
}

export function renderNextActive(rows: ActiveNext[], c: ChalkInstance, rule = ORDER_RULE): string {
  if (!rows.length) return 'No active track. Start one with `tracks start <track>`, or ask about one: `tracks next <track>`.\n';
  // sub-tracks indented under their parent; every slug column ends at the same place
  const w = Math.max(...rows.map((r) => 2 * r.depth + width(s(r.track.slug))));
  const lines = ['Next work order of each active track:'];
  for (const r of rows) {
    const indent = ' '.repeat(2 * r.depth);
    const slug = indent + c.bold(padTo(s(r.track.slug), w - indent.length));
    const under = `  ${' '.repeat(w)}  `;
    if (r.next) lines.push(`  ${slug}  ${s(r.next.id)}  ${s(r.next.title)}`, under + c.dim(s(r.next.reason)));
    else if (r.open === 0 && r.activeBelow) lines.push(`  ${slug}  ${c.dim(`its work is in its ${r.activeBelow === 1 ? 'sub-track' : 'sub-tracks'} below`)}`);
    else if (r.open === 0) lines.push(`  ${slug}  ${c.dim('no open work orders: complete it with `tracks complete ' + s(r.track.slug) + '`, or add work')}`);
    else lines.push(`  ${slug}  ${c.dim(`nothing can start now (${r.blocked} blocked, ${r.held} held; \`tracks next ${s(r.track.slug)}\` shows why)`)}`);
    if (r.retired) lines.push(under + c.dim(`left out: ${plural(r.retired, 'open work order')} in its cancelled or archived sub-tracks`));
  }
  lines.push('', c.dim(`Order within a track: ${rule}. Each work order is offered once, by the nearest active track it is in or under.`));
  return lines.join('\n') + '\n';
}
