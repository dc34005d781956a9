import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { cli, git, read, removeRepo, tempRepo, track, wo, write } from '../helpers/repo.js';

const RUNNER = 'tracks/0001_FEAT_runner.md';
const UI = 'tracks/0002_FEAT_ui.md';
const fm = (text: string) => parse(text.split(/^---$/m)[1]!) as Record<string, unknown>;
const commits = (dir: string) => Number(git(dir, 'rev-list', '--count', 'HEAD').trim());
const lastCommitFiles = (dir: string) => git(dir, 'show', '--name-only', '--format=', 'HEAD').trim().split('\n');

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeRepo));

function repo(config = '') {
  const dir = tempRepo({
    ...(config ? { 'tracks.config.yaml': config } : {}),
    // a comment, odd spacing and a body: all must survive every transition byte for byte
    [RUNNER]: `---\nname: Runner   # keep me\ntype: FEAT\nstatus: draft\ngoal: Reliable runs\nscope: [src/runner,  src/retry]\n---\n\n## Description\n\nRuns.\n`,
    [UI]: track('UI', { status: 'active' }),
    'work_orders/WO-2026-001.md': wo('WO-2026-001', { track: 'runner', status: 'done', estimate_hours: '2' }),
    'work_orders/WO-2026-002.md': wo('WO-2026-002', { track: 'runner', estimate_hours: '6' }),
  });
  dirs.push(dir);
  return dir;
}

async function ok(dir: string, args: string[]) {
  const r = await cli(dir, args);
  expect(r.stderr + r.stdout, args.join(' ')).not.toMatch(/^error/m);
  expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r;
}

describe('lifecycle commands', () => {
  it('walks draft → ready → active → paused → active → completed → archived, one commit of one file each', async () => {
    const dir = repo();
    const original = read(dir, RUNNER);
    const steps: [string[], string][] = [
      [['ready', 'runner'], 'ready'],
      [['start', 'runner', '--reason', 'planned in sync'], 'active'],
      [['pause', 'runner', '-r', 'waiting: on quota'], 'paused'],
      [['resume', 'runner'], 'active'],
      [['complete', 'runner'], 'completed'],
      [['archive', 'runner'], 'archived'],
    ];
    let n = commits(dir);
    let pausedAt = '';
    for (const [args, status] of steps) {
      if (args[0] === 'complete') {
        // The work is finished before the track is (an archived track may not hold open work).
        write(dir, 'work_orders/WO-2026-002.md', wo('WO-2026-002', { track: 'runner', status: 'done', estimate_hours: '6' }));
        git(dir, 'commit', '-qam', 'done');
        n++;
      }
      const head = git(dir, 'rev-parse', 'HEAD').trim();
      const r = await ok(dir, args);
      expect(commits(dir)).toBe(++n);
      expect(lastCommitFiles(dir)).toEqual([RUNNER]);
      expect(git(dir, 'status', '--porcelain').trim()).toBe('');
      const data = fm(read(dir, RUNNER));
      expect(data.status).toBe(status);
      const h = data.history as Record<string, unknown>[];
      expect(h.at(-1)).toMatchObject({ to: status, by: 'Test User <test@example.com>' });
      if (args[0] === 'pause') {
        expect(h.at(-1)).toMatchObject({ from: 'active', reason: 'waiting: on quota', commit: head, progress: { done: 1, total: 2, hours_done: 2, hours_total: 8 } });
        expect(r.stdout).toContain('checkpoint: 1/2 done (50%), 2h of 8h');
        pausedAt = head;
      }
      if (args[0] === 'resume') {
        expect(r.stdout).toMatch(/paused .* by Test User <test@example.com>: waiting: on quota/);
        expect(r.stdout).toContain(`checkpoint 1/2 done (50%), 2h of 8h at commit ${pausedAt.slice(0, 7)}`);
      }
      const check = await cli(dir, ['check']);
      expect(check.code, `check after ${args[0]}:\n${check.stdout}`).toBe(0);
      expect(check.stdout).toContain('0 errors');
    }
    const final = read(dir, RUNNER);
    const history = fm(final).history as Record<string, unknown>[];
    expect(history.map((e) => `${e.from}→${e.to}`)).toEqual(['draft→ready', 'ready→active', 'active→paused', 'paused→active', 'active→completed', 'completed→archived']);
    expect(history.every((e) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(String(e.at)))).toBe(true);
    // lossless: drop what the tool owns (status, updated_at, history) and the rest is the original
    const strip = (t: string) => t.replace(/^status: .*\n/m, '').replace(/^updated_at: .*\n/m, '').replace(/^history:\n(?: {2}.*\n)*/m, '');
    expect(strip(final)).toBe(strip(original));
    expect(final).toContain('name: Runner   # keep me\n');
  });

  it('refuses invalid transitions, names the allowed ones, changes nothing', async () => {
    const dir = repo();
    const before = read(dir, RUNNER);
    const n = commits(dir);
    for (const [args, allowed] of [
      [['pause', 'runner'], 'ready (tracks ready), active (tracks start), cancelled (tracks cancel), archived (tracks archive)'],
      [['resume', 'runner'], 'active (tracks start)'],
      [['complete', 'runner'], 'active (tracks start)'],
    ] as const) {
      const r = await cli(dir, [...args]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('[TRANSITION_REFUSED]');
      expect(r.stderr).toContain(allowed);
      expect(r.stderr).toContain('No files changed.');
    }
    // A cancelled track may not hold open work (check's rule): the cancel is refused until it is done or moved.
    const held = await cli(dir, ['cancel', 'runner', '--reason', 'superseded']);
    expect(held.code).toBe(1);
    expect(held.stderr).toContain('track is cancelled but still holds 1 open work order [track/retired-with-open-work] [RULES_BROKEN]');
    expect(held.stderr).toContain('No files changed.');
    // A dry run judges the change by the same rules, and says the same.
    const heldDry = await cli(dir, ['cancel', 'runner', '--reason', 'superseded', '--dry-run']);
    expect(heldDry.code).toBe(1);
    expect(heldDry.stderr).toBe(held.stderr);
    expect(read(dir, RUNNER)).toBe(before);
    write(dir, 'work_orders/WO-2026-002.md', wo('WO-2026-002', { track: 'runner', status: 'done', estimate_hours: '6' }));
    git(dir, 'commit', '-qam', 'done');
    await ok(dir, ['cancel', 'runner', '--reason', 'superseded']);
    const r = await cli(dir, ['resume', 'runner']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot resume track "runner": it is cancelled.*\n.*archived \(tracks archive\)/);
    await ok(dir, ['archive', 'runner']);
    for (const verb of ['start', 'resume', 'cancel', 'ready', 'complete']) {
      const x = await cli(dir, [verb, 'runner']);
      expect(x.code).toBe(1);
      expect(x.stderr).toContain('archived is terminal');
    }
    expect(commits(dir)).toBe(n + 3);
    expect(before).not.toBe(read(dir, RUNNER));
  });

  it('unknown track: did-you-mean, exit 2', async () => {
    const dir = repo();
    const r = await cli(dir, ['start', 'runer']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no track "runer"');
    expect(r.stderr).toContain('Did you mean "runner"?');
  });

  it('single active track: start refuses and points to switch; switch is one commit of both files', async () => {
    const dir = repo('single_active_track: true\n');
    const r = await cli(dir, ['start', 'runner']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('"ui" is active');
    expect(r.stderr).toContain('tracks switch runner');
    const n = commits(dir);
    const s = await ok(dir, ['switch', 'runner', '--reason', 'escalation', '--format', 'json']);
    const j = JSON.parse(s.stdout);
    expect(j.steps.map((x: { track: string; verb: string }) => `${x.verb} ${x.track}`)).toEqual(['pause ui', 'start runner']);
    expect(commits(dir)).toBe(n + 1);
    expect(lastCommitFiles(dir).sort()).toEqual([RUNNER, UI]);
    expect(fm(read(dir, UI)).status).toBe('paused');
    expect(fm(read(dir, RUNNER)).status).toBe('active');
    expect((await cli(dir, ['check'])).code).toBe(0);
    // and back: resume ui via switch shows the checkpoint
    const back = await ok(dir, ['switch', 'ui']);
    expect(back.stdout).toContain('paused runner');
    expect(back.stdout).toContain('resumed ui');
    expect(back.stdout).toMatch(/paused .*: switched to runner: escalation/);
  });

  it('--no-commit writes without committing; a dirty track file or a merge in progress is refused', async () => {
    const dir = repo();
    const n = commits(dir);
    await ok(dir, ['start', 'runner', '--no-commit']);
    expect(commits(dir)).toBe(n);
    expect(git(dir, 'status', '--porcelain').trim()).toBe(`M ${RUNNER}`);
    const dirty = await cli(dir, ['pause', 'runner']);
    expect(dirty.code).toBe(2);
    expect(dirty.stderr).toContain('[DIRTY_FILES]');
    git(dir, 'commit', '-qam', 'mine');
    const before = read(dir, RUNNER);
    writeFileSync(join(dir, '.git', 'MERGE_HEAD'), git(dir, 'rev-parse', 'HEAD'));
    const merging = await cli(dir, ['pause', 'runner']);
    expect(merging.code).toBe(2);
    expect(merging.stderr).toContain('a merge is in progress');
    expect(read(dir, RUNNER)).toBe(before);
  });

  it('a track file git cannot parse is refused with its path, nothing written', async () => {
    const dir = repo();
    write(dir, RUNNER, `---\nname: [unclosed\ntype: FEAT\nstatus: draft\n---\n`);
    git(dir, 'commit', '-qam', 'broken');
    const r = await cli(dir, ['start', 'runner']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(RUNNER);
    expect(git(dir, 'status', '--porcelain').trim()).toBe('');
  });
});
