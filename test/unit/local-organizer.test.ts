import { describe, expect, it } from 'vitest';
import { organizeLocal } from '../../src/organize/local.js';
import { validateProposal } from '../../src/organize/validate.js';
import { adjustedRand, adjustedMutualInfo, nmi } from '../../src/organize/metrics.js';
import { repoFrom, smallRepo, trk, wo } from './organize-fixtures.js';

/** Three obvious themes, six work orders each, with words a person would name them by. */
function themed(extra: Record<string, string> = {}, config = {}) {
  const files: Record<string, string> = { ...extra };
  const themes = [
    ['billing', ['Invoice PDF export', 'Billing retry on card decline', 'Invoice tax rounding', 'Billing email receipts', 'Refund invoice flow', 'Billing plan upgrade']],
    ['search', ['Search index rebuild', 'Search ranking for titles', 'Search typo tolerance', 'Search result highlighting', 'Faceted search filters', 'Search index sharding']],
    ['onboarding', ['Onboarding welcome tour', 'Onboarding checklist widget', 'Onboarding invite teammates', 'Onboarding sample project', 'Onboarding progress emails', 'Onboarding skip option']],
  ] as const;
  let n = 0;
  for (const [tag, titles] of themes) {
    titles.forEach((title, i) => {
      n++;
      const id = `WO-${String(n).padStart(3, '0')}`;
      const dep = i > 0 ? { depends_on: `[WO-${String(n - 1).padStart(3, '0')}]` } : {};
      files[`work_orders/${id}.md`] = wo(id, { title, tags: `[${tag}]`, goal: `"${title} for the ${tag} area."`, ...dep });
    });
  }
  return repoFrom(files, config);
}

const groupsOf = (p: ReturnType<typeof organizeLocal>) => {
  const parent = new Map(p.tracks.map((t) => [t.slug, t.parent]));
  const root = (s: string) => {
    while (parent.get(s)) s = parent.get(s)!;
    return s;
  };
  return new Map(p.assignments.map((a) => [a.wo, root(a.track)]));
};

describe('offline organizer', () => {
  it('finds the themes, names them after their words, and passes validation', () => {
    const repo = themed();
    const p = organizeLocal(repo, 'initial');
    expect(validateProposal(p, repo, 'initial')).toEqual([]);
    const g = groupsOf(p);
    const ids = [...g.keys()].sort();
    const truth = ids.map((id) => String(Math.floor((Number(id.slice(3)) - 1) / 6)));
    expect(adjustedRand(truth, ids.map((id) => g.get(id)!))).toBe(1);
    const names = p.tracks.filter((t) => !t.parent).map((t) => t.name.toLowerCase());
    for (const theme of ['billing', 'search', 'onboarding']) expect(names.some((n) => n.includes(theme))).toBe(true);
    for (const t of p.tracks) {
      // An outcome, not a list of keywords; a name, not two keywords joined by "and".
      expect(t.goal).toMatch(/^Deliver [A-Z][a-z]+, from ".+" to ".+" \(6 work orders\)\.$/);
      expect(t.name).not.toMatch(/ and /);
    }
  });

  it('is deterministic', () => {
    expect(organizeLocal(themed(), 'initial')).toEqual(organizeLocal(themed(), 'initial'));
  });

  it('keeps to the top-level limit, using sub-tracks for the rest', () => {
    const repo = themed({}, { topLevelLimit: 1 });
    const p = organizeLocal(repo, 'initial');
    expect(p.tracks.filter((t) => !t.parent)).toHaveLength(1);
    expect(validateProposal(p, repo, 'initial')).toEqual([]);
  });

  it('incremental: new work orders join the closest existing track; existing tracks are restated never', () => {
    const repo = smallRepo();
    const p = organizeLocal(repo, 'incremental');
    expect(p.tracks).toEqual([]);
    expect(p.assignments.sort((a, b) => (a.wo < b.wo ? -1 : 1))).toEqual([
      { wo: 'WO-4', track: 'ui' },
      { wo: 'WO-5', track: expect.stringMatching(/^runner/) },
    ]);
    expect(validateProposal(p, repo, 'incremental')).toEqual([]);
  });

  it('incremental: a new theme gets a new track, under an existing one when the top level is full', () => {
    const files: Record<string, string> = {
      'tracks/0001_FEAT_billing.md': trk('Billing'),
      'work_orders/WO-100.md': wo('WO-100', { title: 'Invoice PDF export', tags: '[billing]', track: 'billing' }),
      'work_orders/WO-101.md': wo('WO-101', { title: 'Billing retry on decline', tags: '[billing]', track: 'billing' }),
    };
    ['Search index rebuild', 'Search ranking', 'Search typo tolerance', 'Search highlighting'].forEach((title, i) => {
      files[`work_orders/WO-20${i}.md`] = wo(`WO-20${i}`, { title, tags: '[search]' });
    });
    for (const limit of [8, 1]) {
      const repo = repoFrom(files, { topLevelLimit: limit });
      const p = organizeLocal(repo, 'incremental');
      expect(validateProposal(p, repo, 'incremental')).toEqual([]);
      expect(p.tracks).toHaveLength(1);
      expect(p.tracks[0]!.name.toLowerCase()).toContain('search');
      expect(p.tracks[0]!.parent).toBe(limit === 1 ? 'billing' : null);
      expect(new Set(p.assignments.map((a) => a.track))).toEqual(new Set([p.tracks[0]!.slug]));
    }
  });

  it('reorg right after an initial organize proposes no change', () => {
    const repo = themed();
    const p = organizeLocal(repo, 'initial');
    // Apply the proposal in memory: track files for the tracks, `track:` in each work order.
    const files: Record<string, string> = {};
    p.tracks.forEach((t, i) => (files[`tracks/${String(i + 1).padStart(4, '0')}_${t.type}_${t.slug}.md`] = trk(JSON.stringify(t.name), { type: t.type, goal: JSON.stringify(t.goal), parent: t.parent ?? 'null' })));
    for (const w of repo.workOrders) {
      const a = p.assignments.find((x) => x.wo === w.id)!;
      files[w.path] = repo.text(w.path).replace('status: ready', `status: ready\ntrack: ${a.track}`);
    }
    const organized = repoFrom(files);
    const again = organizeLocal(organized, 'reorg');
    expect(again.merges ?? []).toEqual([]);
    expect(again.retire ?? []).toEqual([]);
    const now = new Map(organized.workOrders.map((w) => [w.id, w.tracks[0]]));
    expect(again.assignments.filter((a) => now.get(a.wo) !== a.track)).toEqual([]);
  });
});

describe('agreement metrics', () => {
  it('are 1 for the same grouping under other names and about 0 for an unrelated one', () => {
    const a = ['x', 'x', 'y', 'y', 'z', 'z'];
    expect(adjustedRand(a, ['1', '1', '2', '2', '3', '3'])).toBe(1);
    expect(nmi(a, ['1', '1', '2', '2', '3', '3'])).toBeCloseTo(1);
    expect(adjustedMutualInfo(a, ['1', '1', '2', '2', '3', '3'])).toBeCloseTo(1);
    expect(adjustedRand(a, ['1', '2', '3', '1', '2', '3'])).toBeLessThan(0);
  });
});

describe('offline organizer, reorg', () => {
  it('merges tracks whose work orders now belong together, and the plan archives the sources', async () => {
    const { buildPlan } = await import('../../src/plan/build.js');
    const { commitMessage } = await import('../../src/plan/render.js');
    // Billing split by hand over two tracks, one of them holding a single work order.
    const files: Record<string, string> = {
      'tracks/0001_FEAT_billing-a.md': trk('Billing A'),
      'tracks/0002_FEAT_billing-b.md': trk('Billing B', { status: 'ready' }),
      'tracks/0003_FEAT_search.md': trk('Search'),
      'tracks/0004_FEAT_onboarding.md': trk('Onboarding'),
    };
    const titles = ['Billing invoice export', 'Billing retry on decline', 'Billing tax rounding', 'Billing receipts by email', 'Search index rebuild', 'Search ranking', 'Search typo tolerance', 'Search highlighting', 'Onboarding tour', 'Onboarding checklist', 'Onboarding invites', 'Onboarding sample project'];
    titles.forEach((title, i) => {
      const theme = title.split(' ')[0]!.toLowerCase();
      const track = i < 3 ? 'billing-a' : i === 3 ? 'billing-b' : theme;
      files[`work_orders/WO-${i + 1}.md`] = wo(`WO-${i + 1}`, { title, tags: `[${theme}]`, track });
    });
    const repo = repoFrom(files);
    const p = organizeLocal(repo, 'reorg');
    expect(validateProposal(p, repo, 'reorg')).toEqual([]);
    // Existing tracks keep their names: nothing to restate.
    expect(p.tracks).toEqual([]);
    expect(p.merges).toEqual([{ from: ['billing-b'], into: 'billing-a', reason: 'most of their work orders belong with billing-a' }]);
    expect(p.retire).toBeUndefined();
    const plan = buildPlan({ repo, proposal: p, mode: 'reorg', readText: repo.text, now: '2026-11-21T00:00:00Z' });
    expect(plan.changes.map((c) => c.path)).toEqual(['tracks/0002_FEAT_billing-b.md', 'work_orders/WO-4.md']);
    expect(plan.changes[0]!.content).toContain('status: archived');
    expect(plan.changes[1]!.content).toContain('track: billing-a');
    expect(commitMessage(plan).split('\n')[0]).toBe('tracks organize (reorg): 1 merge, 1 work order moved');
  });
});
