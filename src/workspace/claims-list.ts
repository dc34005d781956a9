/** `tracks claims`: every live claim in every branch and work tree, with its branch's state against the base. */
import type { ChalkInstance } from 'chalk';
import type { Ctx } from '../cli/ctx.js';
import { openRepo } from '../cli/repo.js';
import { gitRepo } from '../cli/change.js';
import { TracksError } from '../errors/index.js';
import { aheadBehind } from '../git/branch.js';
import { claimEvents, claimsOf, liveClaimsAcross } from '../parallel/claims.js';
import { namesHere } from '../parallel/renamed.js';
import { readAcross, describeSource, type Across, type SeenTrack } from './across.js';
import { baseBranch } from './base.js';
import { sanitizeLine } from '../parallel/text.js';

export interface ClaimRow {
  track: string;
  status: string | null;
  claimed_by: string;
  claimed_at: string | null;
  branch: string | null;
  /** Where the claim is recorded: "this work tree", "branch main", … */
  seen_in: string[];
  branch_exists: boolean;
  ahead: number | null;
  behind: number | null;
  /** Every commit of the branch is in the base, and it has commits beyond the claim. */
  merged: boolean | null;
}

export interface ClaimsData {
  version: 1;
  base: string;
  claims: ClaimRow[];
}

/** Versions of each track across the trees, by the slug it has here (a version under a name it was renamed from counts as it). */
export function bySlug(across: Pick<Across, 'tracks'>): Map<string, SeenTrack[]> {
  const names = namesHere(across.tracks.filter((s) => s.source.kind === 'here').map((s) => s.track));
  const out = new Map<string, SeenTrack[]>();
  for (const s of across.tracks) {
    const slug = names.track(s.track);
    out.set(slug, [...(out.get(slug) ?? []), s]);
  }
  return out;
}

export async function listClaims(ctx: Ctx, baseName: string | undefined): Promise<ClaimsData> {
  const g = gitRepo(ctx);
  if (!g) throw new TracksError('NOT_A_GIT_REPO', `${ctx.root()} is not in a git repository: claims live on branches`, { hint: 'Run `git init` first.' });
  const repo = await openRepo(ctx);
  const across = await readAcross(g, repo, { tracks: 'parsed' });
  const base = await baseBranch(g.top, repo.config, baseName, across.branch);
  const tips = new Map(across.branches.map((b) => [b.name, b]));
  const rows: ClaimRow[] = [];
  for (const [slug, versions] of [...bySlug(across)].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    for (const c of liveClaimsAcross(versions.map((v) => claimEvents(v.track)))) {
      const tip = c.branch ? tips.get(c.branch) : undefined;
      const onBranch = versions.find((v) => v.source.kind === 'branch' && v.source.name === c.branch);
      const status = (onBranch ?? versions.find((v) => v.source.kind === 'here') ?? versions[0]!).track.status ?? null;
      let ahead: number | null = null;
      let behind: number | null = null;
      let merged: boolean | null = null;
      if (tip) {
        ({ ahead, behind } = await aheadBehind(g.top, base.commit, tip.commit));
        // the claim's own commit (under the name the track had then, on a branch made before a rename)
        merged = ahead === 0 && !tip.subject.startsWith(`tracks: claim ${slug} `) && !(onBranch && tip.subject.startsWith(`tracks: claim ${onBranch.track.slug} `));
      }
      rows.push({
        track: slug,
        status,
        claimed_by: c.by,
        claimed_at: c.at || null,
        branch: c.branch ?? null,
        seen_in: versions.filter((v) => claimsOf(v.track).some((x) => x.by === c.by)).map((v) => describeSource(v.source, ctx.cwd())),
        branch_exists: Boolean(tip),
        ahead,
        behind,
        merged,
      });
    }
  }
  return { version: 1, base: base.name, claims: rows };
}

export function renderClaims(d: ClaimsData, c: ChalkInstance): string {
  if (!d.claims.length) return 'No live claims in any branch or work tree. Claim a track with `tracks claim <track>`.\n';
  const head = ['TRACK', 'STATUS', 'CLAIMED BY', 'SINCE', 'BRANCH', `VS ${d.base}`];
  const rows = d.claims.map((r) => [
    r.track,
    r.status ?? '?',
    r.claimed_by,
    r.claimed_at ?? '?',
    r.branch ?? '–',
    !r.branch ? '–' : !r.branch_exists ? 'branch not here' : r.merged ? 'merged' : r.ahead === 0 ? `no commits yet, ${r.behind} behind` : `${r.ahead} ahead, ${r.behind} behind`,
  ].map((x) => sanitizeLine(x)));
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((x, i) => (i === cells.length - 1 ? x : x.padEnd(widths[i]!))).join('  ');
  const doubled = new Set(d.claims.filter((r, i) => d.claims.findIndex((x) => x.track === r.track) !== i).map((r) => r.track));
  const out = [c.bold(line(head)), ...rows.map(line)];
  if (doubled.size) out.push('', c.yellow(`claimed twice: ${[...doubled].join(', ')} — \`tracks doctor\` says how to settle it`));
  return out.join('\n') + '\n';
}
