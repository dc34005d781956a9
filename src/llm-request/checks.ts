/**
 * Checks for the intermediate answers of a two-phase run, which the
 * organize engine's validator cannot judge on their own (a track list without
 * assignments, one chunk's assignments). The final, assembled proposal still
 * goes through the engine's validator. Pure.
 */
import type { IdCodec } from './format.js';

/**
 * Phase 1: the engine's verdict on the track list alone (validated with no
 * assignments yet), minus the sentences that only say which work orders are
 * not placed, which phase 2 will do. A sentence counts as that when it names
 * a work order to place.
 */
export function trackPlanViolations(violations: readonly string[], targetIds: ReadonlySet<string>, trackCount: number): string[] {
  const out = violations.filter((v) => !v.split(/[\s,;:()[\]"]+/).some((w) => targetIds.has(w.replace(/\.$/, ''))));
  if (trackCount === 0) out.push('Propose at least one track.');
  return out;
}

/** Phase 2: one chunk's groups place exactly its work orders, into decided tracks. */
export function checkChunk(
  codec: IdCodec,
  ids: readonly string[],
  assign: readonly { track: string; wos: readonly string[] }[],
  slugs: ReadonlySet<string>,
  multiple: boolean,
): string[] {
  const out: string[] = [];
  const want = new Set(ids);
  const count = new Map<string, number>();
  for (const g of assign) {
    if (!slugs.has(g.track)) out.push(`Track "${g.track}" is not one of the decided tracks.`);
    for (const h of g.wos) {
      const id = codec.decode(h);
      if (!id || !want.has(id)) {
        out.push(`Work order "${h}" is not in this chunk; place only the work orders listed.`);
        continue;
      }
      count.set(id, (count.get(id) ?? 0) + 1);
    }
  }
  const missing = ids.filter((id) => !count.has(id)).map((id) => codec.encode(id));
  if (missing.length) out.push(`These work orders were not placed: ${missing.join(', ')}.`);
  if (!multiple) {
    const twice = [...count].filter(([, n]) => n > 1).map(([id]) => codec.encode(id));
    if (twice.length) out.push(`These work orders were placed more than once (one track each): ${twice.join(', ')}.`);
  }
  return out;
}
