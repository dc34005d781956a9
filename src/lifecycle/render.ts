/** Terminal lines for lifecycle results. Pure. */
import type { ChalkInstance } from 'chalk';
import type { Progress } from '../core/tracks.js';
import type { Checkpoint, HistoryEntry } from './history.js';
import type { Step } from './transition.js';
import type { CompareData, ExperimentGroup } from './experiment.js';
import { ORDER_RULE, type ActiveNext, type BlockedItem, type NextResult } from './next.js';

const PAST: Record<string, string> = {
  ready: 'marked ready',
  start: 'started',
  pause: 'paused',
  resume: 'resumed',
  complete: 'completed',
  fail: 'failed',
  cancel: 'cancelled',
  archive: 'archived',
};

export const pct = (r: number) => `${Math.round(r * 100)}%`;
const hours = (n: number) => `${Math.round(n * 10) / 10}h`;

export function progressText(p: Pick<Progress, 'done' | 'total' | 'hoursDone' | 'hoursTotal' | 'hoursRatio'> | Checkpoint): string {
  const done = p.done;
  const total = p.total;
  const base = `${done}/${total} done${total ? ` (${pct(done / total)})` : ''}`;
  const hd = 'hoursDone' in p ? p.hoursDone : p.hours_done;
  const ht = 'hoursTotal' in p ? p.hoursTotal : p.hours_total;
  return ht ? `${base}, ${hours(hd ?? 0)} of ${hours(ht)}` : base;
}

export function describeStep(s: Step, c: ChalkInstance): string {
  const e = s.entry;
  const extra: string[] = [];
  if (e.reason) extra.push(`reason: ${e.reason}`);
  if (e.progress) extra.push(`checkpoint: ${progressText(e.progress)}${e.commit ? ` at ${e.commit.slice(0, 7)}` : ''}`);
  return `${c.bold(PAST[s.verb] ?? s.verb)} ${s.slug} ${c.dim(`(${e.from} → ${e.to})`)}${extra.length ? `\n  ${extra.join('\n  ')}` : ''}`;
}

export function describeCheckpoint(cp: HistoryEntry, now: Progress, c: ChalkInstance): string {
  const lines = [`  ${c.dim('paused')} ${cp.at}${cp.by ? ` by ${cp.by}` : ''}${cp.reason ? `: ${cp.reason}` : ''}`];
  if (cp.progress || cp.commit) {
    lines.push(`  ${c.dim('checkpoint')} ${cp.progress ? progressText(cp.progress) : ''}${cp.commit ? ` at commit ${cp.commit.slice(0, 7)}` : ''}`);
  }
  lines.push(`  ${c.dim('now')}        ${progressText(now)}`);
  return lines.join('\n');
}

function waitingText(b: BlockedItem): string {
  return b.waitingOn.map((x) => `${x.id} (${[x.tracks.length ? x.tracks.join('+') : 'no track', x.status ?? 'no status'].join(', ')}${x.crossTrack ? ', other track' : ''})`).join(', ');
}

function heldText(held: Record<string, string[]>): string {
  return Object.entries(held)
    .map(([s, ids]) => `${ids.length} ${s} (${ids.length <= 5 ? ids.join(', ') : `${ids.slice(0, 5).join(', ')}, …`})`)
    .join(', ');
}

export function renderNext(r: NextResult, c: ChalkInstance, limit: number): string {
  const lines: string[] = [];
  const where = r.track ? `in ${r.track}` : 'overall';
  const open = r.ready.length + r.blocked.length + Object.values(r.held).reduce((n, ids) => n + ids.length, 0);
  if (open === 0) lines.push(`Nothing left to start ${where}: every work order is done.`);
  else if (r.ready.length === 0) lines.push(`Nothing can start ${where} now.`);
  else lines.push(`${r.ready.length} work order${r.ready.length === 1 ? '' : 's'} can start ${where}, best first:`);
  const shown = r.ready.slice(0, limit);
  const idW = Math.max(0, ...shown.map((i) => i.id.length));
  shown.forEach((it, n) => {
    lines.push(`${String(n + 1).padStart(3)}. ${c.bold(it.id.padEnd(idW))}  ${it.title ?? ''} ${c.dim(`[${it.status ?? 'no status'}${it.estimateHours !== undefined ? `, ${it.estimateHours}h` : ''}]`)}`);
    lines.push(`     ${' '.repeat(idW)}  ${c.dim(it.reason)}`);
  });
  if (r.ready.length > shown.length) lines.push(c.dim(`     … ${r.ready.length - shown.length} more (--limit ${r.ready.length})`));
  if (r.blocked.length) {
    lines.push('', `Blocked (${r.blocked.length}), waiting on unfinished work:`);
    for (const b of r.blocked.slice(0, limit)) lines.push(`  ${b.id}  ${c.dim('waits on')} ${waitingText(b)}`);
    if (r.blocked.length > limit) lines.push(c.dim(`  … ${r.blocked.length - limit} more`));
  }
  const held = heldText(r.held);
  if (held) lines.push('', c.dim(`Held, not offered: ${held}.`));
  if (r.ready.length > 1) lines.push('', c.dim(`Order: ${ORDER_RULE}.`));
  return lines.join('\n') + '\n';
}

export function renderNextActive(rows: ActiveNext[], c: ChalkInstance): string {
  if (!rows.length) return 'No active track. Start one with `tracks start <track>`, or ask about one: `tracks next <track>`.\n';
  const w = Math.max(...rows.map((r) => r.track.slug.length));
  const lines = ['Next work order of each active track:'];
  for (const r of rows) {
    const slug = c.bold(r.track.slug.padEnd(w));
    if (r.next) lines.push(`  ${slug}  ${r.next.id}  ${r.next.title ?? ''}`, `  ${' '.repeat(w)}  ${c.dim(r.next.reason)}`);
    else if (r.open === 0) lines.push(`  ${slug}  ${c.dim('no open work orders: complete it with `tracks complete ' + r.track.slug + '`, or add work')}`);
    else lines.push(`  ${slug}  ${c.dim(`nothing can start now (${r.blocked} blocked, ${r.held} held; \`tracks next ${r.track.slug}\` shows why)`)}`);
  }
  lines.push('', c.dim(`Order within a track: ${ORDER_RULE}.`));
  return lines.join('\n') + '\n';
}

function wrap(s: string, w: number): string[] {
  const out: string[] = [];
  for (const para of s.split('\n')) {
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      let rest = word;
      while (rest.length > w) {
        if (line) out.push(line);
        out.push(rest.slice(0, w));
        rest = rest.slice(w);
        line = '';
      }
      if (!line) line = rest;
      else if (line.length + 1 + rest.length <= w) line += ' ' + rest;
      else {
        out.push(line);
        line = rest;
      }
    }
    out.push(line);
  }
  return out.length ? out : [''];
}

function resultsText(r: { recorded?: unknown; notes?: string } | null): string {
  if (!r) return '–';
  const rec = r.recorded === undefined ? '' : typeof r.recorded === 'string' ? r.recorded : Object.entries(r.recorded as object).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join('\n');
  return [rec, r.notes ?? ''].filter(Boolean).join('\n');
}

function compareRows(d: CompareData): string[][] {
  return [
    ['', ...d.tracks.map((t) => t.slug)],
    ['status', ...d.tracks.map((t) => t.status ?? '?')],
    ['hypothesis', ...d.tracks.map((t) => t.hypothesis ?? '–')],
    ['progress', ...d.tracks.map((t) => progressText({ ...t.progress, hoursRatio: t.progress.hoursRatio ?? undefined }))],
    ['branch', ...d.tracks.map((t) => t.branch ?? '–')],
    ['scope', ...d.tracks.map((t) => (t.scope.length ? t.scope.join(', ') : '–'))],
    ['results', ...d.tracks.map((t) => resultsText(t.results))],
  ];
}

/** Side by side, one column per competing track, cells wrapped to the terminal width. */
export function renderCompare(d: CompareData, c: ChalkInstance, columns: number): string {
  const rows = compareRows(d);
  const labelW = Math.max(...rows.map((r) => r[0]!.length));
  const n = d.tracks.length;
  const colW = Math.max(12, Math.floor((columns - labelW - 3 * n) / Math.max(1, n)));
  const lines = [`Experiment ${c.bold(d.experiment)}: ${n} competing track${n === 1 ? '' : 's'}`];
  if (d.decision) lines.push(c.dim(`decided: ${d.decision.winner} won${d.decision.at ? ` on ${d.decision.at}` : ''}${d.decision.reason ? `: ${d.decision.reason}` : ''}`));
  lines.push('');
  for (const [ri, r] of rows.entries()) {
    const cells = r.slice(1).map((s) => wrap(s, colW));
    const height = Math.max(...cells.map((x) => x.length));
    for (let i = 0; i < height; i++) {
      const label = i === 0 ? r[0]! : '';
      const text = cells.map((x) => (x[i] ?? '').padEnd(colW)).join(' │ ').trimEnd();
      lines.push(`${c.dim(label.padEnd(labelW))} │ ${ri === 0 ? c.bold(text) : text}`);
    }
    if (ri === 0) lines.push(`${'─'.repeat(labelW)}─┼─${d.tracks.map(() => '─'.repeat(colW)).join('─┼─')}`);
  }
  return lines.join('\n') + '\n';
}

export function compareMarkdown(d: CompareData): string {
  const rows = compareRows(d);
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, '<br>');
  const out = [`## Experiment \`${d.experiment}\``, ''];
  if (d.decision) out.push(`Decided: **${d.decision.winner}** won${d.decision.at ? ` on ${d.decision.at}` : ''}${d.decision.reason ? `: ${d.decision.reason}` : ''}`, '');
  out.push(`| | ${rows[0]!.slice(1).map((s) => `\`${s}\``).join(' | ')} |`, `|---|${rows[0]!.slice(1).map(() => '---').join('|')}|`);
  for (const r of rows.slice(1)) out.push(`| ${r[0]} | ${r.slice(1).map(esc).join(' | ')} |`);
  return out.join('\n') + '\n';
}

export function renderExperiments(groups: ExperimentGroup[], progress: (slug: string) => Progress, c: ChalkInstance): string {
  if (!groups.length) return 'No experiments. Competing EXP tracks share an `experiment:` key (e.g. `experiment: cache-strategy`).\n';
  const lines: string[] = [];
  for (const g of groups) {
    lines.push(`${c.bold(g.name)} ${c.dim(g.decision ? `decided: ${g.decision.winner} won` : `${g.tracks.length} competing, undecided`)}`);
    const w = Math.max(...g.tracks.map((t) => t.slug.length));
    for (const t of g.tracks) {
      lines.push(`  ${t.slug.padEnd(w)}  ${(t.status ?? '?').padEnd(9)}  ${progressText(progress(t.slug))}${t.hypothesis ? c.dim(`  ${t.hypothesis}`) : ''}`);
    }
  }
  return lines.join('\n') + '\n';
}
