import { describe, expect, it } from 'vitest';
import { claimEvents, claimsOf, liveClaimsAcross, type ClaimEvent } from '../../src/parallel/claims.js';

const claim = (by: string, at: string, branch = `tracks/${by}`, ends?: string): ClaimEvent => ({ kind: 'claim', by, at, branch, ...(ends ? { ends: { by: ends } } : {}) });
const release = (by: string, at: string): ClaimEvent => ({ kind: 'release', by, at, branch: undefined });
const live = (...versions: ClaimEvent[][]) => liveClaimsAcross(versions).map((c) => c.by);

describe('claims over the versions of a track file', () => {
  it('a claim lives until its claimant releases it or someone steals it', () => {
    expect(live([claim('a', 'T1')])).toEqual(['a']);
    expect(live([claim('a', 'T1'), release('a', 'T2')])).toEqual([]);
    expect(live([claim('a', 'T1'), claim('b', 'T2', 'x', 'a')])).toEqual(['b']);
    expect(live([claim('a', 'T1'), claim('b', 'T2')])).toEqual(['a', 'b']);
  });

  it('a stale branch that still shows a released claim does not revive it', () => {
    // main: claimed then released; the track's branch was cut at the claim.
    expect(live([claim('a', 'T1'), release('a', 'T2')], [claim('a', 'T1')])).toEqual([]);
    // Someone else claims it later on another branch: only that claim lives.
    expect(live([claim('a', 'T1'), release('a', 'T2')], [claim('a', 'T1')], [claim('a', 'T1'), release('a', 'T2'), claim('c', 'T3')])).toEqual(['c']);
  });

  it('two branches that each claimed it unseen: both live', () => {
    expect(live([claim('a', 'T1')], [claim('b', 'T2')])).toEqual(['a', 'b']);
  });

  it('events of one second keep the order of a file that has both, else claims come before what ends them', () => {
    expect(live([claim('a', 'T1'), release('a', 'T1'), claim('a', 'T1', 'tracks/again')])).toEqual(['a']);
    // The steal is seen on one branch, the claim it ends on another, both in one second.
    expect(live([claim('b', 'T1', 'x', 'a')], [claim('a', 'T1')])).toEqual(['b']);
  });

  it('keys without a history entry count as a claim; history entries are read back from the file', () => {
    const data = {
      claimed_by: 'agent-1',
      claimed_at: '2026-01-01T00:00:00Z',
      branch: 'tracks/x',
      history: [{ at: '2025-12-31T00:00:00Z', from: 'ready', to: 'active', event: 'claim', claimed_by: 'old', branch: 'tracks/x' }, { at: '2025-12-31T01:00:00Z', from: 'active', to: 'active', event: 'release', claimed_by: 'old' }],
    };
    expect(claimEvents({ data }).map((e) => `${e.kind}:${e.by}`)).toEqual(['claim:old', 'release:old', 'claim:agent-1']);
    expect(claimsOf({ data })).toEqual([{ by: 'agent-1', at: '2026-01-01T00:00:00Z', branch: 'tracks/x' }]);
  });
});
