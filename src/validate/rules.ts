/** Cross-file rules over the whole repository. Pure. */
import type { Config, Diagnostic, Track, WorkOrder } from '../model/types.js';
import { RETIRED_STATUSES } from '../model/types.js';
import { posOf } from '../parse/document.js';
import { didYouMean } from '../core/did-you-mean.js';
import { isDone, isRetired } from '../core/status.js';
import { dependencyResolver, type Resolve } from '../core/deps.js';
import { formatOf } from '../config/fields.js';
import { isClaimed } from '../parallel/claims.js';
import { parallelDiagnostics } from '../parallel/rules.js';

export interface RuleOptions {
  /** Make "work order without a track" an error (CI). */
  requireTrack?: boolean;
}

function at(doc: WorkOrder | Track, pointer: string, severity: Diagnostic['severity'], code: string, message: string, hint?: string): Diagnostic {
  const p = posOf(doc, pointer);
  return { file: doc.path, line: p.line, col: p.col, severity, code, message, ...(hint ? { hint } : {}) };
}

export function isTopLevel(t: Track): boolean {
  return !t.parent;
}

export function countsAgainstLimit(t: Track): boolean {
  return isTopLevel(t) && !RETIRED_STATUSES.includes(t.status as never);
}

export function crossFileDiagnostics(workOrders: WorkOrder[], tracks: Track[], config: Config, opts: RuleOptions = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  const bySlug = new Map<string, Track[]>();
  const byNumber = new Map<number, Track[]>();
  for (const t of tracks) {
    bySlug.set(t.slug, [...(bySlug.get(t.slug) ?? []), t]);
    if (t.number !== undefined) byNumber.set(t.number, [...(byNumber.get(t.number) ?? []), t]);
  }
  const maxNumber = Math.max(0, ...tracks.map((t) => t.number ?? 0));
  for (const [num, list] of byNumber) {
    if (list.length < 2) continue;
    list.slice(1).forEach((t, i) => {
      const free = String(maxNumber + 1 + i).padStart(4, '0');
      out.push({
        file: t.path,
        line: 1,
        col: 1,
        severity: 'error',
        code: 'track/duplicate-number',
        message: `track number ${String(num).padStart(4, '0')} is also used by ${list[0]!.path}`,
        hint: `Two branches probably added tracks at once; rename this file to number ${free}.`,
      });
    });
  }
  for (const [slug, list] of bySlug) {
    if (list.length < 2) continue;
    for (const t of list.slice(1)) {
      out.push({ file: t.path, line: 1, col: 1, severity: 'error', code: 'track/duplicate-slug', message: `track slug "${slug}" is also used by ${list[0]!.path}`, hint: 'Slugs name tracks in work orders; rename one of the files.' });
    }
  }

  // Parents: exist, and form no cycle.
  const first = (slug: string) => bySlug.get(slug)?.[0];
  for (const t of tracks) {
    if (!t.parent) continue;
    if (t.parent === t.slug) {
      out.push(at(t, '/parent', 'error', 'track/parent-cycle', 'track is its own parent'));
      continue;
    }
    const parent = first(t.parent);
    if (!parent) {
      out.push(at(t, '/parent', 'error', 'track/unknown-parent', `parent "${t.parent}" is not a track`, hintFor(t.parent, [...bySlug.keys()])));
    }
  }
  const reported = new Set<string>();
  for (const t of tracks) {
    const seen = new Set<string>([t.slug]);
    let cur = t.parent ? first(t.parent) : undefined;
    while (cur) {
      if (seen.has(cur.slug)) {
        if (cur.slug === t.slug && !reported.has(t.slug) && t.parent !== t.slug) {
          const chain = [...seen].join(' → ');
          for (const s of seen) reported.add(s);
          out.push(at(t, '/parent', 'error', 'track/parent-cycle', `parent chain loops: ${chain} → ${t.slug}`, 'Make one of these a top-level track (remove its parent).'));
        }
        break;
      }
      seen.add(cur.slug);
      cur = cur.parent ? first(cur.parent) : undefined;
    }
  }

  // Retired tracks are closed: no open work inside, no live sub-tracks under them.
  // The losers of a decided experiment keep their work as the record of what was tried.
  const decided = (t: Track) => {
    const d = t.data.decision as { experiment?: unknown; winner?: unknown } | undefined;
    return Boolean(d && typeof d === 'object' && typeof d.experiment === 'string' && typeof d.winner === 'string');
  };
  const openIn = new Map<string, number>();
  for (const w of workOrders) {
    if (!w.ok || isDone(w, config)) continue;
    for (const s of new Set(w.tracks)) openIn.set(s, (openIn.get(s) ?? 0) + 1);
  }
  for (const t of tracks) {
    if (!isRetired(t)) {
      const parent = t.parent ? first(t.parent) : undefined;
      if (parent && isRetired(parent)) {
        out.push(at(t, '/parent', 'error', 'track/retired-parent', `parent "${parent.slug}" is ${parent.status}, but this sub-track is ${t.status ?? 'live'}`, `Retire this sub-track too (\`tracks cancel ${t.slug}\` or \`tracks archive ${t.slug}\`), or move it under a live track.`));
      }
      continue;
    }
    const open = openIn.get(t.slug) ?? 0;
    if (open && !decided(t)) {
      out.push(at(t, '/status', 'error', 'track/retired-with-open-work', `track is ${t.status} but still holds ${open} open work order${open === 1 ? '' : 's'}`, `Move them to a live track (\`tracks list --track ${t.slug} --status …\`, then \`tracks assign\`), or finish them first.`));
    }
  }
  const hasChildren = new Set(tracks.filter((t) => t.parent).map((t) => t.parent!));
  const hasWork = new Set<string>();
  for (const w of workOrders) for (const s of w.tracks) hasWork.add(s);
  for (const t of tracks) {
    if (isRetired(t) || hasWork.has(t.slug) || hasChildren.has(t.slug) || !t.ok || (t.status !== 'active' && t.status !== 'paused' && t.status !== 'ready' && t.status !== 'draft')) continue;
    out.push({ file: t.path, line: 1, col: 1, severity: 'warning', code: 'track/empty', message: 'track has no work orders and no sub-tracks', hint: `Assign work to it (\`tracks assign <id> --track ${t.slug}\`), or cancel it if it is not needed.` });
  }

  // Top-level limit.
  const top = tracks.filter(countsAgainstLimit).sort((a, b) => (a.number ?? 0) - (b.number ?? 0));
  if (top.length > config.topLevelLimit) {
    for (const t of top.slice(config.topLevelLimit)) {
      out.push({
        file: t.path,
        line: 1,
        col: 1,
        severity: 'error',
        code: 'track/top-level-limit',
        message: `${top.length} top-level tracks exceed the limit of ${config.topLevelLimit}`,
        hint: 'Give this track a parent (make it a sub-track), merge it, or archive it (`tracks archive`).',
      });
    }
  }

  if (config.singleActiveTrack) {
    // With claims.parallel, each claimed track is its own worker's one active track.
    const active = tracks.filter((t) => t.status === 'active' && !(config.claims?.parallel && isClaimed(t)));
    if (active.length > 1) {
      for (const t of active.slice(1)) {
        out.push(at(t, '/status', 'error', 'track/multiple-active', `more than one active track (${active.map((a) => a.slug).join(', ')}) but the config allows one`, 'Pause all but one, or use `tracks switch <track>`.'));
      }
    }
  }

  out.push(...parallelDiagnostics(tracks, config));

  // Work orders.
  const format = formatOf(config);
  const f = format.fields;
  const key = (name: string) => `/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  const byId = new Map<string, WorkOrder[]>();
  for (const w of workOrders) {
    if (!w.id) continue;
    const had = byId.get(w.id);
    if (had) had.push(w);
    else byId.set(w.id, [w]);
  }
  for (const [id, list] of byId) {
    if (list.length < 2) continue;
    // Ids of archived work orders may be given out again (Backlog.md does): the live one keeps the id.
    const live = list.filter((w) => !format.archived(w.path));
    const owner = live[0] ?? list[0]!;
    for (const w of list) {
      if (w === owner) continue;
      if (format.archived(w.path) && live.length <= 1) {
        out.push(at(w, key(f.id), 'warning', 'wo/duplicate-id', `work-order id ${id} is also used by ${owner.path}; this archived one is not what references to ${id} mean`, 'The id was given out again after this work order was archived; rename one of them if both should be referred to.'));
      } else {
        out.push(at(w, key(f.id), 'error', 'wo/duplicate-id', `work-order id ${id} is also used by ${owner.path}`, 'Give this work order a new id.'));
      }
    }
  }
  const resolve = dependencyResolver(workOrders, config);
  // `task-208` for BACK-208: an id in another case or with another prefix, which id_matching would find.
  let loose: Map<string, string> | undefined;
  const looseKey = (id: string) => id.toLowerCase().replace(/^[a-z][a-z0-9_]*-(?=\d)/, '');
  const looseHint = (ref: string) => {
    if (!loose) {
      loose = new Map();
      for (const id of byId.keys()) if (!loose.has(looseKey(id))) loose.set(looseKey(id), id);
    }
    const id = loose.get(looseKey(ref));
    return id === undefined ? undefined : `Did you mean ${id}? To match ids in any case and across prefixes, set id_matching in tracks.config.yaml (e.g. { ignore_case: true, prefixes: [${[...new Set([ref, id].map((x) => /^([a-z][a-z0-9_]*)-/i.exec(x)?.[1]?.toLowerCase()).filter(Boolean))].join(', ')}] }).`;
  };
  const slugs = [...bySlug.keys()];
  const requireTrack = opts.requireTrack ?? config.requireTrack;
  for (const w of workOrders) {
    if (!w.ok) continue;
    const raw = w.data[f.track];
    const list = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
    for (let i = 0; i < list.length; i++) {
      const s: unknown = list[i];
      if (typeof s !== 'string' || bySlug.has(s)) continue;
      const ptr = Array.isArray(raw) ? `${key(f.track)}/${i}` : key(f.track);
      out.push(at(w, ptr, 'error', 'wo/unknown-track', `${f.track} "${s}" does not exist`, hintFor(s, slugs) ?? 'Create it with `tracks create`, or assign another track with `tracks assign`.'));
    }
    if (list.length === 0) {
      out.push(
        at(w, '', requireTrack ? 'error' : 'warning', 'wo/unassigned', 'work order has no track', 'Assign one with `tracks assign <id> --track <slug>`, or run `tracks organize`.'),
      );
    }
    const deps = w.data[f.depends_on];
    if (Array.isArray(deps)) {
      for (let i = 0; i < deps.length; i++) {
        const dep: unknown = deps[i];
        if (typeof dep === 'string' && !resolve(dep)) {
          out.push(at(w, `${key(f.depends_on)}/${i}`, 'warning', 'wo/unknown-dependency', `${f.depends_on} names ${dep}, which is not a work order here`, looseHint(dep) ?? 'Fix the id, or remove the dependency if that work order was deleted.'));
        }
      }
    }
    if (w.parent !== undefined && !resolve(w.parent)) {
      out.push(at(w, key(f.parent), 'warning', 'wo/unknown-parent', `${f.parent} names ${w.parent}, which is not a work order here`, looseHint(w.parent) ?? 'Fix the id, or remove the key if the parent was deleted.'));
    }
  }
  out.push(...dependencyCycles(workOrders, byId, resolve, f.depends_on));
  return out;
}

/**
 * Tarjan's strongly connected components over depends_on; one warning per
 * cycle. Ids are numbered in sorted order and the graph is held in typed
 * arrays: this runs over every work order on every first check.
 */
function dependencyCycles(workOrders: WorkOrder[], byId: Map<string, WorkOrder[]>, resolve: Resolve, depsKey: string): Diagnostic[] {
  const depsPtr = `/${depsKey.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  const out: Diagnostic[] = [];
  const ids = [...byId.keys()].sort();
  const n = ids.length;
  const num = new Map<string, number>();
  for (let i = 0; i < n; i++) num.set(ids[i]!, i);
  // Edges go between resolved ids, in the order they are written: CSR (first[v] .. first[v + 1]).
  const first = new Int32Array(n + 1);
  const to: number[] = [];
  const owner = (i: number) => resolve(ids[i]!) ?? byId.get(ids[i]!)![0]!;
  for (let v = 0; v < n; v++) {
    first[v] = to.length;
    for (const d of owner(v).dependsOn) {
      const target = resolve(d)?.id;
      const t = target === undefined ? undefined : num.get(target);
      if (t !== undefined) to.push(t);
    }
  }
  first[n] = to.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  // the DFS's own stack (iterative, to survive long chains): vertex and next edge
  const workV = new Int32Array(n);
  const workE = new Int32Array(n);
  let counter = 0;
  const report = (comp: number[]) => {
    const names = comp.map((c) => ids[c]!).sort();
    const head = names[0]!;
    const wo = owner(num.get(head)!);
    // the first dependency of the cycle's first id that is written toward the cycle
    const inCycle = new Set(names);
    const i = wo.dependsOn.findIndex((d) => {
      const target = resolve(d)?.id;
      return target !== undefined && inCycle.has(target);
    });
    out.push(at(wo, `${depsPtr}/${Math.max(i, 0)}`, 'warning', 'wo/dependency-cycle', `${depsKey} forms a cycle: ${names.join(' → ')} → ${head}`, 'Remove one of these dependencies; nothing in a cycle can ever start.'));
  };
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    let depth = 0;
    workV[0] = root;
    workE[0] = first[root]!;
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (depth >= 0) {
      const v = workV[depth]!;
      const e = workE[depth]!;
      if (e < first[v + 1]!) {
        workE[depth] = e + 1;
        const w = to[e]!;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          depth++;
          workV[depth] = w;
          workE[depth] = first[w]!;
        } else if (onStack[w]) low[v] = Math.min(low[v]!, index[w]!);
        continue;
      }
      depth--;
      if (depth >= 0) {
        const parent = workV[depth]!;
        low[parent] = Math.min(low[parent]!, low[v]!);
      }
      if (low[v] === index[v]) {
        const comp: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          comp.push(w);
        } while (w !== v);
        if (comp.length > 1 || to.slice(first[v], first[v + 1]).includes(v)) report(comp);
      }
    }
  }
  return out;
}

/** "did you mean" for a slug. */
export function hintFor(slug: string, known: string[]): string | undefined {
  return didYouMean(slug, known) ?? (known.length ? undefined : 'There are no tracks yet; create one with `tracks create` or run `tracks organize`.');
}
