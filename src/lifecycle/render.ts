/** Terminal lines for lifecycle results. Pure. */
import type { ChalkInstance } from 'chalk';
import type { Progress } from '../core/tracks.js';
import type { Checkpoint, HistoryEntry } from './history.js';
import type { Step } from './transition.js';
import type { CompareData, ExperimentGroup } from './experiment.js';
import { pct } from '../render/text.js';
import { mdCode, mdText, sanitize } from '../render/sanitize.js';

/** Slugs, reasons, hypotheses and results come from files and arguments: sanitized before they are painted. */
const s = (v: unknown) => sanitize(v === undefined || v === null ? '' : String(v));

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
  if (e.reason) extra.push(`reason: ${sanitize(e.reason)}`);
  if (e.progress) extra.push(`checkpoint: ${progressText(e.progress)}${e.commit ? ` at ${sanitize(e.commit.slice(0, 7))}` : ''}`);
  return `${c.bold(PAST[s.verb] ?? s.verb)} ${sanitize(s.slug)} ${c.dim(`(${sanitize(String(e.from))} → ${sanitize(e.to)})`)}${extra.length ? `\n  ${extra.join('\n  ')}` : ''}`;
}

export function describeCheckpoint(cp: HistoryEntry, now: Progress, c: ChalkInstance): string {
  const lines = [`  ${c.dim('paused')} ${s(cp.at)}${cp.by ? ` by ${s(cp.by)}` : ''}${cp.reason ? `: ${s(cp.reason)}` : ''}`];
  if (cp.progress || cp.commit) {
    lines.push(`  ${c.dim('checkpoint')} ${cp.progress ? progressText(cp.progress) : ''}${cp.commit ? ` at commit ${s(cp.commit.slice(0, 7))}` : ''}`);
  }
  lines.push(`  ${c.dim('now')}        ${progressText(now)}`);
  return lines.join('\n');
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
  return rawCompareRows(d).map((r) => r.map((cell) => sanitize(cell, { multiline: true })));
}

function rawCompareRows(d: CompareData): string[][] {
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
  const lines = [`Experiment ${c.bold(s(d.experiment))}: ${n} competing track${n === 1 ? '' : 's'}`];
  if (d.decision) lines.push(c.dim(`decided: ${s(d.decision.winner)} won${d.decision.at ? ` on ${s(d.decision.at)}` : ''}${d.decision.reason ? `: ${s(d.decision.reason)}` : ''}`));
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
  const rows = rawCompareRows(d);
  // Cells keep their line breaks as <br>; everything else that could be HTML is escaped first.
  const esc = (v: string) => mdText(v, { multiline: true }).replace(/\|/g, '\\|').replace(/\n/g, '<br>').replace(/\t/g, ' ');
  const t = (v: unknown) => mdText(String(v ?? ''));
  const out = [`## Experiment ${mdCode(d.experiment)}`, ''];
  if (d.decision) out.push(`Decided: **${t(d.decision.winner)}** won${d.decision.at ? ` on ${t(d.decision.at)}` : ''}${d.decision.reason ? `: ${t(d.decision.reason)}` : ''}`, '');
  out.push(`| | ${rows[0]!.slice(1).map((v) => mdCode(v, { cell: true })).join(' | ')} |`, `|---|${rows[0]!.slice(1).map(() => '---').join('|')}|`);
  for (const r of rows.slice(1)) out.push(`| ${r[0]} | ${r.slice(1).map(esc).join(' | ')} |`);
  return out.join('\n') + '\n';
}

export function renderExperiments(groups: ExperimentGroup[], progress: (slug: string) => Progress, c: ChalkInstance): string {
  if (!groups.length) return 'No experiments. Competing EXP tracks share an `experiment:` key (e.g. `experiment: cache-strategy`).\n';
  const lines: string[] = [];
  for (const g of groups) {
    lines.push(`${c.bold(s(g.name))} ${c.dim(g.decision ? `decided: ${s(g.decision.winner)} won` : `${g.tracks.length} competing, undecided`)}`);
    const w = Math.max(...g.tracks.map((t) => s(t.slug).length));
    for (const t of g.tracks) {
      lines.push(`  ${s(t.slug).padEnd(w)}  ${s(t.status ?? '?').padEnd(9)}  ${progressText(progress(t.slug))}${t.hypothesis ? c.dim(`  ${s(t.hypothesis)}`) : ''}`);
    }
  }
  return lines.join('\n') + '\n';
}
