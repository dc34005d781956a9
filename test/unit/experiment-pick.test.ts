import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compareData, experiments, planPick } from '../../src/lifecycle/experiment.js';
import { readHistory } from '../../src/lifecycle/history.js';
import { planSwitch, planVerb } from '../../src/lifecycle/transition.js';
import { TracksError } from '../../src/errors/index.js';
import { inputOf, repoOf } from './lifecycle-repo.js';

const exp = (status: string, extra = '') => `---\nname: E\ntype: EXP\nstatus: ${status}\nexperiment: cache\nhypothesis: it is faster\n${extra}---\n\n## Description\n\nd\n`;
const after = (c: unknown) => (c as { content: string }).content;
const fmOf = (text: string) => parse(text.split('---\n')[1]!) as Record<string, unknown>;
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as TracksError).code;
  }
  return 'no error';
};

describe('experiments', () => {
  const files = {
    'tracks/0001_EXP_redis.md': exp('active', 'results:\n  p95_ms: 80\n'),
    'tracks/0002_EXP_lru.md': exp('paused'),
    'tracks/0003_EXP_cdn.md': exp('failed'),
    'tracks/0004_FEAT_other.md': `---\nname: O\ntype: FEAT\nstatus: active\n---\n`,
    'work_orders/1.md': `---\nid: WO-1\ntitle: t\nstatus: done\ntrack: redis\n---\n`,
    'work_orders/2.md': `---\nid: WO-2\ntitle: t\nstatus: ready\ntrack: redis\n---\n`,
  };
  const repo = repoOf(files);

  it('groups tracks by experiment and compares them', () => {
    expect(experiments(repo).map((g) => [g.name, g.tracks.map((t) => t.slug)])).toEqual([['cache', ['redis', 'lru', 'cdn']]]);
    const d = compareData(repo, 'cache');
    expect(d.tracks[0]).toMatchObject({ slug: 'redis', hypothesis: 'it is faster', progress: { done: 1, total: 2 }, results: { recorded: { p95_ms: 80 } } });
    expect(code(() => compareData(repo, 'cach'))).toBe('UNKNOWN_EXPERIMENT');
  });

  it('pick completes the winner, cancels open rivals, keeps closed ones, records the decision everywhere', () => {
    expect(() => planPick(inputOf(repo), 'cache', 'redis', 'p95 80 ms')).toThrow('cannot pick "redis" as the winner: 1 of its 2 work orders is not done');
    const plan = planPick(inputOf(repo), 'cache', 'redis', 'p95 80 ms', { force: true });
    expect(plan.steps.map((s) => `${s.verb} ${s.slug} ${s.entry.from}→${s.entry.to}`)).toEqual(['complete redis active→completed', 'cancel lru paused→cancelled']);
    expect(plan.changes.map((c) => c.path)).toEqual(['tracks/0001_EXP_redis.md', 'tracks/0002_EXP_lru.md', 'tracks/0003_EXP_cdn.md']);
    for (const c of plan.changes) {
      const fm = fmOf(after(c));
      expect(fm.decision).toEqual({ experiment: 'cache', winner: 'redis', reason: 'p95 80 ms', at: '2026-11-21T10:00:00Z', by: 'Ada <ada@example.com>' });
      expect(after(c)).toMatch(/## Decisions\n\n- 2026-11-21: experiment `cache`: picked `redis`; .*Reason: p95 80 ms/);
    }
    expect(fmOf(after(plan.changes[2])).status).toBe('failed');
    expect(readHistory({ data: fmOf(after(plan.changes[1])) })[0]!.reason).toBe('experiment cache: redis was picked: p95 80 ms');
    expect(plan.message).toContain('Reason: p95 80 ms');
  });

  it('refuses: no reason, a winner outside the experiment, a failed winner, a second pick', () => {
    const input = inputOf(repo);
    expect(code(() => planPick(input, 'cache', 'redis', '  '))).toBe('REASON_REQUIRED');
    expect(code(() => planPick(input, 'cache', 'other', 'r'))).toBe('NOT_IN_EXPERIMENT');
    expect(code(() => planPick(input, 'cache', 'cdn', 'r'))).toBe('TRANSITION_REFUSED');
    const decided = repoOf({ ...files, 'tracks/0002_EXP_lru.md': exp('cancelled', 'decision:\n  experiment: cache\n  winner: redis\n') });
    expect(code(() => planPick(inputOf(decided), 'cache', 'lru', 'r'))).toBe('ALREADY_DECIDED');
  });
});

describe('single active track', () => {
  const files = {
    'tracks/0001_FEAT_a.md': `---\nname: A\ntype: FEAT\nstatus: active\n---\n`,
    'tracks/0002_FEAT_b.md': `---\nname: B\ntype: FEAT\nstatus: ready\n---\n`,
    'tracks/0003_FEAT_c.md': `---\nname: C\ntype: FEAT\nstatus: paused\n---\n`,
  };

  it('start and resume refuse while another is active, and point to switch', () => {
    const input = inputOf(repoOf(files, { singleActiveTrack: true }));
    for (const [slug, verb] of [['b', 'start'], ['c', 'resume']] as const) {
      try {
        planVerb(input, slug, verb);
        throw new Error('expected a refusal');
      } catch (e) {
        expect((e as TracksError).code).toBe('SINGLE_ACTIVE');
        expect((e as TracksError).hint).toContain(`tracks switch ${slug}`);
      }
    }
    // without the rule, both may be active
    expect(planVerb(inputOf(repoOf(files)), 'b', 'start').steps[0]!.entry.to).toBe('active');
  });

  it('switch pauses the active track with a checkpoint and resumes the target', () => {
    const plan = planSwitch(inputOf(repoOf(files, { singleActiveTrack: true })), 'c', 'customer escalation');
    expect(plan.steps.map((s) => `${s.verb} ${s.slug}`)).toEqual(['pause a', 'resume c']);
    expect(plan.steps[0]!.entry).toMatchObject({ reason: 'switched to c: customer escalation', commit: 'a'.repeat(40), progress: { done: 0, total: 0 } });
    expect(plan.changes).toHaveLength(2);
  });
});
