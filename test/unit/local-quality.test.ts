/**
 * The offline organizer against a grouping a person made by hand for the real
 * pcc-head backlog (test/fixtures/organize/pcc-head-reference.json: how it was
 * made is written in it), and against what a lead spots at once when reading
 * the proposal. The baseline is "group work orders by their first tag"; both
 * chance-corrected scores must clearly favour the organizer.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRepo } from '../../src/repo/load.js';
import { organizeLocal } from '../../src/organize/local.js';
import { validateProposal } from '../../src/organize/validate.js';
import { adjustedMutualInfo, adjustedRand } from '../../src/organize/metrics.js';
import { CORPORA, PROJECT } from '../helpers/repo.js';

const reference = JSON.parse(readFileSync(join(PROJECT, 'test/fixtures/organize/pcc-head-reference.json'), 'utf8')) as { groups: Record<string, { ids: string[] }> };

describe('offline organizer quality on pcc-head', async () => {
  // Read-only: loadRepo only reads.
  const repo = await loadRepo(join(CORPORA, 'pcc-head'));
  const p = organizeLocal(repo, 'initial');
  const parent = new Map(p.tracks.map((t) => [t.slug, t.parent]));
  const top = (s: string) => {
    while (parent.get(s)) s = parent.get(s)!;
    return s;
  };
  const leaf = new Map(p.assignments.map((a) => [a.wo, a.track]));
  const lane = (id: string) => top(leaf.get(id)!);
  const track = (slug: string) => p.tracks.find((t) => t.slug === slug)!;
  const byId = new Map(repo.workOrders.map((w) => [w.id, w]));

  it('is valid and leaves a lane free', () => {
    expect(validateProposal(p, repo, 'initial')).toEqual([]);
    expect(p.tracks.filter((t) => !t.parent).length).toBe(repo.config.topLevelLimit - 1);
  });

  it('beats grouping by first tag against the hand-made reference', () => {
    const refOf = new Map<string, string>();
    for (const [g, v] of Object.entries(reference.groups)) for (const id of v.ids) refOf.set(id, g);
    const ids = [...refOf.keys()];
    const truth = ids.map((id) => refOf.get(id)!);
    const ours = ids.map(lane);
    const firstTag = ids.map((id) => byId.get(id)!.tags[0] ?? '(none)');
    const score = { ari: adjustedRand(truth, ours), ami: adjustedMutualInfo(truth, ours) };
    const base = { ari: adjustedRand(truth, firstTag), ami: adjustedMutualInfo(truth, firstTag) };
    // Measured: ARI 0.634, AMI 0.690 in 7 lanes (the eighth is left free), and 0.609-0.644 /
    // 0.667-0.704 over ten seeds (node bench/quality.mjs --seeds 10); first tag (53 groups)
    // ARI 0.325, AMI 0.501. Before the two-level search the best of restarts over single
    // units scored 0.565 / 0.613 with this seed and 0.39-0.58 ARI with others, as the
    // earlier organizer's 0.575 / 0.659 (8 lanes) was one seed of five (0.44-0.56 for the rest).
    expect(score.ari).toBeGreaterThan(0.62);
    expect(score.ami).toBeGreaterThan(0.675);
    expect(score.ari).toBeGreaterThan(base.ari + 0.15);
    expect(score.ami).toBeGreaterThan(base.ami + 0.08);
  });

  it('agrees as well whatever the seed', () => {
    const refOf = new Map<string, string>();
    for (const [g, v] of Object.entries(reference.groups)) for (const id of v.ids) refOf.set(id, g);
    const ids = [...refOf.keys()];
    const truth = ids.map((id) => refOf.get(id)!);
    for (const seed of [1007, 1014, 1021]) {
      const q = organizeLocal(repo, 'initial', { seed });
      const up = new Map(q.tracks.map((t) => [t.slug, t.parent]));
      const at = new Map(q.assignments.map((a) => [a.wo, a.track]));
      const ours = ids.map((id) => {
        let s = at.get(id)!;
        while (up.get(s)) s = up.get(s)!;
        return s;
      });
      // Measured 0.634 / 0.690, 0.634 / 0.690 and 0.609 / 0.667 (the lowest of ten seeds).
      expect(adjustedRand(truth, ours)).toBeGreaterThan(0.6);
      expect(adjustedMutualInfo(truth, ours)).toBeGreaterThan(0.66);
    }
  });

  it('keeps together what a lead sees belongs together', () => {
    // The estimation chain, each step the only follow-up of the one before.
    expect(new Set(['069', '070', '071', '072', '073'].map((n) => leaf.get(`WO-2026-${n}`))).size).toBe(1);
    // Narration: the research, its implementation, and the narration system with its TTS.
    expect(new Set(['139', '146', '158', '159'].map((n) => lane(`WO-2026-${n}`))).size).toBe(1);
    // The foundation era: charter, repo discovery, Kanban CRUD; not in a testing or bug-fix track.
    const foundation = ['WO-2025-001', 'WO-2025-002', 'WO-2025-003'];
    expect(new Set(foundation.map(lane)).size).toBe(1);
    for (const id of foundation) {
      const t = track(leaf.get(id)!);
      expect(t.type).not.toBe('FIX');
      expect(t.name).not.toMatch(/test|bug|fix/i);
    }
  });

  it('names a track with a short noun phrase and gives it an outcome, a type and a status that follow its work', () => {
    for (const t of p.tracks) {
      expect(t.name).not.toMatch(/ and /i);
      expect(t.name.split(' ').length).toBeLessThanOrEqual(4);
      expect(t.goal).not.toMatch(/^Work on|such as/);
      const members = p.assignments.filter((a) => a.track === t.slug || p.tracks.some((s) => s.parent === t.slug && s.slug === a.track)).map((a) => byId.get(a.wo)!);
      const done = members.every((w) => ['done', 'completed', 'archived', 'deprecated', 'cancelled'].includes(w.status ?? ''));
      expect(t.status === 'completed').toBe(done);
    }
    expect(new Set(p.tracks.map((t) => t.name.toLowerCase())).size).toBe(p.tracks.length);
    // The flaky-test fixes make a FIX track.
    expect(track(leaf.get('WO-2026-109')!).type).toBe('FIX');
  });
});
