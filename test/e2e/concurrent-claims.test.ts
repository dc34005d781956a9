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
const AUTH = 'tracks/0001_FEAT_auth.md';
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

function setup() {
  const dir = realpathSync(
    tempRepo({
      [AUTH]: track('Auth', { status: 'ready' }),
      'tracks/0002_FEAT_billing.md': track('Billing', { status: 'ready' }),
      'work_orders/WO-1.md': wo('WO-1', { track: 'auth' }),
      'work_orders/WO-2.md': wo('WO-2', { track: 'billing' }),
    }),
  );
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
    for (let round = 0; round < ROUNDS; round++) {
      const { dir, w1, w2 } = setup();
      const at = Date.now() + 300;
      const [a, b] = await Promise.all([tracksAt(w1, at, ['claim', 'auth', '--as', 'agent-1']), tracksAt(w2, at, ['claim', 'auth', '--as', 'agent-2'])]);
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
      expect(loser.r.stderr).toContain('on branch tracks/auth');
      expect(loser.r.stderr).toContain('No files changed.');
      // The winner's work tree holds the claim; the loser's is untouched; one track branch, at the claim.
      expect((parse(read(winner.dir, AUTH).split('---')[1]!) as Record<string, unknown>).claimed_by).toBe(winner.name);
      expect(read(loser.dir, AUTH)).not.toContain('claimed_by');
      expect(git(loser.dir, 'status', '--porcelain').trim()).toBe('');
      expect(git(dir, 'rev-parse', 'tracks/auth').trim()).toBe(git(winner.dir, 'rev-parse', 'HEAD').trim());
      // What the repository says afterwards is checked in-process (the race itself is between real processes).
      const claims = await cli(dir, ['claims', '--format', 'json']);
      expect(JSON.parse(claims.stdout).claims.map((c: { claimed_by: string }) => c.claimed_by)).toEqual([winner.name]);
      for (const d of [dir, w1, w2]) expect((await cli(d, ['check'])).code).toBe(0);
    }
    // Not a fixed order: both sides won some rounds, or the race was not a race.
    console.log(`winners over ${ROUNDS} rounds: agent-1 ${winners.filter((w) => w === 'agent-1').length}, agent-2 ${winners.filter((w) => w === 'agent-2').length}`);
  }, 180_000);

  it('of two different tracks: both win, one after the other under the lock', async () => {
    for (let round = 0; round < 3; round++) {
      const { dir, w1, w2 } = setup();
      const at = Date.now() + 300;
      const [a, b] = await Promise.all([tracksAt(w1, at, ['claim', 'auth', '--as', 'agent-1']), tracksAt(w2, at, ['claim', 'billing', '--as', 'agent-2'])]);
      expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0]);
      expect(git(dir, 'for-each-ref', '--format=%(refname:short)', 'refs/heads/tracks/').trim().split('\n')).toEqual(['tracks/auth', 'tracks/billing']);
    }
  }, 60_000);
});
