import { describe, expect, it } from 'vitest';
import { organizeLocal } from '../../src/organize/local.js';
import { validateProposal } from '../../src/organize/validate.js';
import { adjustedRand, adjustedMutualInfo, nmi } from '../../src/organize/metrics.js';
import { gramKMeans, hartigan, normalize, TwoLevel, type Sparse } from '../../src/organize/cluster.js';
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

  it('incremental: a track split into sub-tracks takes new work through them, unless it holds work of its own', () => {
    const files: Record<string, string> = {
      'tracks/0001_FEAT_billing.md': trk('Billing', { goal: '"Billing: invoices, refunds, receipts and billing emails."' }),
      'tracks/0002_FEAT_billing-invoices.md': trk('Billing invoices', { parent: 'billing', goal: 'Invoices' }),
      'tracks/0003_FEAT_billing-refunds.md': trk('Billing refunds', { parent: 'billing', goal: 'Refunds' }),
      'work_orders/WO-100.md': wo('WO-100', { title: 'Invoice PDF export', tags: '[invoice]', track: 'billing-invoices' }),
      'work_orders/WO-101.md': wo('WO-101', { title: 'Invoice tax rounding', tags: '[invoice]', track: 'billing-invoices' }),
      'work_orders/WO-102.md': wo('WO-102', { title: 'Refund partial amounts', tags: '[refund]', track: 'billing-refunds' }),
      'work_orders/WO-103.md': wo('WO-103', { title: 'Refund to store credit', tags: '[refund]', track: 'billing-refunds' }),
      'work_orders/WO-200.md': wo('WO-200', { title: 'Billing receipts emails', tags: '[billing]' }),
      'work_orders/WO-201.md': wo('WO-201', { title: 'Invoice billing emails', tags: '[invoice, billing]' }),
    };
    const repo = repoFrom(files);
    const p = organizeLocal(repo, 'incremental');
    expect(validateProposal(p, repo, 'incremental')).toEqual([]);
    const placed = new Map(p.assignments.map((a) => [a.wo, a.track]));
    expect(placed.get('WO-200')).toMatch(/^billing-(invoices|refunds)$/);
    expect(placed.get('WO-201')).toBe('billing-invoices');
    // work placed in the parent itself makes it a track like any other
    files['work_orders/WO-104.md'] = wo('WO-104', { title: 'Billing receipts PDF', tags: '[billing]', track: 'billing' });
    const withOwn = repoFrom(files);
    expect(new Map(organizeLocal(withOwn, 'incremental').assignments.map((a) => [a.wo, a.track])).get('WO-200')).toBe('billing');
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

describe('clustering', () => {
  /** Unit vectors in three dimensions: a point near one axis per theme. */
  const v = (...xs: number[]): Sparse => normalize({ idx: Int32Array.from(xs.keys()), val: Float64Array.from(xs) });
  const themes = [v(1, 0.1, 0), v(1, 0.2, 0.1), v(1, 0, 0.2), v(0.1, 1, 0), v(0, 1, 0.1), v(0.2, 1, 0), v(0, 0.1, 1), v(0.1, 0, 1), v(0, 0.2, 1)];
  const sorted = (gs: number[][]) => gs.map((g) => [...g].sort((a, b) => a - b)).sort((a, b) => a[0]! - b[0]!);

  it("Hartigan's moves take a point to the group it fits, and raise the objective", () => {
    const labels = Int32Array.from([0, 0, 1, 1, 1, 1]);
    const six = themes.slice(0, 6);
    expect(hartigan(six, 3, labels, 2)).toBeGreaterThan(2 * Math.sqrt(2));
    expect([...labels]).toEqual([0, 0, 0, 1, 1, 1]);
  });

  it('k-means on a Gram matrix finds the themes whatever the seed', () => {
    const G = new Float64Array(81);
    themes.forEach((a, i) => themes.forEach((b, j) => (G[i * 9 + j] = a.val.reduce((s, x, t) => s + x * b.val[t]!, 0))));
    for (const seed of [1, 2, 3]) expect([...gramKMeans(G, 9, 3, { seed, restarts: 3 })]).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2]);
  });

  it('two levels: whole fine groups move, and a set inside fewer fine groups than asked for is split by its points', () => {
    const fine = new TwoLevel(themes, 3, 6, 7);
    expect(sorted(fine.cluster([...themes.keys()], 3, { seed: 1, restarts: 5 }))).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8]]);
    const one = new TwoLevel(themes, 3, 1, 7);
    expect(sorted(one.cluster([0, 1, 2, 3, 4, 5], 2, { seed: 1, restarts: 5 }))).toEqual([[0, 1, 2], [3, 4, 5]]);
  });
});

describe('offline organizer, reorg', () => {
  it('merges tracks whose work orders now belong together, and the plan archives the sources', async () => {
    const { buildPlan } = await import('../../src/plan/build.js');
    const { commitMessage } = await import('../../src/plan/render.js');
    // Billing split by hand over two tracks, one of them holding a single work order.
    // Draft tracks: an active one is never merged away.
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
    expect((plan.changes[0] as { content: string }).content).toMatch(/status: archived[\s\S]*history:\n  - at: 2026-11-21T00:00:00Z\n    from: ready\n    to: archived\n    reason: "merged into billing-a: most of their work orders belong with billing-a"/);
    expect(plan.changes[1]).toMatchObject({ action: 'set-key', key: 'track', value: 'billing-a' });
    expect(commitMessage(plan).split('\n')[0]).toBe('tracks organize (reorg): 1 merge, 1 work order moved');
  });
});

describe('offline organizer and the track lifecycle', () => {
  /** Billing and search, each a track; a search work order sits in billing by mistake. */
  const misplaced = (statuses: { billing: string; search: string }) => {
    const files: Record<string, string> = {
      'tracks/0001_FEAT_billing.md': trk('Billing', { status: statuses.billing }),
      'tracks/0002_FEAT_search.md': trk('Search', { status: statuses.search }),
    };
    const billing = ['Billing invoice export', 'Billing retry on decline', 'Billing tax rounding', 'Billing receipts by email'];
    const search = ['Search index rebuild', 'Search ranking', 'Search typo tolerance', 'Search highlighting'];
    billing.forEach((title, i) => (files[`work_orders/WO-${i + 1}.md`] = wo(`WO-${i + 1}`, { title, tags: '[billing]', track: 'billing' })));
    search.forEach((title, i) => (files[`work_orders/WO-${i + 11}.md`] = wo(`WO-${i + 11}`, { title, tags: '[search]', track: 'search' })));
    files['work_orders/WO-20.md'] = wo('WO-20', { title: 'Search facets', tags: '[search]', track: 'billing' });
    return repoFrom(files);
  };
  const moves = (repo: ReturnType<typeof repoFrom>, p: ReturnType<typeof organizeLocal>) => {
    const now = new Map(repo.workOrders.map((w) => [w.id, w.tracks[0]]));
    return p.assignments.filter((a) => now.get(a.wo) !== a.track).map((a) => `${a.wo}→${a.track}`);
  };

  it('reorg moves a clear misfit out of a live track', () => {
    const repo = misplaced({ billing: 'active', search: 'ready' });
    const p = organizeLocal(repo, 'reorg');
    expect(validateProposal(p, repo, 'reorg')).toEqual([]);
    expect(moves(repo, p)).toEqual(['WO-20→search']);
  });

  it('never moves work out of or into a frozen track, and never changes it', () => {
    for (const frozen of ['completed', 'failed', 'cancelled', 'archived']) {
      for (const statuses of [{ billing: frozen, search: 'ready' }, { billing: 'ready', search: frozen }]) {
        const repo = misplaced(statuses);
        const p = organizeLocal(repo, 'reorg');
        expect(validateProposal(p, repo, 'reorg')).toEqual([]);
        expect(moves(repo, p)).toEqual([]);
        expect(p.tracks).toEqual([]);
        expect(p.merges ?? []).toEqual([]);
        expect(p.retire ?? []).toEqual([]);
      }
    }
  });

  it('never places new work in a frozen track, nor under one', () => {
    const files: Record<string, string> = {
      'tracks/0001_FEAT_search.md': trk('Search', { status: 'completed' }),
      'tracks/0002_FEAT_billing.md': trk('Billing', { status: 'active' }),
      'work_orders/WO-1.md': wo('WO-1', { title: 'Search index rebuild', tags: '[search]', track: 'search' }),
      'work_orders/WO-2.md': wo('WO-2', { title: 'Search ranking', tags: '[search]', track: 'search' }),
      'work_orders/WO-3.md': wo('WO-3', { title: 'Billing invoice export', tags: '[billing]', track: 'billing' }),
    };
    ['Search typo tolerance', 'Search highlighting', 'Search facets', 'Search synonyms'].forEach((title, i) => (files[`work_orders/WO-${i + 10}.md`] = wo(`WO-${i + 10}`, { title, tags: '[search]' })));
    for (const limit of [8, 2]) {
      const repo = repoFrom(files, { topLevelLimit: limit });
      const p = organizeLocal(repo, 'incremental');
      expect(validateProposal(p, repo, 'incremental')).toEqual([]);
      expect(p.assignments.map((a) => a.track)).not.toContain('search');
      expect(p.tracks.map((t) => t.parent)).not.toContain('search');
    }
  });

  it('never merges away or retires a track with work under way, even when emptied', () => {
    for (const status of ['active', 'paused']) {
      const files: Record<string, string> = {
        'tracks/0001_FEAT_billing.md': trk('Billing'),
        'tracks/0002_FEAT_odds.md': trk('Odds and ends', { status }),
      };
      ['Billing invoice export', 'Billing retry on decline', 'Billing tax rounding'].forEach((title, i) => (files[`work_orders/WO-${i + 1}.md`] = wo(`WO-${i + 1}`, { title, tags: '[billing]', track: 'billing' })));
      files['work_orders/WO-9.md'] = wo('WO-9', { title: 'Billing receipts by email', tags: '[billing]', track: 'odds' });
      const repo = repoFrom(files);
      const p = organizeLocal(repo, 'reorg');
      expect(validateProposal(p, repo, 'reorg')).toEqual([]);
      expect(p.merges ?? []).toEqual([]);
      expect(p.retire ?? []).toEqual([]);
    }
  });
});

describe('offline organizer: what belongs together, and what a track is', () => {
  it('a parent task and its sub-tasks share a track, a chain of single follow-ups too', () => {
    const files: Record<string, string> = {};
    const add = (id: string, title: string, tags: string, extra: Record<string, string> = {}) => (files[`work_orders/${id}.md`] = wo(id, { title, tags, ...extra }));
    ['Invoice PDF export', 'Billing retry on card decline', 'Invoice tax rounding', 'Billing email receipts'].forEach((t, i) => add(`WO-${i + 1}`, t, '[billing]'));
    ['Search index rebuild', 'Search ranking for titles', 'Search typo tolerance', 'Search result highlighting'].forEach((t, i) => add(`WO-${i + 11}`, t, '[search]'));
    // A chain whose steps say little alike: only the links hold it together.
    add('WO-21', 'Collect run timings', '[metrics]');
    add('WO-22', 'Averages per project', '[api]', { depends_on: '[WO-21]' });
    add('WO-23', 'Search ranking uses the averages', '[search]', { depends_on: '[WO-22]' });
    const repo = repoFrom(files);
    const parts = repo.workOrders.map((w) => (w.id === 'WO-4' ? { ...w, parent: 'WO-12' } : w));
    const p = organizeLocal({ ...repo, workOrders: parts }, 'initial');
    const at = new Map(p.assignments.map((a) => [a.wo, a.track]));
    expect(at.get('WO-4')).toBe(at.get('WO-12'));
    expect(new Set(['WO-21', 'WO-22', 'WO-23'].map((id) => at.get(id))).size).toBe(1);
  });

  it('the type follows the work, and a track whose work is all done starts completed', () => {
    const files: Record<string, string> = {};
    ['Fix login crash', 'Fix flaky upload test', 'Fix session timeout bug', 'Fix broken avatar crop'].forEach((title, i) => (files[`work_orders/WO-${i + 1}.md`] = wo(`WO-${i + 1}`, { title, tags: '[bug, auth]' }).replace('status: ready', 'status: done')));
    ['Research vector search', 'Spike: embedding models', 'Research reranking options', 'Evaluate hybrid search'].forEach((title, i) => (files[`work_orders/WO-${i + 11}.md`] = wo(`WO-${i + 11}`, { title, tags: '[research, search]' })));
    ['Billing invoice export', 'Billing retry on decline', 'Billing tax rounding', 'Billing receipts'].forEach((title, i) => (files[`work_orders/WO-${i + 21}.md`] = wo(`WO-${i + 21}`, { title, tags: '[billing]' }).replace('status: ready', `status: ${i < 2 ? 'done' : 'ready'}`)));
    const repo = repoFrom(files);
    const p = organizeLocal(repo, 'initial');
    expect(validateProposal(p, repo, 'initial')).toEqual([]);
    const of = (id: string) => p.tracks.find((t) => t.slug === p.assignments.find((a) => a.wo === id)!.track)!;
    expect([of('WO-1').type, of('WO-1').status]).toEqual(['FIX', 'completed']);
    expect([of('WO-11').type, of('WO-11').status]).toEqual(['RESEARCH', undefined]);
    expect([of('WO-21').type, of('WO-21').status, of('WO-21').name]).toEqual(['FEAT', 'active', 'Billing']);
  });
});

describe('offline organizer: bounded work per work order', () => {
  it('counts at most CAPS tags, title and goal words, dependencies and links', async () => {
    const { features, CAPS } = await import('../../src/organize/text.js');
    const { buildCorpus } = await import('../../src/organize/corpus.js');
    const { LOCAL_DEFAULTS } = await import('../../src/organize/local.js');
    const many = (n: number, p: string) => Array.from({ length: n }, (_, i) => `${p}${i}x`);
    const f = features({ tags: many(300, 'tag'), title: many(60, 'word').join(' '), goal: many(200, 'goal').join(' ') });
    const keys = [...f.keys()];
    expect(keys.filter((k) => k.startsWith('t:'))).toHaveLength(CAPS.tags);
    expect(keys.filter((k) => k.startsWith('word'))).toHaveLength(CAPS.titleWords);
    expect(keys.filter((k) => k.startsWith('goal'))).toHaveLength(CAPS.goalWords);
    // Everyone depends on WO-0: its smoothing and pull are capped too.
    const files: Record<string, string> = {};
    for (let i = 0; i < 60; i++) files[`work_orders/WO-${i}.md`] = wo(`WO-${i}`, { title: `Task ${i}`, depends_on: `[${Array.from({ length: Math.min(i, 50) }, (_, j) => `WO-${j}`).join(', ')}]` });
    const c = buildCorpus(repoFrom(files).workOrders, ['done'], LOCAL_DEFAULTS);
    expect(c.links[c.byId.get('WO-0')!]).toHaveLength(CAPS.links);
    expect(Math.max(...c.links.map((l) => l.length))).toBe(CAPS.links);
    // Of 50 dependencies, the first CAPS.deps count.
    const last = c.byId.get('WO-59')!;
    expect(c.links[last]!.map((i) => c.docs[i]!.id).sort()).toEqual(Array.from({ length: CAPS.deps }, (_, j) => `WO-${j}`).sort());
  });
});
