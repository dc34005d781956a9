import { describe, expect, it } from 'vitest';
import { TRACK_STATUSES } from '../../src/model/types.js';
import { describeNext, nextStates, planTransition, VERBS, VERB_NAMES, type Verb } from '../../src/lifecycle/states.js';
import { refusal } from '../helpers/errors.js';

// The table as the issue states it, written out independently of the code.
const ALLOWED: Record<string, Partial<Record<Verb, string>>> = {
  draft: { ready: 'ready', start: 'active', cancel: 'cancelled', archive: 'archived' },
  ready: { start: 'active', cancel: 'cancelled', archive: 'archived' },
  active: { pause: 'paused', complete: 'completed', fail: 'failed', cancel: 'cancelled' },
  paused: { resume: 'active', complete: 'completed', fail: 'failed', cancel: 'cancelled' },
  completed: { archive: 'archived' },
  failed: { archive: 'archived' },
  cancelled: { archive: 'archived' },
  archived: {},
};


describe('lifecycle transition table', () => {
  for (const from of TRACK_STATUSES) {
    for (const verb of VERB_NAMES) {
      const to = ALLOWED[from]![verb];
      if (to) {
        it(`${verb} from ${from} → ${to}`, () => {
          expect(planTransition('t', from, verb)).toEqual({ from, to });
        });
      } else {
        it(`${verb} from ${from} is refused, naming the allowed next states`, () => {
          const e = refusal(() => planTransition('t', from, verb));
          expect(e.code).toBe('TRANSITION_REFUSED');
          expect(e.exitCode).toBe(1);
          expect(e.unchanged).toBe(true);
          for (const [v, s] of Object.entries(ALLOWED[from]!)) expect(e.hint).toContain(`${s} (tracks ${v})`);
          if (from === 'archived') expect(e.hint).toContain('terminal');
        });
      }
    }
  }

  it('cancelled cannot be resumed or started again; archived is terminal', () => {
    expect(nextStates('cancelled').map((n) => n.to)).toEqual(['archived']);
    expect(nextStates('archived')).toEqual([]);
    expect(describeNext('archived')).toMatch(/terminal/);
  });

  it('points to the verb that does what was meant', () => {
    const e = refusal(() => planTransition('runner', 'paused', 'start'));
    expect(e.message).toContain('cannot start track "runner": it is paused');
    expect(e.hint).toContain('Use `tracks resume runner`');
  });

  it('refuses a status that is not a track status', () => {
    expect(refusal(() => planTransition('t', 'wip', 'start')).code).toBe('TRACK_BAD_STATUS');
    expect(refusal(() => planTransition('t', undefined, 'start')).code).toBe('TRACK_BAD_STATUS');
  });

  it('every verb lands on a track status and has a non-empty from-list', () => {
    for (const v of VERB_NAMES) {
      expect(TRACK_STATUSES).toContain(VERBS[v].to);
      expect(VERBS[v].from.length).toBeGreaterThan(0);
    }
  });
});
