/**
 * The context pack: what whoever (or whichever agent) works on a track next
 * needs to know, bounded in size. Pure.
 *
 * Within the budget the most useful parts come first: the track itself, its
 * decisions and recent history, dependencies crossing into other tracks, then
 * open work orders in `tracks next` order with their acceptance criteria, and
 * last a one-line list of finished ones. What does not fit is counted in a
 * note, never silently cut.
 */
import { findTrack, isDone, trackProgress, withDescendants } from '../core/tracks.js';
import type { Repo, WorkOrder } from '../model/types.js';
import { sectionText } from '../lifecycle/body.js';
import { byId, depGraph } from '../core/graph.js';
import { readHistory, type HistoryEntry } from '../lifecycle/history.js';
import { nextAmong } from '../next/next.js';
import { progressJson } from '../core/progress.js';
import { mdCode, mdText, toJson } from '../render/sanitize.js';

export const DEFAULT_PACK_BYTES = 32 * 1024;

export interface PackWorkOrder {
  id: string;
  title: string | undefined;
  path: string;
  status: string | undefined;
  /** As written: an integer (1 is the most urgent) or a priority word. */
  priority: number | string | undefined;
  estimateHours: number | undefined;
  tracks: string[];
  goal: string | undefined;
  acceptanceCriteria: string[];
  dependsOn: { id: string; status: string | undefined; tracks: string[] }[];
}

export interface CrossDep {
  /** The work order that waits. */
  from: string;
  fromTracks: string[];
  /** The work order it waits on. */
  to: string;
  toTracks: string[];
  toStatus: string | undefined;
  toDone: boolean;
}

export interface PackData {
  version: 1;
  track: {
    slug: string;
    name: string | undefined;
    type: string | undefined;
    status: string | undefined;
    parent: string | null;
    subTracks: string[];
    path: string;
    goal: string | undefined;
    experiment: string | undefined;
    hypothesis: string | undefined;
    branch: string | undefined;
    scope: string[];
  };
  progress: ReturnType<typeof progressJson>;
  decision: Record<string, unknown> | null;
  /** The "Decisions" section of the track file's body. */
  decisionNotes: string | undefined;
  /** The "Results" section of the body and the `results` key. */
  results: unknown;
  history: HistoryEntry[];
  /** Work orders that wait on work in other tracks (outgoing) or that other tracks wait on (incoming). */
  crossTrack: { outgoing: CrossDep[]; incoming: CrossDep[] };
  openWorkOrders: PackWorkOrder[];
  doneWorkOrders: { id: string; title: string | undefined; status: string | undefined }[];
  truncated: null | { maxBytes: number; omitted: Record<string, number> };
}

function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    // `- Step 1: do x` reads as a one-key map; show it as the line it was.
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${k}: ${text(x)}`)
      .join('; ');
  }
  return v === null || v === undefined ? '' : String(v);
}

function criteria(w: WorkOrder): string[] {
  const raw = w.data.acceptance_criteria;
  if (Array.isArray(raw)) return raw.map(text).filter((s) => s !== '');
  return typeof raw === 'string' && raw.trim() ? [raw.trim()] : [];
}

export function packData(repo: Repo, slug: string): PackData {
  const t = findTrack(repo, slug);
  const slugs = withDescendants(repo.tracks, slug);
  const mine = repo.workOrders.filter((w) => w.tracks.some((s) => slugs.has(s)));
  const g = depGraph(repo);
  const inTrack = (tracks: string[]) => tracks.some((s) => slugs.has(s));
  /** The work orders `w` depends on, each once, as core/deps resolves them. */
  const resolvedDeps = (w: WorkOrder) => [...new Set([...new Set(w.dependsOn)].map((d) => g.resolve(d)).filter((x): x is WorkOrder => x !== undefined))];

  const outgoing: CrossDep[] = [];
  for (const w of mine) {
    for (const dep of resolvedDeps(w)) {
      if (!inTrack(dep.tracks)) outgoing.push({ from: w.id ?? w.path, fromTracks: w.tracks, to: dep.id!, toTracks: dep.tracks, toStatus: dep.status, toDone: isDone(dep, repo.config) });
    }
  }
  const incoming: CrossDep[] = [];
  const mineSet = new Set(mine);
  for (const w of repo.workOrders) {
    if (inTrack(w.tracks)) continue;
    for (const dep of resolvedDeps(w)) {
      if (!mineSet.has(dep)) continue;
      incoming.push({ from: w.id ?? w.path, fromTracks: w.tracks, to: dep.id!, toTracks: dep.tracks, toStatus: dep.status, toDone: isDone(dep, repo.config) });
    }
  }
  // Unfinished dependencies first: they are what blocks or is blocked now.
  const crossOrder = (a: CrossDep, b: CrossDep) => Number(a.toDone) - Number(b.toDone) || (a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : 1);
  outgoing.sort(crossOrder);
  incoming.sort(crossOrder);

  const next = nextAmong(repo, mine, slug, g);
  const order = new Map<string, number>();
  [...next.ready.map((r) => r.id), ...Object.values(next.held).flat(), ...next.blocked.map((b) => b.id)].forEach((id, i) => order.set(id, i));
  const open = mine.filter((w) => !isDone(w, repo.config)).sort((a, b) => (order.get(a.id ?? '') ?? 1e9) - (order.get(b.id ?? '') ?? 1e9) || (a.path < b.path ? -1 : 1));
  const done = mine.filter((w) => isDone(w, repo.config)).sort((a, b) => byId(a.id ?? a.path, b.id ?? b.path));

  const decision = t.data.decision && typeof t.data.decision === 'object' && !Array.isArray(t.data.decision) ? (t.data.decision as Record<string, unknown>) : null;
  const resultsKey = t.data.results;
  const resultsBody = sectionText(t.body, 'Results');
  return {
    version: 1,
    track: {
      slug: t.slug,
      name: t.name,
      type: t.type,
      status: t.status,
      parent: t.parent ?? null,
      subTracks: [...slugs].filter((s) => s !== slug).sort(),
      path: t.path,
      goal: t.goal,
      experiment: t.experiment,
      hypothesis: t.hypothesis,
      branch: typeof t.data.branch === 'string' ? t.data.branch : undefined,
      scope: Array.isArray(t.data.scope) ? t.data.scope.map(text) : [],
    },
    progress: progressJson(trackProgress(repo, slug)),
    decision,
    decisionNotes: sectionText(t.body, 'Decisions'),
    results: resultsKey !== undefined || resultsBody ? { ...(resultsKey !== undefined ? { recorded: resultsKey } : {}), ...(resultsBody ? { notes: resultsBody } : {}) } : null,
    history: readHistory(t),
    crossTrack: { outgoing, incoming },
    openWorkOrders: open.map((w) => ({
      id: w.id ?? w.path,
      title: w.title,
      path: w.path,
      status: w.status,
      priority: w.priorityWord ?? w.priority,
      estimateHours: w.estimateHours,
      tracks: w.tracks,
      goal: w.goal?.trim(),
      acceptanceCriteria: criteria(w),
      dependsOn: [...new Set(w.dependsOn)].map((d) => {
        const dep = g.resolve(d);
        return { id: dep?.id ?? d, status: dep?.status, tracks: dep?.tracks ?? [] };
      }),
    })),
    doneWorkOrders: done.map((w) => ({ id: w.id ?? w.path, title: w.title, status: w.status })),
    truncated: null,
  };
}

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** Fits at most `max` bytes into `out`, greedily in order; returns how many items were left out. */
class Budget {
  used = 0;
  omitted: Record<string, number> = {};
  constructor(readonly max: number) {}
  fits(s: string | number) {
    return this.used + (typeof s === 'number' ? s : bytes(s)) <= this.max;
  }
  add(out: string[], s: string): boolean {
    if (!this.fits(s)) return false;
    out.push(s);
    this.used += bytes(s);
    return true;
  }
  skip(kind: string, n: number) {
    if (n > 0) this.omitted[kind] = (this.omitted[kind] ?? 0) + n;
  }
}

/** Room kept for the truncation note. */
const NOTE_ROOM = 300;

/** Every value in the markdown comes from files: one line of text, HTML escaped (t), or a code span (code). */
const t = (s: unknown) => mdText(String(s ?? ''));
const code = (s: string) => mdCode(s);

function historyLine(e: HistoryEntry): string {
  const where = e.branch ? ` on ${t(e.branch)}` : '';
  const who = t(e.claimed_by ?? '?');
  const claim = e.event === 'claim' ? `(claimed by ${who}${where}${e.stolen_from ? `, taken over from ${t(e.stolen_from.claimed_by)}` : ''})` : e.event === 'release' ? `(claim of ${who}${where} released)` : '';
  const extra = [claim, e.by ? `by ${t(e.by)}` : '', e.reason ? `— ${t(e.reason)}` : '', e.progress ? `(checkpoint ${e.progress.done}/${e.progress.total}${e.commit ? ` at ${t(String(e.commit).slice(0, 7))}` : ''})` : ''].filter(Boolean).join(' ');
  return `- ${t(e.at)}: ${e.from ? t(e.from) : '∅'} → ${t(e.to)}${extra ? ` ${extra}` : ''}\n`;
}

const state = (c: CrossDep) => t(c.toDone ? (c.toStatus ?? 'done') : `${c.toStatus ?? 'no status'}, not done yet`);

function crossLine(c: CrossDep, dir: 'out' | 'in'): string {
  const tr = (l: string[]) => (l.length ? l.map(code).join(', ') : 'no track');
  return dir === 'out'
    ? `- ${t(c.from)} waits on **${t(c.to)}** (${tr(c.toTracks)}, ${state(c)})\n`
    : `- **${t(c.from)}** (${tr(c.fromTracks)}) waits on ${t(c.to)} (${state(c)})\n`;
}

function woBlock(w: PackWorkOrder): string {
  const meta = [t(w.status ?? 'no status'), w.priority !== undefined ? `priority ${t(w.priority)}` : '', w.estimateHours !== undefined ? `${t(w.estimateHours)}h` : '', w.tracks.length > 1 || w.tracks.length === 0 ? '' : code(w.tracks[0]!)].filter(Boolean).join(' · ');
  const lines = [`### ${t(w.id)} ${t(w.title ?? '')}`.trimEnd(), '', `${meta} — ${code(w.path)}`];
  if (w.goal) lines.push('', `Goal: ${t(w.goal.replace(/\s+/g, ' '))}`);
  if (w.dependsOn.length) lines.push('', `Depends on: ${w.dependsOn.map((d) => `${t(d.id)} (${t(d.status ?? 'not here')})`).join(', ')}`);
  if (w.acceptanceCriteria.length) lines.push('', 'Acceptance criteria:', ...w.acceptanceCriteria.map((a) => `- ${t(a.replace(/\s+/g, ' '))}`));
  return lines.join('\n') + '\n\n';
}

/** Markdown within `maxBytes` (UTF-8). */
export function packMarkdown(p: PackData, maxBytes = DEFAULT_PACK_BYTES): string {
  const b = new Budget(Math.max(0, maxBytes - NOTE_ROOM));
  const out: string[] = [];
  const tr = p.track;
  const pr = p.progress;
  const head = [
    `# Track: ${t(tr.name ?? tr.slug)} (${code(tr.slug)})`,
    '',
    `${t(tr.type ?? '?')} · status **${t(tr.status ?? '?')}**${tr.parent ? ` · sub-track of ${code(tr.parent)}` : ''}${tr.subTracks.length ? ` · sub-tracks: ${tr.subTracks.map(code).join(', ')}` : ''} · ${code(tr.path)}`,
    `Progress: ${pr.done}/${pr.total} work order${pr.total === 1 ? '' : 's'} done${pr.total ? ` (${Math.round(pr.ratio * 100)}%)` : ''}${pr.hoursTotal ? `, ${pr.hoursDone}/${pr.hoursTotal}h` : ''}`,
    '',
  ];
  if (tr.goal) head.push('## Goal', '', mdText(tr.goal, { multiline: true }), '');
  if (tr.experiment) head.push(`## Experiment ${code(tr.experiment)}`, '', `Hypothesis: ${t(tr.hypothesis ?? '(none recorded)')}`, ...(tr.branch ? [`Branch: ${t(tr.branch)}`] : []), ...(tr.scope.length ? [`Scope: ${t(tr.scope.join(', '))}`] : []), '');
  // The head always goes in, even past the budget: a pack without it is useless.
  out.push(head.join('\n') + '\n');
  b.used += bytes(out[0]!);

  const section = (title: string, items: string[], kind: string, intro = '') => {
    if (!items.length) return;
    if (!b.add(out, `## ${title}\n\n${intro}`)) {
      b.skip(kind, items.length);
      return;
    }
    let i = 0;
    for (; i < items.length; i++) if (!b.add(out, items[i]!)) break;
    b.skip(kind, items.length - i);
    b.add(out, '\n');
  };
  const decisions: string[] = [];
  if (p.decision) decisions.push(`- Recorded decision: ${t(Object.entries(p.decision).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join('; '))}\n`);
  // The track body is markdown and stays markdown; only HTML and terminal controls are neutralised.
  if (p.decisionNotes) decisions.push(mdText(p.decisionNotes, { multiline: true }) + '\n');
  section('Decisions', decisions, 'decisions');
  if (p.results) {
    const r = p.results as { recorded?: unknown; notes?: string };
    const items = [...(r.recorded !== undefined ? [`- Recorded: ${t(typeof r.recorded === 'string' ? r.recorded : JSON.stringify(r.recorded))}\n`] : []), ...(r.notes ? [mdText(r.notes, { multiline: true }) + '\n'] : [])];
    section('Results', items, 'results');
  }
  // Newest history is the most useful; keep as many recent entries as fit, in time order.
  const hist = p.history.map(historyLine);
  if (hist.length) {
    const kept: string[] = [];
    let size = bytes('## History\n\n') + 1;
    for (let i = hist.length - 1; i >= 0; i--) {
      if (!b.fits(size + bytes(hist[i]!))) break;
      kept.unshift(hist[i]!);
      size += bytes(hist[i]!);
    }
    b.skip('history entries', hist.length - kept.length);
    if (kept.length) {
      if (kept.length < hist.length) kept.unshift(`- … ${hist.length - kept.length} older entries\n`);
      b.add(out, `## History\n\n${kept.join('')}\n`);
    }
  }
  const cross = [...p.crossTrack.outgoing.map((c) => crossLine(c, 'out')), ...p.crossTrack.incoming.map((c) => crossLine(c, 'in'))];
  section('Dependencies crossing into other tracks', cross, 'cross-track dependencies');
  section(`Open work orders (${p.openWorkOrders.length})`, p.openWorkOrders.map(woBlock), 'open work orders', p.openWorkOrders.length > 1 ? 'Startable first (in `tracks next` order), then held (parked, in review), then blocked.\n\n' : '');
  section(`Done work orders (${p.doneWorkOrders.length})`, p.doneWorkOrders.map((w) => `- ${t(w.id)} ${t(w.title ?? '')} (${t(w.status ?? '')})\n`), 'done work orders');

  const omitted = Object.entries(b.omitted);
  if (omitted.length) {
    out.push(`> Truncated to fit ${maxBytes} bytes: left out ${omitted.map(([k, n]) => `${n} ${k}`).join(', ')}. Raise --max-bytes, or use \`tracks next ${t(tr.slug).replace(/`/g, '')}\` for the open work in order.\n`);
  }
  return out.join('').replace(/\n{3,}/g, '\n\n');
}

/** The same pack as JSON within `maxBytes` (pretty-printed size); arrays are cut from the least useful end. */
export function packJson(p: PackData, maxBytes = DEFAULT_PACK_BYTES): string {
  const pack: PackData = structuredClone(p);
  const size = () => bytes(toJson(pack));
  if (size() <= maxBytes) return toJson(pack) + '\n';
  const omitted: Record<string, number> = {};
  const lists: [string, unknown[], 'end' | 'start'][] = [
    ['done work orders', pack.doneWorkOrders, 'end'],
    ['open work orders', pack.openWorkOrders, 'end'],
    ['incoming cross-track dependencies', pack.crossTrack.incoming, 'end'],
    ['outgoing cross-track dependencies', pack.crossTrack.outgoing, 'end'],
    ['history entries', pack.history, 'start'],
  ];
  pack.truncated = { maxBytes, omitted };
  for (const [kind, list, from] of lists) {
    // Steps of ~1/8 keep this to a few dozen serialisations even for huge tracks.
    while (list.length && size() > maxBytes) {
      const n = Math.max(1, Math.floor(list.length / 8));
      if (from === 'end') list.splice(list.length - n, n);
      else list.splice(0, n);
      omitted[kind] = (omitted[kind] ?? 0) + n;
    }
    if (size() <= maxBytes) break;
  }
  return toJson(pack) + '\n';
}
