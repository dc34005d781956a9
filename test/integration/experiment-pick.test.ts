import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cli, git, read, removeRepo, tempRepo, wo } from '../helpers/repo.js';

const REDIS = 'tracks/0001_EXP_cache-redis.md';
const LRU = 'tracks/0002_EXP_cache-lru.md';
const CDN = 'tracks/0003_EXP_cache-cdn.md';
const exp = (name: string, status: string, hypothesis: string, extra = '', body = '') =>
  `---\nname: ${name}\ntype: EXP\nstatus: ${status}\nexperiment: cache-strategy\nhypothesis: ${hypothesis}\nbranch: exp/${name.toLowerCase()}\n${extra}---\n\n## Description\n\nTry it.\n${body}`;
const fm = (text: string) => parse(text.split(/^---$/m)[1]!) as Record<string, unknown>;

let dir: string;
afterAll(() => removeRepo(dir));

describe('an experiment, picked end to end', () => {
  it('lists, compares, picks (one commit), records the decision everywhere, and refuses a second pick', async () => {
    dir = tempRepo({
      [REDIS]: exp('Redis', 'active', 'A shared cache cuts p95 below 100 ms', 'results:\n  p95_ms: 80\n', '\n## Results\n\nLoad test: p95 80 ms.\n'),
      [LRU]: exp('LRU', 'paused', 'An in-process LRU is enough'),
      [CDN]: exp('CDN', 'failed', 'Edge caching helps'),
      'work_orders/WO-2026-001.md': wo('WO-2026-001', { track: 'cache-redis', status: 'done' }),
      'work_orders/WO-2026-002.md': wo('WO-2026-002', { track: 'cache-redis' }),
      'work_orders/WO-2026-003.md': wo('WO-2026-003', { track: 'cache-lru' }),
    });

    const list = await cli(dir, ['experiment', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('cache-strategy 3 competing, undecided');
    expect(list.stdout).toMatch(/cache-redis +active +1\/2 done \(50%\)/);

    const cmp = JSON.parse((await cli(dir, ['experiment', 'compare', 'cache-strategy', '--format', 'json'])).stdout);
    expect(cmp.tracks.map((t: { slug: string; status: string }) => `${t.slug}:${t.status}`)).toEqual(['cache-redis:active', 'cache-lru:paused', 'cache-cdn:failed']);
    expect(cmp.tracks[0]).toMatchObject({ hypothesis: 'A shared cache cuts p95 below 100 ms', progress: { done: 1, total: 2 }, results: { recorded: { p95_ms: 80 }, notes: 'Load test: p95 80 ms.' } });
    const side = (await cli(dir, ['experiment', 'compare', 'cache-strategy'])).stdout;
    expect(side).toMatch(/hypothesis +│ A shared cache/);
    expect(side).toContain('p95_ms: 80');

    const typo = await cli(dir, ['experiment', 'compare', 'cache-strategi']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('Did you mean "cache-strategy"?');

    const noReason = await cli(dir, ['experiment', 'pick', 'cache-strategy', 'cache-redis']);
    expect(noReason.code).toBe(2);

    const before = Number(git(dir, 'rev-list', '--count', 'HEAD').trim());
    // The winner's work is not all done: that needs --force (a question in a terminal).
    const open = await cli(dir, ['experiment', 'pick', 'cache-strategy', 'cache-redis', '--reason', 'p95 80 ms vs 190 ms']);
    expect(open.code).toBe(1);
    expect(open.stderr).toContain('cannot pick "cache-redis" as the winner: 1 of its 2 work orders is not done [NEEDS_FORCE]');
    expect(Number(git(dir, 'rev-list', '--count', 'HEAD').trim())).toBe(before);
    const pick = await cli(dir, ['experiment', 'pick', 'cache-strategy', 'cache-redis', '--reason', 'p95 80 ms vs 190 ms', '--force']);
    expect(pick.code, pick.stderr).toBe(0);
    expect(pick.stdout).toContain('completed cache-redis (active → completed)');
    expect(pick.stdout).toContain('cancelled cache-lru (paused → cancelled)');
    expect(Number(git(dir, 'rev-list', '--count', 'HEAD').trim())).toBe(before + 1);
    expect(git(dir, 'show', '--name-only', '--format=', 'HEAD').trim().split('\n').sort()).toEqual([CDN, REDIS, LRU].sort());
    expect(git(dir, 'log', '-1', '--format=%B')).toContain('Reason: p95 80 ms vs 190 ms');

    const status = { [REDIS]: 'completed', [LRU]: 'cancelled', [CDN]: 'failed' };
    for (const [path, s] of Object.entries(status)) {
      const text = read(dir, path);
      const data = fm(text);
      expect(data.status).toBe(s);
      expect(data.decision).toMatchObject({ experiment: 'cache-strategy', winner: 'cache-redis', reason: 'p95 80 ms vs 190 ms', by: 'Test User <test@example.com>' });
      expect(text).toMatch(/## Decisions\n\n- \d{4}-\d\d-\d\d: experiment `cache-strategy`: picked `cache-redis`; .*Reason: p95 80 ms vs 190 ms/);
      expect(text).toContain('\n## Description\n\nTry it.\n');
    }
    // the losers are preserved, not deleted
    expect(read(dir, LRU)).toContain('hypothesis: An in-process LRU is enough');
    expect((await cli(dir, ['check'])).code).toBe(0);

    const again = await cli(dir, ['experiment', 'pick', 'cache-strategy', 'cache-lru', '--reason', 'changed my mind']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already decided: "cache-redis" won');
    expect((await cli(dir, ['experiment', 'list'])).stdout).toContain('decided: cache-redis won');
  });
});
