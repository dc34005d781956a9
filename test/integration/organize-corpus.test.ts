/**
 * The offline organizer on the real corpora, end to end through the CLI:
 * the 2026-01-15 snapshot organized from scratch, then the later snapshot
 * brought in and organized incrementally on top. (pcc-head from scratch is
 * covered in-process by test/unit/local-quality.test.ts.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, corpusRepo, CORPUS_HEAD, git, removeRepo } from '../helpers/repo.js';
import { loadRepo } from '../../src/repo/load.js';
import { setFrontMatterKey } from '../../src/parse/edit.js';
import { organizable } from '../../src/organize/scope.js';
import { countsAgainstLimit } from '../../src/validate/rules.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeRepo));

async function topLevelAndUnassigned(d: string) {
  const repo = await loadRepo(d);
  const known = new Set(repo.tracks.map((t) => t.slug));
  return {
    repo,
    top: repo.tracks.filter(countsAgainstLimit).length,
    unassigned: organizable(repo).filter((w) => !w.tracks.some((s) => known.has(s))).map((w) => w.id),
  };
}

describe('offline organizer on the real corpora', () => {
  it('organizes the old snapshot, then assigns only what the new snapshot adds, leaving existing tracks untouched', async () => {
    const d = corpusRepo('old');
    dirs.push(d);
    expect((await cli(d, ['organize', '--yes'])).code).toBe(0);
    const before = await topLevelAndUnassigned(d);
    expect(before.unassigned).toEqual([]);
    // Headroom: organize left a lane free, so a person can still add a top-level track.
    expect(before.top).toBeLessThanOrEqual(7);
    expect((await cli(d, ['create', '--name', 'Made by hand', '--type', 'FEAT', '--no-commit'])).code).toBe(0);
    git(d, 'checkout', '-q', '--', '.');
    git(d, 'clean', '-qfd', 'tracks');
    const trackFiles = new Map(before.repo.tracks.map((t) => [t.path, t.hash]));

    // The project months later: the head version of every file; work orders that
    // existed already keep the track they were given.
    const given = new Map(before.repo.workOrders.filter((w) => w.id).map((w) => [w.id!, w.tracks[0]]));
    for (const f of readdirSync(join(d, 'work_orders'))) rmSync(join(d, 'work_orders', f));
    const newIds: string[] = [];
    for (const f of readdirSync(CORPUS_HEAD)) {
      let text = readFileSync(join(CORPUS_HEAD, f), 'utf8');
      const id = /^id: (\S+)/m.exec(text)?.[1];
      const track = id ? given.get(id) : undefined;
      if (track) text = setFrontMatterKey(text, 'track', track, f);
      else if (id) newIds.push(id);
      writeFileSync(join(d, 'work_orders', f), text);
    }
    git(d, 'add', '-A');
    git(d, 'commit', '-qm', 'the backlog months later');

    const mid = await topLevelAndUnassigned(d);
    expect(mid.unassigned.length).toBeGreaterThan(90);
    expect(mid.unassigned).toEqual(expect.arrayContaining(newIds.filter((id) => id !== 'WO-2026-252')));
    const status = await cli(d, ['status']);
    expect(status.stdout).toMatch(/Organize is due: \d+ work orders have no track \(threshold 10\)\. Run `tracks organize` \(incremental mode\)\./);
    const r = await cli(d, ['organize', '--yes']);
    expect(r.stderr).toContain('Mode: incremental (');
    expect(r.code).toBe(0);

    const after = await topLevelAndUnassigned(d);
    expect(after.unassigned).toEqual([]);
    expect(after.top).toBeLessThanOrEqual(8);
    expect(organizable(after.repo)).toHaveLength(204);
    const check = JSON.parse((await cli(d, ['check', '--format', 'json'])).stdout);
    // Only the problem the corpus brought: one file the yaml package rejects.
    expect(check.problems.filter((p: { severity: string }) => p.severity === 'error').map((p: { code: string }) => p.code)).toEqual(['yaml/syntax']);
    // Existing track files are byte-identical; the commit only adds track files and edits work orders.
    for (const [path, hash] of trackFiles) expect(after.repo.tracks.find((t) => t.path === path)?.hash).toBe(hash);
    const changed = git(d, 'diff', '--name-status', 'HEAD~1', 'HEAD').trim().split('\n').map((l) => l.split('\t'));
    expect(changed.filter(([s, p]) => p!.startsWith('tracks/') && s !== 'A')).toEqual([]);
    // Only work orders that had no track were touched, and each only on its `track` line.
    const touched = changed.filter(([, p]) => p!.startsWith('work_orders/')).map(([, p]) => after.repo.workOrders.find((w) => w.path === p)!.id!);
    expect(touched.sort()).toEqual([...mid.unassigned].sort());
    const diff = git(d, 'diff', '-U0', 'HEAD~1', 'HEAD', '--', 'work_orders');
    const edits = diff.split('\n').filter((l) => /^[+-](?![+-])/.test(l));
    expect(edits.every((l) => /^[+-]track: /.test(l))).toBe(true);
  });
});
