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

/** The repository as it will be after the writes. */
export function projectRepo(repo: Repo, writes: Pick<FileWrite, 'path' | 'after'>[]): Repo {
  const byPath = new Map(writes.map((w) => [w.path, w]));
  const workOrders: WorkOrder[] = [];
  const tracks: Track[] = [];
  for (const w of repo.workOrders) if (!byPath.has(w.path)) workOrders.push(w);
  for (const t of repo.tracks) if (!byPath.has(t.path)) tracks.push(t);
  for (const w of writes) {
    if (w.after === null) continue;
    const place = placeOf(w.path, repo.config);
    const f = { path: w.path, hash: blobIdOf(w.after), bytes: w.after };
    if (place === 'work-order') workOrders.push(parseWorkOrderFile(f));
    else if (place === 'track') tracks.push(parseTrackFile(f));
  }
  const order = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  return { ...repo, workOrders: workOrders.sort(order), tracks: tracks.sort(order) };
}

/** Every error `check` reports on the repository, for the files given plus the cross-file rules. */
function errorsOf(repo: Repo, files: Set<string>): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const w of repo.workOrders) if (files.has(w.path)) out.push(...workOrderDiagnostics(w, repo.config));
  for (const t of repo.tracks) if (files.has(t.path)) out.push(...trackDiagnostics(t, repo.config));
  out.push(...crossFileDiagnostics(repo.workOrders, repo.tracks, repo.config));
  return out.filter((d) => d.severity === 'error');
}

const key = (d: Diagnostic) => `${d.code}\0${d.file}\0${d.message}`;

/** The errors the writes would introduce (none: the change keeps the repository as valid as it was). */
export function introducedErrors(repo: Repo, writes: Pick<FileWrite, 'path' | 'after'>[]): Diagnostic[] {
  const files = new Set(writes.map((w) => w.path));
  const before = new Map<string, number>();
  for (const d of errorsOf(repo, files)) before.set(key(d), (before.get(key(d)) ?? 0) + 1);
  const out: Diagnostic[] = [];
  for (const d of errorsOf(projectRepo(repo, writes), files)) {
    const k = key(d);
    const n = before.get(k) ?? 0;
    if (n > 0) before.set(k, n - 1);
    else out.push(d);
  }
  return out;
}
