/**
 * One set of rules: a change is projected onto the repository and judged by
 * the same rules as `tracks check`. A change that would introduce an error
 * `check` reports is refused with that diagnostic; an error that was already
 * there does not block an unrelated change. Pure.
 */
import type { Diagnostic, Repo, Track, WorkOrder } from '../model/types.js';
import { blobIdOf } from '../core/blob.js';
import { parseTrackFile, parseWorkOrderFile } from '../parse/source-file.js';
import { trackDiagnostics, workOrderDiagnostics } from '../validate/files.js';
import { crossFileDiagnostics } from '../validate/rules.js';
import { placeOf, type FileWrite } from './verify.js';
import type { KeyValue } from './types.js';

/**
 * A work order after a write that only sets its track key: the same work
 * order with that one value changed. Nothing else of the file moved (apply
 * recomputes the edit and verify refuses anything more), so it need not be
 * read and parsed again — which for 10,000 work orders is most of a dry run.
 */
function withKey(w: WorkOrder, hash: string, key: string, value: KeyValue): WorkOrder {
  // An empty target: the engine checks a proxy's answers against its target's own properties,
  // and asking a cached work order for those would read its file again.
  const base = w.data;
  const data = new Proxy({} as Record<string, unknown>, {
    get: (_, k) => (k === key ? (value ?? undefined) : (base as Record<string | symbol, unknown>)[k]),
    has: (_, k) => (k === key ? value !== null : k in base),
  });
  return { ...w, hash, data, tracks: value === null ? [] : Array.isArray(value) ? [...value] : [value] };
}

/**
 * What the projection needs of a write. A write that only sets a work order's
 * track key needs its blob id, not its bytes (`hash`; a check that writes
 * nothing keeps no bytes of 10,000 edited files).
 */
export type ProjectedWrite = Pick<FileWrite, 'path' | 'after' | 'setKey'> & { hash?: string };

/** The repository as it will be after the writes. */
export function projectRepo(repo: Repo, writes: ProjectedWrite[]): Repo {
  const byPath = new Map(writes.map((w) => [w.path, w]));
  const old = new Map(repo.workOrders.map((w) => [w.path, w]));
  const workOrders: WorkOrder[] = [];
  const tracks: Track[] = [];
  for (const w of repo.workOrders) if (!byPath.has(w.path)) workOrders.push(w);
  for (const t of repo.tracks) if (!byPath.has(t.path)) tracks.push(t);
  for (const w of writes) {
    const place = placeOf(w.path, repo.config);
    const was = old.get(w.path);
    if (place === 'work-order' && w.setKey && was && (w.hash !== undefined || w.after)) {
      workOrders.push(withKey(was, w.hash ?? blobIdOf(w.after!), w.setKey.key, w.setKey.value));
      continue;
    }
    if (w.after === null) continue;
    const f = { path: w.path, hash: blobIdOf(w.after), bytes: w.after };
    if (place === 'work-order') workOrders.push(parseWorkOrderFile(f, repo.config));
    else if (place === 'track') tracks.push(parseTrackFile(f));
  }
  const order = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  return { ...repo, workOrders: workOrders.sort(order), tracks: tracks.sort(order) };
}

/** Every error `check` reports on the repository, for the files given plus the cross-file rules. */
function errorsOf(repo: Repo, files: Set<string>): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const w of repo.workOrders) if (files.has(w.path)) out.push(...(repo.fileDiagnostics?.(w) ?? workOrderDiagnostics(w, repo.config)));
  for (const t of repo.tracks) if (files.has(t.path)) out.push(...trackDiagnostics(t, repo.config));
  out.push(...crossFileDiagnostics(repo.workOrders, repo.tracks, repo.config));
  return out.filter((d) => d.severity === 'error');
}

const key = (d: Diagnostic) => `${d.code}\0${d.file}\0${d.message}`;

/** The errors the writes would introduce (none: the change keeps the repository as valid as it was). */
export function introducedErrors(repo: Repo, writes: ProjectedWrite[]): Diagnostic[] {
  // A work order that only gets its track key set keeps its own per-file verdict, but for the one
  // rule about that key's value (verify already holds it to slugs).
  const files = new Set(writes.filter((w) => !w.setKey).map((w) => w.path));
  const several = writes.filter((w) => w.setKey && Array.isArray(w.setKey.value) && w.setKey.value.length > 1 && !repo.config.multipleTracksPerWorkOrder);
  const before = new Map<string, number>();
  for (const d of errorsOf(repo, files)) before.set(key(d), (before.get(key(d)) ?? 0) + 1);
  const out: Diagnostic[] = several.map((w) => ({
    file: w.path,
    line: 1,
    col: 1,
    severity: 'error' as const,
    code: 'wo/multiple-tracks',
    message: `work order would be in ${(w.setKey!.value as string[]).length} tracks but the config allows one`,
    hint: 'Keep one track, or set multiple_tracks_per_work_order: true in tracks.config.yaml.',
  }));
  for (const d of errorsOf(projectRepo(repo, writes), files)) {
    const k = key(d);
    const n = before.get(k) ?? 0;
    if (n > 0) before.set(k, n - 1);
    else out.push(d);
  }
  return out;
}
