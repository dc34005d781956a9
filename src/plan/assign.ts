/** Planning `tracks assign` and `tracks unassign`: which work orders get which value of the track key. Pure. */
import type { Repo, WorkOrder } from '../model/types.js';
import { findTrack, findWorkOrder } from '../core/tracks.js';
import { isRetired } from '../core/status.js';
import { trackKey } from '../core/layout.js';
import { TracksError } from '../errors/index.js';
import { PLAN_VERSION, type ChangePlan, type FileChange, type KeyValue } from './types.js';

/** Resolves every reference first, so one bad id refuses the whole command. */
export function resolveWorkOrders(repo: Repo, refs: string[]): WorkOrder[] {
  const found: WorkOrder[] = [];
  const missing: string[] = [];
  for (const r of refs) {
    try {
      found.push(findWorkOrder(repo, r));
    } catch (e) {
      if (e instanceof TracksError) missing.push(r);
      else throw e;
    }
  }
  if (missing.length) {
    if (missing.length === 1) findWorkOrder(repo, missing[0]!); // throws with a did-you-mean
    throw new TracksError('UNKNOWN_WORK_ORDER', `no work orders ${missing.join(', ')}`, { hint: 'Use ids from the front matter or file paths.' });
  }
  return [...new Map(found.map((w) => [w.path, w])).values()];
}

export const idList = (ws: WorkOrder[]) => (ws.length <= 5 ? ws.map((w) => w.id ?? w.path).join(', ') : `${ws.length} work orders`);

const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const valueOf = (list: string[]): KeyValue => (list.length === 0 ? null : list.length === 1 ? list[0]! : list);

export interface AssignPlan extends ChangePlan {
  kind: 'assign' | 'unassign';
  /** The work orders that change, with their tracks before and after. */
  moves: { wo: WorkOrder; from: string[]; to: string[] }[];
  /** The work orders named that already were as asked. */
  unchanged: WorkOrder[];
}

function plan(repo: Repo, kind: 'assign' | 'unassign', wos: WorkOrder[], next: (w: WorkOrder) => string[] | undefined, subject: (moved: WorkOrder[]) => string, now: string): AssignPlan {
  const key = trackKey(repo.config);
  const moves: AssignPlan['moves'] = [];
  const unchanged: WorkOrder[] = [];
  for (const w of wos) {
    const to = next(w);
    if (!to || same(to, w.tracks)) unchanged.push(w);
    else moves.push({ wo: w, from: w.tracks, to });
  }
  const changes: FileChange[] = moves.map((m) => ({ path: m.wo.path, action: 'set-key', baseHash: m.wo.hash, key, value: valueOf(m.to) }));
  const body = moves.map((m) => `- ${m.wo.id ?? m.wo.path}: ${m.from.join(', ') || '(none)'} → ${m.to.join(', ') || '(none)'}`).join('\n');
  return { version: PLAN_VERSION, kind, createdAt: now, message: `${subject(moves.map((m) => m.wo))}\n\n${body}\n`, changes, moves, unchanged };
}

export function planAssign(repo: Repo, refs: string[], trackRef: string, opts: { add?: boolean; now: string }): AssignPlan {
  const t = findTrack(repo, trackRef);
  if (isRetired(t)) {
    throw new TracksError('TRACK_RETIRED', `track "${t.slug}" is ${t.status}`, { hint: `Assign to a live track (\`tracks list --tracks\`), or create a new one with \`tracks create\`.` });
  }
  if (opts.add && !repo.config.multipleTracksPerWorkOrder) {
    throw new TracksError('MULTIPLE_TRACKS_OFF', '--add needs multiple_tracks_per_work_order: true in tracks.config.yaml');
  }
  const wos = resolveWorkOrders(repo, refs);
  return plan(repo, 'assign', wos, (w) => (opts.add ? [...new Set([...w.tracks, t.slug])] : [t.slug]), (moved) => `tracks: assign ${idList(moved)} to ${t.slug}`, opts.now);
}

export function planUnassign(repo: Repo, refs: string[], trackRef: string | undefined, opts: { now: string }): AssignPlan {
  const only = trackRef === undefined ? undefined : findTrack(repo, trackRef).slug;
  const wos = resolveWorkOrders(repo, refs);
  return plan(repo, 'unassign', wos, (w) => (only === undefined ? [] : w.tracks.filter((s) => s !== only)), (moved) => `tracks: unassign ${idList(moved)}${only ? ` from ${only}` : ''}`, opts.now);
}
