/**
 * Checks for the intermediate answers of a two-phase run, which the
 * organize engine's validator cannot judge on their own (a track list without
 * assignments, one chunk's assignments). The final, assembled proposal still
 * goes through the engine's validator. Pure.
 */
import type { Repo } from '../model/types.js';
import { RETIRED_STATUSES } from '../model/types.js';
import type { Mode } from '../organize/types.js';
import type { IdCodec } from './format.js';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Phase 1: the proposed track list, against the repository's structural rules. */
export function checkTrackPlan(repo: Repo, mode: Mode, value: { tracks: unknown[]; merges?: unknown[]; retire?: unknown[] }): string[] {
  const out: string[] = [];
  const existing = new Map(repo.tracks.map((t) => [t.slug, t]));
  const proposed = new Map<string, { parent: string | null }>();
  value.tracks.forEach((t, i) => {
    if (!isObj(t) || typeof t.slug !== 'string') return void out.push(`tracks[${i}] must be an object with a string slug.`);
    const slug = t.slug;
    if (!SLUG.test(slug) || slug.length > 64) out.push(`Track slug "${slug}" is not a valid slug (lowercase words joined by single hyphens, at most 64 characters).`);
    if (proposed.has(slug)) out.push(`Track "${slug}" is listed twice.`);
    if (mode === 'incremental' && existing.has(slug)) out.push(`Track "${slug}" already exists; in incremental mode existing tracks cannot change, so do not list it.`);
    if (typeof t.name !== 'string' || !t.name.trim() || t.name.length > 80) out.push(`Track "${slug}" needs a name of 1 to 80 characters.`);
    if (typeof t.type !== 'string' || !repo.config.trackTypes.includes(t.type)) out.push(`Track "${slug}" has type ${JSON.stringify(t.type)}; use one of ${repo.config.trackTypes.join(', ')}.`);
    const parent = typeof t.parent === 'string' && t.parent ? t.parent : null;
    proposed.set(slug, { parent });
  });
  const gone = new Set<string>();
  for (const r of value.retire ?? []) if (isObj(r) && typeof r.slug === 'string') gone.add(r.slug);
  for (const m of value.merges ?? []) if (isObj(m) && Array.isArray(m.from)) for (const f of m.from) if (typeof f === 'string') gone.add(f);
  const parentOf = (slug: string): string | null | undefined =>
    proposed.has(slug) ? proposed.get(slug)!.parent : existing.has(slug) ? (existing.get(slug)!.parent ?? null) : undefined;
  for (const [slug, { parent }] of proposed) {
    if (parent === null) continue;
    if (parentOf(parent) === undefined) out.push(`Track "${slug}" has parent "${parent}", which is neither an existing nor a proposed track.`);
    const seen = new Set([slug]);
    for (let p: string | null | undefined = parent; p; p = parentOf(p)) {
      if (seen.has(p)) {
        out.push(`Track "${slug}" is its own ancestor (parent cycle through "${p}").`);
        break;
      }
      seen.add(p);
    }
  }
  const live = new Set<string>();
  for (const t of repo.tracks) if (!gone.has(t.slug) && !RETIRED_STATUSES.includes(t.status as never)) live.add(t.slug);
  for (const s of proposed.keys()) if (!gone.has(s)) live.add(s);
  const top = [...live].filter((s) => parentOf(s) === null);
  if (top.length > repo.config.topLevelLimit)
    out.push(`There are ${top.length} top-level tracks (${top.join(', ')}); at most ${repo.config.topLevelLimit} are allowed. Make some of them sub-tracks (set parent) or merge them.`);
  if (!live.size) out.push('Propose at least one track.');
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
