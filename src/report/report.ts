/**
 * `tracks report`: distribution of work orders over tracks, progress, blocked
 * work and the top-level limit, as data and as markdown fit for a pull
 * request. Pure.
 */
import { isDone } from '../core/tracks.js';
import { workOrderCounts } from '../core/counts.js';
import type { Repo, WorkOrder } from '../model/types.js';
import { countsAgainstLimit } from '../validate/rules.js';
import { depGraph, missingDeps } from '../core/graph.js';
import { blockedItem, byPriority, type BlockedItem } from '../next/next.js';
import { progressJson, trackTree } from '../core/progress.js';
import { mdCell, mdCode, mdText } from '../render/sanitize.js';
import { plural } from '../render/plural.js';

export interface ReportData {
  version: 1;
  /** Counted as src/core/counts.ts counts (as status, check and list --unassigned do); done counts every work order read. */
  workOrders: { total: number; done: number; assigned: number; unassigned: number; unknownTrack: number; unreadable: number; duplicateIds: number };
  tracks: {
    slug: string;
    name: string | undefined;
    type: string | undefined;
    status: string | undefined;
    parent: string | null;
    depth: number;
    /** Work orders naming this track itself. */
    count: number;
    /** count / all work orders. */
    share: number;
    own: ReturnType<typeof progressJson>;
    /** Including sub-tracks. */
    progress: ReturnType<typeof progressJson>;
  }[];
  /** Most urgent first (priority, none last), then id. */
  blocked: BlockedItem[];
  /** Dependencies on ids that are not work orders here (treated as done). */
  missingDependencies: { id: string; missing: string[] }[];
  topLevel: { used: number; limit: number; tracks: string[] };
}

export function reportData(repo: Repo): ReportData {
  const total = repo.workOrders.length;
  const counts = workOrderCounts(repo.workOrders, repo.tracks);
  const count = new Map<string, number>();
  for (const w of repo.workOrders) for (const s of new Set(w.tracks)) count.set(s, (count.get(s) ?? 0) + 1);
  const g = depGraph(repo);
  const blocked: { item: BlockedItem; w: WorkOrder }[] = [];
  const missing: { id: string; missing: string[] }[] = [];
  for (const w of repo.workOrders) {
    if (!w.id || isDone(w, repo.config)) continue;
    const b = blockedItem(g, w, undefined);
    if (b) blocked.push({ item: b, w });
    const m = missingDeps(g, w);
    if (m.length) missing.push({ id: w.id, missing: m });
  }
  blocked.sort((a, b) => byPriority(a.w, b.w));
  const top = repo.tracks.filter(countsAgainstLimit);
  return {
    version: 1,
    workOrders: {
      total,
      done: repo.workOrders.filter((w) => isDone(w, repo.config)).length,
      assigned: counts.assigned,
      unassigned: counts.unassigned,
      unknownTrack: counts.unknownTrack,
      unreadable: counts.unreadable,
      duplicateIds: counts.duplicateIds,
    },
    tracks: trackTree(repo).map((r) => ({
      slug: r.track.slug,
      name: r.track.name,
      type: r.track.type,
      status: r.track.status,
      parent: r.track.parent ?? null,
      depth: r.depth,
      count: count.get(r.track.slug) ?? 0,
      share: total ? Math.round(((count.get(r.track.slug) ?? 0) / total) * 1000) / 1000 : 0,
      own: progressJson(r.own),
      progress: progressJson(r.rolled),
    })),
    blocked: blocked.map((b) => b.item),
    missingDependencies: missing,
    topLevel: { used: top.length, limit: repo.config.topLevelLimit, tracks: top.map((t) => t.slug).sort() },
  };
}

const pct = (r: number) => `${Math.round(r * 100)}%`;
const h = (n: number) => `${Math.round(n * 10) / 10}h`;
/** Values from files: a table cell must not break its row, and nothing may become HTML in a pull request. */
const cell = mdCell;
const slug = (s: string) => mdCode(s, { cell: true });

export function reportMarkdown(r: ReportData, opts: { maxBlocked?: number } = {}): string {
  const wo = r.workOrders;
  const out: string[] = ['## Tracks report', ''];
  out.push(
    `**${plural(wo.total, 'work order')}**, ${wo.done} done (${wo.total ? pct(wo.done / wo.total) : '0%'}) · ${plural(r.tracks.length, 'track')} · ` +
      `${wo.unassigned} unassigned (${wo.total ? pct(wo.unassigned / wo.total) : '0%'}${wo.unknownTrack ? `; ${wo.unknownTrack} of them ${wo.unknownTrack === 1 ? 'names' : 'name'} a track that does not exist` : ''})` +
      `${wo.unreadable ? ` · ${wo.unreadable} unreadable${wo.duplicateIds ? ` (${wo.duplicateIds} with an id an earlier work order has)` : ''}, see \`tracks check\`` : ''} · ` +
      `top-level tracks ${r.topLevel.used}/${r.topLevel.limit}${r.topLevel.used > r.topLevel.limit ? ' **(over the limit)**' : ''}`,
    '',
  );
  if (r.tracks.length) {
    out.push('| Track | Type | Status | Work orders | Share | Done | Hours done |', '|---|---|---|--:|--:|---|---|');
    for (const t of r.tracks) {
      const indent = t.depth ? `${'&nbsp;&nbsp;'.repeat(t.depth)}↳ ` : '';
      const p = t.progress;
      const done = p.total ? `${p.done}/${p.total} (${pct(p.ratio)})` : '–';
      const hours = p.hoursTotal ? `${h(p.hoursDone)}/${h(p.hoursTotal)} (${pct(p.hoursRatio ?? 0)})` : '–';
      out.push(`| ${indent}${cell(t.name ?? t.slug)} ${slug(t.slug)} | ${cell(t.type ?? '')} | ${cell(t.status ?? '')} | ${t.count} | ${pct(t.share)} | ${done} | ${hours} |`);
    }
    out.push('', '<sub>Work orders and share count a track\'s own work orders; Done and Hours include its sub-tracks.</sub>', '');
  } else {
    out.push('No tracks yet: run `tracks organize` or `tracks create`.', '');
  }
  const max = opts.maxBlocked ?? 50;
  out.push(`### Blocked work (${r.blocked.length})`, '');
  if (!r.blocked.length) out.push('Nothing waits on unfinished dependencies.', '');
  else {
    for (const b of r.blocked.slice(0, max)) {
      const where = b.tracks.length ? b.tracks.map((s) => mdCode(s)).join(', ') : '_no track_';
      const waits = b.waitingOn.map((x) => `${mdText(x.id)} (${mdText(x.status ?? 'no status')}, ${x.tracks.length ? x.tracks.map((s) => mdCode(s)).join(', ') : 'no track'}${x.crossTrack ? ', **other track**' : ''})`).join(', ');
      out.push(`- **${mdText(b.id)}** ${cell(b.title ?? '')} [${where}] waits on ${waits}`);
    }
    if (r.blocked.length > max) out.push(`- … and ${r.blocked.length - max} more (\`tracks report --format json\` lists all)`);
    out.push('');
  }
  if (r.missingDependencies.length) {
    out.push(`<sub>${r.missingDependencies.length} open work order${r.missingDependencies.length === 1 ? ' depends' : 's depend'} on ids not in this repository (treated as done): ${r.missingDependencies.map((m) => `${mdText(m.id)} → ${mdText(m.missing.join(', '))}`).join('; ')}.</sub>`, '');
  }
  return out.join('\n');
}
