/** Headroom: organize leaves lanes free below top_level_limit (organize_top_level_target). */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { topLevelTarget } from '../../src/organize/scope.js';
import { validateProposal } from '../../src/organize/validate.js';
import { organizeLocal } from '../../src/organize/local.js';
import { systemPrompt } from '../../src/llm-request/prompt.js';
import type { Proposal } from '../../src/organize/types.js';
import { repoFrom, trk, wo } from './organize-fixtures.js';

const THEMES = ['billing invoice', 'search index', 'onboarding tour', 'mobile push', 'export csv', 'audit log', 'theme dark', 'locale translation', 'webhook delivery', 'sso login'];

/** Ten clearly separate themes of four work orders each. */
function tenThemes(config = {}) {
  const files: Record<string, string> = {};
  THEMES.forEach((theme, t) => {
    const [a, b] = theme.split(' ');
    ['setup', 'errors', 'tests', 'docs'].forEach((what, i) => {
      const id = `WO-${t * 4 + i + 1}`;
      files[`work_orders/${id}.md`] = wo(id, { title: `${a} ${b} ${what}`, tags: `[${a}, ${b}]` });
    });
  });
  return repoFrom(files, config);
}

describe('organize_top_level_target', () => {
  it('defaults to one below the limit, can be set, and may not exceed the limit', () => {
    const d = parseConfig('top_level_limit: 8\n', 'tracks.config.yaml');
    expect(d.problems).toEqual([]);
    expect(topLevelTarget(d.config)).toBe(7);
    expect(topLevelTarget(parseConfig('top_level_limit: 1\n', 'c').config)).toBe(1);
    expect(topLevelTarget(parseConfig('top_level_limit: 8\norganize_top_level_target: 4\n', 'c').config)).toBe(4);
    expect(topLevelTarget(parseConfig('top_level_limit: 8\norganize_top_level_target: 8\n', 'c').config)).toBe(8);
    const over = parseConfig('top_level_limit: 8\norganize_top_level_target: 9\n', 'tracks.config.yaml');
    expect(over.problems).toEqual([expect.objectContaining({ line: 2, col: 28, code: 'config/schema', message: 'organize_top_level_target (9) is above top_level_limit (8)' })]);
    expect(parseConfig('organize_top_level_target: 0\n', 'c').problems.map((p) => p.code)).toEqual(['config/schema']);
  });

  it('the offline organizer fills at most the target', () => {
    for (const [config, want] of [[{}, 7], [{ organizeTopLevelTarget: 3 }, 3]] as const) {
      const repo = tenThemes(config);
      const p = organizeLocal(repo, 'initial');
      expect(validateProposal(p, repo, 'initial')).toEqual([]);
      expect(p.tracks.filter((t) => !t.parent).length).toBe(want);
    }
  });

  it('the validator refuses new top-level tracks above the target, but not existing ones', () => {
    const files = { 'work_orders/WO-1.md': wo('WO-1') };
    const T = (slug: string, parent: string | null = null) => ({ slug, name: slug, type: 'FEAT', goal: '', parent });
    const three: Proposal = { tracks: [T('a'), T('b'), T('c')], assignments: [{ wo: 'WO-1', track: 'a' }] };
    const repo = repoFrom(files, { topLevelLimit: 3 });
    expect(validateProposal(three, repo, 'initial')).toEqual([
      'the proposal makes 3 top-level tracks, but organize fills at most 2 of the 3 (organize_top_level_target) so that a person can still add one; give 1 of the new top-level tracks (a, b, c) a parent.',
    ]);
    expect(validateProposal(three, repoFrom(files, { topLevelLimit: 3, organizeTopLevelTarget: 3 }), 'initial')).toEqual([]);
    // Three top-level tracks made by hand, at the limit: a reorg that adds none is fine.
    const full = repoFrom({ ...files, 'tracks/0001_FEAT_a.md': trk('a'), 'tracks/0002_FEAT_b.md': trk('b'), 'tracks/0003_FEAT_c.md': trk('c') }, { topLevelLimit: 3 });
    expect(validateProposal({ tracks: [T('d', 'a')], assignments: [{ wo: 'WO-1', track: 'd' }] }, full, 'reorg')).toEqual([]);
  });

  it('the LLM is told the target', () => {
    const text = systemPrompt({ mode: 'initial', kind: 'single', topLevelLimit: 8, topLevelTarget: 7, trackTypes: ['FEAT'], multiplePerWorkOrder: false, prefix: '', common: '' });
    expect(text).toContain('At most 8 top-level tracks (parent null), counting existing ones that are not cancelled or archived. Add a top-level track only while fewer than 7 exist: the rest of the limit stays free for tracks people add by hand.');
  });
});
