/**
 * Organize leaves alone what the lifecycle just decided: a reorg right after
 * `tracks switch <track>` and right after `tracks experiment pick … --force`
 * (offline organizer, a copy of the real pcc-head corpus) leaves those tracks'
 * files byte-identical.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, git, tempRepos } from '../helpers/repo.js';

const { corpus } = tempRepos();

type TrackRow = { slug: string; status: string; depth: number; parent: string | null; path: string };
type Row = { id: string; status: string; track: string | null };

/** The files the last commit changed. */
const committed = (d: string) => git(d, 'show', '--name-only', '--format=', 'HEAD').trim().split('\n');

async function ok(d: string, args: string[]) {
  const r = await cli(d, args);
  expect(r.code, `tracks ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
}

describe('reorg after lifecycle decisions', () => {
  it('after switch and experiment pick --force, a reorg leaves those tracks’ files byte-identical', async () => {
    const d = corpus('head');
    await ok(d, ['organize', '--yes']);
    const list = async (): Promise<TrackRow[]> => JSON.parse((await cli(d, ['list', '--tracks', '--format', 'json'])).stdout).tracks;

    // switch to an active sub-track: it starts, every other active track pauses, in one commit.
    const before = await list();
    const target = before.find((t) => t.depth === 1 && t.status === 'active')!;
    const top = before.find((t) => t.depth === 0 && t.status === 'active')!;
    expect(target).toBeDefined();
    await ok(d, ['pause', target.slug, '--reason', 'someone else first']);
    await ok(d, ['switch', target.slug]);
    const switched = committed(d);
    expect(switched).toContain(target.path);
    expect(switched.length).toBeGreaterThan(1);

    // An experiment under a live top-level track, with open work in both arms; the winner's is not done.
    await ok(d, ['create', '--name', 'Cache A', '--type', 'EXP', '--parent', top.slug, '--experiment', 'cache', '--hypothesis', 'A is faster', '--status', 'active']);
    await ok(d, ['create', '--name', 'Cache B', '--type', 'EXP', '--parent', top.slug, '--experiment', 'cache', '--hypothesis', 'B is faster', '--status', 'active']);
    const open = (JSON.parse((await cli(d, ['list', '--status', 'ready,backlog,you_review', '--format', 'json'])).stdout).workOrders as Row[]).filter((w) => w.track);
    await ok(d, ['assign', open[0]!.id, open[1]!.id, '--track', 'cache-a']);
    await ok(d, ['assign', open[2]!.id, '--track', 'cache-b']);
    const refused = await cli(d, ['experiment', 'pick', 'cache', 'cache-a', '--reason', 'A wins']);
    expect(refused.stderr).toContain('[NEEDS_FORCE]');
    await ok(d, ['experiment', 'pick', 'cache', 'cache-a', '--reason', 'A wins', '--force']);
    const picked = committed(d);
    expect(picked.map((p) => p.replace(/\d{4}/, 'NNNN')).sort()).toEqual(['tracks/NNNN_EXP_cache-a.md', 'tracks/NNNN_EXP_cache-b.md']);

    const kept = [...new Set([...switched.filter((p) => p.startsWith('tracks/')), ...picked])];
    const bytes = new Map(kept.map((p) => [p, readFileSync(join(d, p))]));

    // The plan touches none of them, and names none of their slugs as changed, merged or retired.
    const plan = JSON.parse((await ok(d, ['organize', '--mode', 'reorg', '--dry-run', '--format', 'json'])).stdout);
    const paths = (plan.changes as { path: string }[]).map((c) => c.path);
    expect(paths.filter((p) => bytes.has(p))).toEqual([]);
    const slugs = new Set([...(await list())].filter((t) => bytes.has(t.path)).map((t) => t.slug));
    const touched = (plan.items as { kind: string; slug?: string; from?: string[]; into?: string }[]).filter(
      (i) => (i.slug && slugs.has(i.slug) && i.kind !== 'moves') || i.from?.some((s) => slugs.has(s)),
    );
    expect(touched).toEqual([]);

    await ok(d, ['organize', '--mode', 'reorg', '--yes']);
    for (const [p, b] of bytes) expect(readFileSync(join(d, p)).equals(b), `${p} changed`).toBe(true);
    // The experiment's decision still stands, and check finds nothing new about these tracks.
    const check = JSON.parse((await cli(d, ['check', '--format', 'json'])).stdout);
    expect((check.problems as { file: string; severity: string }[]).filter((x) => bytes.has(x.file) && x.severity === 'error')).toEqual([]);
  });
});
