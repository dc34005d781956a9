/**
 * `tracks doctor`: what parallel branches did to each other, judged over this
 * work tree and every branch and work tree not yet merged into it. Duplicate
 * track numbers (the newer file can be renumbered: a rename, and work orders
 * name slugs, not numbers), duplicate slugs and duplicate work-order ids (a
 * person decides: the exact step is said), and tracks claimed twice. Pure.
 */
import type { Track, WorkOrder } from '../model/types.js';
import { trackFileName } from '../parse/entities.js';
import { PLAN_VERSION, type ChangePlan, type FileChange } from '../plan/types.js';
import { claimEvents, claimsOf, describeClaim, liveClaimsAcross } from './claims.js';
import { namesHere } from './renamed.js';

export interface Seen<T> {
  item: T;
  /** "this work tree", "branch feat-a", … */
  where: string;
  here: boolean;
}

export type ProblemKind = 'duplicate-number' | 'duplicate-slug' | 'duplicate-id' | 'claimed-twice';

export interface Problem {
  kind: ProblemKind;
  message: string;
  /** The files involved and where each was seen. */
  files: { path: string; where: string[] }[];
  /** A rename --fix makes here. */
  fix?: { from: string; to: string };
  /** What a person does instead, when --fix cannot. */
  manual?: string;
}

export interface DoctorPlan extends ChangePlan {
  kind: 'doctor';
  renames: { from: string; to: string }[];
}

const createdAt = (t: Track) => (typeof t.data.created_at === 'string' ? t.data.created_at : '');
const pad = (n: number) => String(n).padStart(4, '0');

interface Identity {
  slug: string;
  /** The version shown and fixed: this work tree's when it has the track. */
  track: Track;
  here: boolean;
  where: string[];
}

function wheres<T>(list: Seen<T>[]): string[] {
  return [...new Set(list.map((s) => s.where))];
}

export function diagnose(tracks: Seen<Track>[], workOrders: Seen<WorkOrder>[], taken: number[]): { problems: Problem[]; renames: { from: string; to: string; track: Track }[] } {
  const problems: Problem[] = [];
  // Tracks by slug (the one each has here: a version under a name it was renamed from is the same
  // track, see renamed.ts); versions with another creation time or type are another track that took the slug.
  const names = namesHere(tracks.filter((s) => s.here).map((s) => s.item));
  const bySlug = new Map<string, Seen<Track>[]>();
  for (const s of tracks) {
    const slug = names.track(s.item);
    bySlug.set(slug, [...(bySlug.get(slug) ?? []), s]);
  }
  const identities: Identity[] = [];
  for (const [slug, versions] of bySlug) {
    const kinds = new Map<string, Seen<Track>[]>();
    for (const v of versions) {
      const k = `${createdAt(v.item)}\0${v.item.fileType ?? ''}`;
      kinds.set(k, [...(kinds.get(k) ?? []), v]);
    }
    // In this work tree itself two files may share the slug (after a merge).
    const herePaths = new Set(versions.filter((v) => v.here).map((v) => v.item.path));
    if (kinds.size > 1 || herePaths.size > 1) {
      const byPath = new Map<string, Seen<Track>[]>();
      for (const v of versions) byPath.set(v.item.path, [...(byPath.get(v.item.path) ?? []), v]);
      const files = [...byPath].map(([path, vs]) => ({ path, where: wheres(vs) }));
      if (files.length > 1) {
        const second = files[files.length - 1]!;
        problems.push({
          kind: 'duplicate-slug',
          message: `track slug "${slug}" is used by ${files.length} different tracks: ${files.map((f) => `${f.path} (${f.where.join(', ')})`).join(', ')}`,
          files,
          manual: `Rename one of them on the branch that holds it (${second.where[0]}): \`git mv ${second.path} ${second.path.replace(/_([a-z0-9-]+)\.md$/, '_$1-2.md')}\`, set \`slug\` if the file has one, and move its work orders with \`tracks assign <ids> --track ${slug}-2\`; then merge.`,
        });
      }
    }
    for (const group of kinds.values()) {
      const here = group.filter((v) => v.here);
      const shown = here[0] ?? group[0]!;
      identities.push({ slug, track: shown.item, here: here.length > 0, where: wheres(group) });
    }
  }
  // Numbers: each track counts once, at its number here when this tree has it (a renumbered track's old name on a stale branch is not a second track).
  const byNumber = new Map<number, Identity[]>();
  for (const id of identities) {
    if (id.track.number === undefined) continue;
    byNumber.set(id.track.number, [...(byNumber.get(id.track.number) ?? []), id]);
  }
  const renames: { from: string; to: string; track: Track }[] = [];
  let next = Math.max(0, ...taken, ...identities.map((i) => i.track.number ?? 0)) + 1;
  for (const [num, ids] of [...byNumber].sort((a, b) => a[0] - b[0])) {
    const distinct = new Map(ids.map((i) => [i.track.path + '\0' + createdAt(i.track), i]));
    if (distinct.size < 2) continue;
    const list = [...distinct.values()].sort((a, b) => (createdAt(a.track) < createdAt(b.track) ? -1 : createdAt(a.track) > createdAt(b.track) ? 1 : a.slug < b.slug ? -1 : 1));
    const oldest = list[0]!;
    for (const newer of list.slice(1)) {
      const files = [oldest, newer].map((i) => ({ path: i.track.path, where: i.where }));
      const base = `track number ${pad(num)} is used by ${oldest.track.path} (${oldest.where.join(', ')}) and ${newer.track.path} (${newer.where.join(', ')})`;
      if (newer.here) {
        const to = newer.track.path.replace(/[^/]*$/, trackFileName(next++, newer.track.fileType ?? 'FEAT', newer.slug));
        renames.push({ from: newer.track.path, to, track: newer.track });
        problems.push({ kind: 'duplicate-number', message: base, files, fix: { from: newer.track.path, to } });
      } else {
        problems.push({
          kind: 'duplicate-number',
          message: base,
          files,
          manual: `The newer one, ${newer.track.path}, is not in this work tree: run \`tracks doctor --fix\` on ${newer.where[0]} (it renumbers it there), then merge.`,
        });
      }
    }
  }
  // Work-order ids: one id, several files.
  const byId = new Map<string, Seen<WorkOrder>[]>();
  for (const s of workOrders) if (s.item.id) byId.set(s.item.id, [...(byId.get(s.item.id) ?? []), s]);
  for (const [id, seen] of [...byId].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const byPath = new Map<string, Seen<WorkOrder>[]>();
    for (const s of seen) byPath.set(s.item.path, [...(byPath.get(s.item.path) ?? []), s]);
    if (byPath.size < 2) continue;
    const files = [...byPath].map(([path, vs]) => ({ path, where: wheres(vs) }));
    const last = files[files.length - 1]!;
    problems.push({
      kind: 'duplicate-id',
      message: `work-order id ${id} is used by ${files.map((f) => `${f.path} (${f.where.join(', ')})`).join(' and ')}`,
      files,
      manual: `Give ${last.path} a new id on ${last.where[0]}: edit its \`id:\` line, and every \`depends_on\` that means this work order; then merge.`,
    });
  }
  // Claims: every version's history together.
  for (const [slug, versions] of bySlug) {
    const live = liveClaimsAcross(versions.map((v) => claimEvents(v.item)));
    if (live.length < 2) continue;
    const at = (by: string) => wheres(versions.filter((v) => claimsOf(v.item).some((c) => c.by === by)));
    const keep = live[0]!;
    const drop = live.slice(1);
    problems.push({
      kind: 'claimed-twice',
      message: `track "${slug}" is claimed ${live.length} times: ${live.map((c) => `${describeClaim(c)} (${at(c.by).join(', ') || 'history'})`).join('; ')}`,
      files: [{ path: versions[0]!.item.path, where: wheres(versions) }],
      manual: `Agree who keeps it (the first claim was ${keep.by}'s); end the other${drop.length > 1 ? 's' : ''} on the branch that records ${drop.length > 1 ? 'them' : 'it'}: ${drop.map((c) => `\`tracks release ${slug} --as "${c.by}" --reason "…"\` on ${at(c.by)[0] ?? c.branch ?? 'its branch'}`).join('; ')}.`,
    });
  }
  return { problems, renames };
}

/** The renames as one plan: each file deleted and created under its new number, content unchanged. */
export function renumberPlan(renames: { from: string; to: string; track: Track }[], read: (path: string) => string, now: string): DoctorPlan | undefined {
  if (!renames.length) return undefined;
  const changes: FileChange[] = [];
  for (const r of renames) {
    changes.push({ path: r.from, action: 'delete', baseHash: r.track.hash });
    changes.push({ path: r.to, action: 'create', baseHash: null, content: read(r.from) });
  }
  const list = renames.map((r) => `- ${r.from} → ${r.to.slice(r.to.lastIndexOf('/') + 1)}`).join('\n');
  return {
    version: PLAN_VERSION,
    kind: 'doctor',
    createdAt: now,
    message: `tracks: doctor: renumber ${renames.length === 1 ? renames[0]!.track.slug : `${renames.length} tracks`} (duplicate track number${renames.length === 1 ? '' : 's'})\n\n${list}\n`,
    changes,
    renames: renames.map(({ from, to }) => ({ from, to })),
  };
}
