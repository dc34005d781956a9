/**
 * Which work order a reference means: the one place dependency (and parent)
 * references are resolved, for check, next, report, tree, the context pack,
 * the organizers and the LLM request. Pure.
 *
 * An exact id wins. With `id_matching`, a reference also finds an id written
 * in another case (`back-208`) or with another of the listed prefixes, or with
 * none (`task-208` and `208` find `BACK-208` when the prefixes are back and
 * task), as Backlog.md matches them. Where several work orders share an id,
 * the one outside an archive directory is meant.
 */
import type { Config, WorkOrder } from '../model/types.js';
import { formatOf } from '../config/fields.js';

export type ResolveConfig = Pick<Config, 'idMatching' | 'fields' | 'workOrderDirs' | 'priorities'>;

export type Resolve = (ref: string) => WorkOrder | undefined;

/** The comparable form of an id under the config's matching: `BACK-208`, `task-208`, `208` → `208`. */
export function idKey(id: string, matching: Config['idMatching']): string {
  let s = matching.ignoreCase ? id.toLowerCase() : id;
  for (const p of matching.prefixes) {
    const q = matching.ignoreCase ? p.toLowerCase() : p;
    if (s.length > q.length + 1 && s.startsWith(q) && s.charCodeAt(q.length) === 45 /* - */) {
      s = s.slice(q.length + 1);
      break;
    }
  }
  return s;
}

export function dependencyResolver(workOrders: readonly WorkOrder[], config: ResolveConfig): Resolve {
  const archived = formatOf(config).archived;
  const prefer = (map: Map<string, WorkOrder>, key: string, w: WorkOrder) => {
    const had = map.get(key);
    if (!had || (archived(had.path) && !archived(w.path))) map.set(key, w);
  };
  const byId = new Map<string, WorkOrder>();
  for (const w of workOrders) if (w.id) prefer(byId, w.id, w);
  const m = config.idMatching;
  if (!m.ignoreCase && !m.prefixes.length) return (ref) => byId.get(ref);
  const byKey = new Map<string, WorkOrder>();
  for (const w of byId.values()) prefer(byKey, idKey(w.id!, m), w);
  return (ref) => byId.get(ref) ?? byKey.get(idKey(ref.trim(), m));
}
