/**
 * The facts `merge-plan` orders by: every track branch (a live claim's
 * branch, or a track's `branch:`), its tracks' status and progress as the
 * branch itself records them, how far it is ahead of and behind the base, and
 * the conflicts `git merge-tree --write-tree` predicts with the base and with
 * every other track branch. Nothing is checked out.
 */
import type { Ctx } from '../cli/ctx.js';
import type { Track, WorkOrder } from '../model/types.js';
import { openRepo } from '../cli/repo.js';
import { gitRepo } from '../cli/change.js';
import { TracksError } from '../errors/index.js';
import { isDone } from '../core/status.js';
import { aheadBehind, predictMerge } from '../git/branch.js';
import { claimEvents, liveClaimsAcross } from '../parallel/claims.js';
import { namesHere } from '../parallel/renamed.js';
import type { BranchFacts, MergePlanInput, PairConflict } from '../parallel/merge-plan.js';
import { readAcross, type TreeSource } from './across.js';
import { baseBranch } from './base.js';

/** Runs `fn` over `items`, at most `limit` at a time (the machine's cores are shared). */
async function pool<T, R>(items: T[], limit: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

export async function gatherMergePlan(ctx: Ctx, baseName: string | undefined): Promise<MergePlanInput> {
  const g = gitRepo(ctx);
  if (!g) throw new TracksError('NOT_A_GIT_REPO', `${ctx.root()} is not in a git repository: merge-plan compares branches`, { hint: 'Run `git init` first.' });
  const repo = await openRepo(ctx);
  const across = await readAcross(g, repo, { tracks: 'parsed', workOrders: true });
  const base = await baseBranch(g.top, repo.config, baseName, across.branch);
  const tips = new Map(across.branches.map((b) => [b.name, b]));
  const isBranch = (s: TreeSource, name: string) => s.kind === 'branch' && s.name === name;

  // Which branch each track's work is on: its live claims', else its `branch:` key.
  // By the slug each track has here: a branch made before a rename still has the old name (see renamed.ts).
  const names = namesHere(repo.tracks);
  const versions = new Map<string, { source: TreeSource; track: Track }[]>();
  for (const s of across.tracks) {
    const slug = names.track(s.track);
    versions.set(slug, [...(versions.get(slug) ?? []), s]);
  }
  const onBranch = new Map<string, Set<string>>();
  for (const [slug, vs] of versions) {
    const claimed = liveClaimsAcross(vs.map((v) => claimEvents(v.track))).flatMap((c) => (c.branch ? [c.branch] : []));
    const here = vs.find((v) => v.source.kind === 'here') ?? vs[0]!;
    const named = typeof here.track.data.branch === 'string' && here.track.data.branch.trim() ? [here.track.data.branch.trim()] : [];
    for (const b of new Set([...claimed, ...named])) {
      if (b === base.name) continue;
      onBranch.set(b, new Set([...(onBranch.get(b) ?? []), slug]));
    }
  }
  const branchNames = [...onBranch.keys()].filter((b) => tips.has(b)).sort();
  const missing = [...onBranch].filter(([b]) => !tips.has(b)).map(([branch, slugs]) => ({ branch, tracks: [...slugs].sort() }));

  // Work orders as each branch has them (progress there), and as this work tree has them.
  const wosOf = (pick: (s: TreeSource) => boolean): WorkOrder[] => across.workOrders.filter((w) => pick(w.source)).map((w) => w.workOrder);
  const hereWos = wosOf((s) => s.kind === 'here');
  const slugOfId = new Map<string, Set<string>>();
  for (const w of across.workOrders) {
    if (!w.workOrder.id) continue;
    for (const s of w.workOrder.tracks) slugOfId.set(w.workOrder.id, new Set([...(slugOfId.get(w.workOrder.id) ?? []), names.slug(s)]));
  }
  const branchOfSlug = new Map<string, string[]>();
  for (const b of branchNames) for (const s of onBranch.get(b)!) branchOfSlug.set(s, [...(branchOfSlug.get(s) ?? []), b]);

  const [counts, baseConflicts] = await Promise.all([
    pool(branchNames, 2, (b) => aheadBehind(g.top, base.commit, tips.get(b)!.commit)),
    pool(branchNames, 2, (b) => predictMerge(g.top, base.commit, tips.get(b)!.commit)),
  ]);
  const pairsToTry: [string, string][] = [];
  for (let i = 0; i < branchNames.length; i++) for (let j = i + 1; j < branchNames.length; j++) pairsToTry.push([branchNames[i]!, branchNames[j]!]);
  const predicted = await pool(pairsToTry, 2, ([a, b]) => predictMerge(g.top, tips.get(a)!.commit, tips.get(b)!.commit));
  const pairs: PairConflict[] = [];
  pairsToTry.forEach(([a, b], i) => {
    const p = predicted[i]!;
    if (!p.clean) pairs.push({ a, b, paths: p.paths });
  });

  const branches: BranchFacts[] = branchNames.map((b, i) => {
    const slugs = [...onBranch.get(b)!].sort();
    const branchWos = wosOf((s) => isBranch(s, b));
    const wos = branchWos.length ? branchWos : hereWos;
    const tracks = slugs.map((slug) => {
      const vs = versions.get(slug)!;
      const v = vs.find((x) => isBranch(x.source, b)) ?? vs.find((x) => x.source.kind === 'here') ?? vs[0]!;
      const mine = wos.filter((w) => w.tracks.some((s) => names.slug(s) === slug));
      return { slug, status: v.track.status ?? null, done: mine.filter((w) => isDone(w, repo.config)).length, total: mine.length };
    });
    const dependsOn = new Set<string>();
    for (const w of wos) {
      if (!w.tracks.some((s) => slugs.includes(names.slug(s)))) continue;
      for (const id of w.dependsOn) for (const s of slugOfId.get(id) ?? []) for (const other of branchOfSlug.get(s) ?? []) if (other !== b) dependsOn.add(other);
    }
    const bc = baseConflicts[i]!;
    return { branch: b, commit: tips.get(b)!.commit, tracks, ahead: counts[i]!.ahead, behind: counts[i]!.behind, baseConflicts: bc.clean ? [] : bc.paths, dependsOn: [...dependsOn].sort() };
  });
  return { base, branches, pairs, missing };
}
