/** Size bounds on proposals, and the wire helpers the OpenAI-compatible path needs (strict schema, JSON inside prose). */
import { describe, expect, it } from 'vitest';
import { BOUNDS, proposalBounds } from '../../src/organize/bounds.js';
import { validateProposal } from '../../src/organize/validate.js';
import { jsonPart, parseAnswer, strictSchema, wireSchema } from '../../src/llm-request/wire.js';
import { proposalSchema } from '../../src/validate/schemas.js';
import { seconds } from '../../src/llm/session.js';
import { Redactor } from '../../src/llm/redact.js';
import { mkRepo, mkTrack, mkWo } from './llm-request-fixtures.js';

const T = (slug: string, parent: string | null = null, goal = `Deliver ${slug}.`) => ({ slug, name: slug, type: 'FEAT', goal, parent });
const repo = mkRepo([mkWo('WO-1'), mkWo('WO-2')], [mkTrack('platform', { goal: 'g'.repeat(900) })]);

describe('proposal bounds', () => {
  it('accepts an ordinary proposal, and restating an existing long goal', () => {
    const p = { tracks: [T('platform', null, 'g'.repeat(900)), T('runner', 'platform')], assignments: [{ wo: 'WO-1', track: 'runner' }] };
    expect(proposalBounds(p, repo)).toEqual([]);
  });

  it('names every bound an answer breaks', () => {
    const p = {
      tracks: [T('runner', null, 'x'.repeat(1_000_000)), ...Array.from({ length: 25 }, (_, i) => T(`sub-${i}`, 'platform'))],
      assignments: [{ wo: 'WO-1', track: 'runner', reason: 'r'.repeat(600) }],
      notes: Array.from({ length: 25 }, () => 'n'),
      retire: [{ slug: 'platform', reason: 'y'.repeat(501) }],
    };
    expect(proposalBounds(p, repo)).toEqual([
      'tracks[0] ("runner"): the goal is 1,000,000 characters long; keep it under 500 (one sentence).',
      'retire[0]: the reason is 501 characters long; keep it under 500 (one sentence).',
      'assignments[0] (WO-1): the reason is 600 characters long; keep it under 500 (one sentence).',
      'the proposal has 25 notes; at most 20, each a short remark.',
      'track "platform" would have 25 sub-tracks; at most 20 per parent: merge related ones, or put some under another parent.',
    ]);
  });

  it('caps the number of tracks, and validateProposal reports the bounds with the other rules', () => {
    const many = { tracks: Array.from({ length: BOUNDS.tracks + 1 }, (_, i) => T(`t-${i}`, 'platform')), assignments: [] };
    expect(proposalBounds(many, repo)[0]).toBe(`the proposal lists ${BOUNDS.tracks + 1} tracks; at most ${BOUNDS.tracks} can be added or changed at once: merge related ones, or list only the tracks you add or change.`);
    const v = validateProposal({ tracks: [T('runner', null, 'x'.repeat(501))], assignments: [{ wo: 'WO-1', track: 'runner' }, { wo: 'WO-2', track: 'runner' }] }, repo, 'initial');
    expect(v).toEqual(['tracks[0] ("runner"): the goal is 501 characters long; keep it under 500 (one sentence).']);
  });
});

describe('wire helpers for OpenAI-compatible servers', () => {
  it('strictSchema: every property required, optional ones nullable, unsupported keywords in the description', () => {
    const s = strictSchema(wireSchema(proposalSchema(), 'single', 'reorg', ['FEAT']));
    expect(s.required).toEqual(['tracks', 'merges', 'retire', 'assign', 'notes']);
    expect((s.properties as any).merges.anyOf[1]).toEqual({ type: 'null' });
    expect((s.$defs as any).slug).toEqual({ type: 'string', description: '{pattern: ^[a-z0-9]+(?:-[a-z0-9]+)*$, maxLength: 64}' });
    const text = JSON.stringify(s);
    expect(text).not.toMatch(/"(pattern|maxLength|minLength|minItems|\$id|\$schema)":/);
  });

  it('parseAnswer treats null optional fields as absent, and finds JSON wrapped in prose, fences or thinking', () => {
    const d = parseAnswer('{"tracks": [], "assign": [], "notes": null, "merges": null}', 'single');
    expect(d.value).toEqual({ tracks: [], assign: [] });
    const obj = '{"tracks": [], "assign": []}';
    expect(jsonPart(obj)).toBe(obj);
    expect(jsonPart('Here it is:\n```json\n' + obj + '\n```\nDone.')).toBe(obj);
    expect(jsonPart('<think>hmm {not this}</think>\n' + obj)).toBe(obj);
    expect(jsonPart('Sure. ' + obj + ' Hope that helps.')).toBe(obj);
    expect(jsonPart('no json here')).toBe('no json here');
    expect(jsonPart(obj + '\n\nNote: I grouped by tag.')).toBe(obj);
    expect(jsonPart('{"tracks": [ oops')).toBe('{"tracks": [ oops');
  });
});

describe('session helpers', () => {
  it('durations read as people say them', () => {
    expect([seconds(340), seconds(12_400), seconds(300_000), seconds(303_000)]).toEqual(['0.3s', '12s', '5 min', '5 min 3s']);
  });

  it('redacts keys in text and in an error chain, and leaves short values alone', () => {
    const r = new Redactor(['sk-secret-1234', undefined, 'ab']);
    expect(r.text('key sk-secret-1234 and ab')).toBe('key [redacted] and ab');
    const e = r.error(new Error('outer sk-secret-1234', { cause: new TypeError('inner sk-secret-1234') }));
    expect(e.message).toBe('outer [redacted]');
    expect(e.stack).not.toContain('sk-secret');
    expect((e.cause as Error).name).toBe('TypeError');
    expect((e.cause as Error).stack).not.toContain('sk-secret');
  });
});
