/**
 * Two agents on one machine, in two work trees of one repository, claim the
 * same track at the same instant with the built CLI: exactly one wins, the
 * other is refused naming the winner, and the repository stays consistent.
 * The repository lock lives in the git common directory all work trees share.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PROJECT, cli, git, read, removeRepo, tempRepo, track, wo } from '../helpers/repo.js';

const START = join(PROJECT, 'test', 'helpers', 'start-at.mjs');
const ROUNDS = Number(process.env.TRACKS_RACE_ROUNDS ?? 20);
const dirs: string[] = [];
afterAll(() => dirs.forEach(removeRepo));

function tracksAt(cwd: string, at: number, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [START, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', TRACKS_START_AT: String(at) } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** One repository with a main work tree and two linked ones (one per agent), and a track per round. */
function setup(tracks: number) {
  const files: Record<string, string> = { 'tracks.config.yaml': 'top_level_limit: 64\n' };
  for (let i = 1; i <= tracks; i++) {
    const n = String(i).padStart(4, '0');
    files[`tracks/${n}_FEAT_t${i}.md`] = track(`T${i}`, { status: 'ready' });
    files[`work_orders/WO-${i}.md`] = wo(`WO-${i}`, { track: `t${i}` });
  }
  const dir = realpathSync(tempRepo(files));
  const w1 = `${dir}-agent-1`;
  const w2 = `${dir}-agent-2`;
  dirs.push(dir, w1, w2);
  git(dir, 'worktree', 'add', '-q', '-b', 'agent-1', w1);
  git(dir, 'worktree', 'add', '-q', '-b', 'agent-2', w2);
  return { dir, w1, w2 };
}

describe('two claims at the same instant', () => {
  it(`of the same track from two work trees: exactly one wins, ${ROUNDS} rounds`, async () => {
    const winners: string[] = [];
    const { dir, w1, w2 } = setup(ROUNDS);
    for (let round = 1; round <= ROUNDS; round++) {
      const slug = `t${round}`;
      const file = `tracks/${String(round).padStart(4, '0')}_FEAT_${slug}.md`;
      const at = Date.now() + 300;
      const [a, b] = await Promise.all([tracksAt(w1, at, ['claim', slug, '--as', 'agent-1']), tracksAt(w2, at, ['claim', slug, '--as', 'agent-2'])]);
      const results = [
        { name: 'agent-1', dir: w1, r: a },
        { name: 'agent-2', dir: w2, r: b },
      ];
      const won = results.filter((x) => x.r.code === 0);
      const lost = results.filter((x) => x.r.code !== 0);
      expect(won, `round ${round}: ${JSON.stringify(results.map((x) => x.r))}`).toHaveLength(1);
      const winner = won[0]!;
      const loser = lost[0]!;
      winners.push(winner.name);
      expect(loser.r.code).toBe(1);
      expect(loser.r.stderr).toContain('[CLAIMED]');
      expect(loser.r.stderr).toContain(`claimed by ${winner.name} since `);
      expect(loser.r.stderr).toContain(`on branch tracks/${slug}`);
      expect(loser.r.stderr).toContain('No files changed.');
      // The winner's work tree holds the claim; the loser's is untouched; one track branch, at the claim.
      expect((parse(read(winner.dir, file).split('---')[1]!) as Record<string, unknown>).claimed_by).toBe(winner.name);
      expect(read(loser.dir, file)).not.toContain('claimed_by');
      expect(git(loser.dir, 'status', '--porcelain').trim()).toBe('');
      expect(git(dir, 'rev-parse', `tracks/${slug}`).trim()).toBe(git(winner.dir, 'rev-parse', 'HEAD').trim());
      // What the repository says afterwards is checked in-process (the race itself is between real processes).
      const claims = JSON.parse((await cli(dir, ['claims', '--format', 'json'])).stdout).claims as { track: string; claimed_by: string }[];
      expect(claims.filter((c) => c.track === slug).map((c) => c.claimed_by)).toEqual([winner.name]);
      expect(claims).toHaveLength(round);
      for (const d of [winner.dir, loser.dir]) expect((await cli(d, ['check'])).code).toBe(0);
    }
    // Not a fixed order: both sides won some rounds, or the race was not a race.
    console.log(`winners over ${ROUNDS} rounds: agent-1 ${winners.filter((w) => w === 'agent-1').length}, agent-2 ${winners.filter((w) => w === 'agent-2').length}`);
  }, 180_000);

  it('of two different tracks: both win, one after the other under the lock', async () => {
    const { dir, w1, w2 } = setup(2);
    const at = Date.now() + 300;
    const [a, b] = await Promise.all([tracksAt(w1, at, ['claim', 't1', '--as', 'agent-1']), tracksAt(w2, at, ['claim', 't2', '--as', 'agent-2'])]);
    expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0]);
    expect(git(dir, 'for-each-ref', '--format=%(refname:short)', 'refs/heads/tracks/').trim().split('\n')).toEqual(['tracks/t1', 'tracks/t2']);
    for (const d of [dir, w1, w2]) expect((await cli(d, ['check'])).code).toBe(0);
  }, 60_000);
});
