import { describe, expect, it } from 'vitest';
import { reviewProposal } from '../../src/review/review.js';
import { scriptedPrompter, type ScriptStep } from '../../src/term/prompter.js';
import type { Proposal } from '../../src/organize/types.js';
import { smallRepo } from './organize-fixtures.js';
import { validateProposal } from '../../src/organize/validate.js';

const proposal = (): Proposal => ({
  tracks: [
    { slug: 'canvas', name: 'Canvas', type: 'FEAT', goal: 'Draw', parent: 'ui' },
    { slug: 'canvas-perf', name: 'Canvas speed', type: 'FEAT', goal: 'Fast', parent: 'canvas' },
    { slug: 'runner', name: 'Runner reliability', type: 'FEAT', goal: 'Goal of Runner', parent: null },
  ],
  assignments: [
    { wo: 'WO-4', track: 'canvas-perf' },
    { wo: 'WO-5', track: 'runner' },
  ],
});
// Items, in order: track:canvas, track:canvas-perf, track:runner (rename), moves:canvas-perf, moves:runner.

async function review(steps: ScriptStep[], mode: 'incremental' | 'reorg' = 'reorg') {
  const printed: string[] = [];
  const prompter = scriptedPrompter(steps);
  const out = await reviewProposal(smallRepo(), proposal(), mode, { prompter, print: (s) => printed.push(s) });
  expect(prompter.remaining()).toBe(0);
  return { out, printed: printed.join(''), transcript: prompter.transcript };
}
const sel = (answer: unknown, expect?: string): ScriptStep => ({ kind: 'select', answer, expect });

describe('review', () => {
  it('accept-all keeps the proposal as it was', async () => {
    const { out, printed } = await review([sel('accept-all', 'New track canvas')]);
    expect(out).toEqual(proposal());
    expect(printed).toContain('[1/5] New track');
  });

  it('rejecting a track with sub-tracks asks what becomes of them: rejected too, their work orders stay', async () => {
    const { out, transcript, printed } = await review([
      sel('reject', 'New track canvas'),
      sel('reject', 'canvas has 1 sub-track (canvas-perf) with 1 work order. Rejecting canvas:'),
      sel('accept', 'Changed track runner'),
      sel('accept', 'Work orders → runner'),
    ]);
    expect(out.tracks.map((t) => t.slug)).toEqual(['runner']);
    expect(out.assignments).toEqual([{ wo: 'WO-5', track: 'runner' }]);
    expect(transcript).toHaveLength(4); // canvas-perf and its moves were not asked about
    expect(printed).toContain('Rejected canvas and canvas-perf: 1 work order stays where it is.');
  });

  it('rejecting a track with sub-tracks can make them top-level, keeping their work', async () => {
    const { out } = await review([
      sel('reject', 'New track canvas'),
      sel('top', 'Rejecting canvas'),
      sel('accept', 'New track canvas-perf'),
      sel('accept-all', 'Changed track runner'),
    ]);
    expect(out.tracks.map((t) => [t.slug, t.parent])).toEqual([
      ['canvas-perf', null],
      ['runner', null],
    ]);
    expect(out.assignments).toEqual(proposal().assignments);
  });

  it('rejecting a track with sub-tracks can put them under another track, or go back and keep it', async () => {
    const { out } = await review([
      sel('reject', 'New track canvas'),
      sel('back', 'Rejecting canvas'),
      sel('reject', 'New track canvas'),
      sel('under', 'Rejecting canvas'),
      sel('runner-retries', 'Put canvas-perf under'),
      sel('accept-all', 'New track canvas-perf'),
    ]);
    expect(out.tracks.find((t) => t.slug === 'canvas-perf')!.parent).toBe('runner-retries');
    expect(out.tracks.some((t) => t.slug === 'canvas')).toBe(false);
    expect(out.assignments).toEqual(proposal().assignments);
  });

  it('rejecting a new track that an existing track was to move under says where that track stays', async () => {
    const p: Proposal = {
      tracks: [
        { slug: 'front', name: 'Front end', type: 'FEAT', goal: 'All of it', parent: null },
        { slug: 'ui', name: 'UI', type: 'FEAT', goal: 'Goal of UI', parent: 'front' },
      ],
      assignments: [],
    };
    const printed: string[] = [];
    const prompter = scriptedPrompter([sel('reject', 'New track front')]);
    const out = await reviewProposal(smallRepo(), p, 'reorg', { prompter, print: (x) => printed.push(x) });
    // ui is restated as it is now: nothing left to review, nothing changes.
    expect(out).toEqual({ tracks: [{ slug: 'ui', name: 'UI', type: 'FEAT', goal: 'Goal of UI', parent: null }], assignments: [] });
    expect(printed.join('')).toContain('ui stays at the top level.');
  });

  it('goes back to the previous item and undoes what was decided there', async () => {
    const { out, transcript } = await review([
      sel('accept', 'New track canvas'),
      sel('reject', 'New track canvas-perf'),
      sel('back', 'Changed track runner'),
      sel('back', 'New track canvas-perf'),
      sel('accept', 'New track canvas'),
      sel('accept-all', 'New track canvas-perf'),
    ]);
    expect(out).toEqual(proposal());
    expect(transcript[2]).toBe('select: Changed track runner:');
  });

  it('the first item offers no way back; every later one does', async () => {
    const seen: string[][] = [];
    const prompter = scriptedPrompter([sel('accept'), sel('accept-all')]);
    const spy = { ...prompter, select: <T,>(o: { message: string; choices: { name: string; value: T }[] }) => (seen.push(o.choices.map((c) => c.name)), prompter.select<T>(o)) };
    await reviewProposal(smallRepo(), proposal(), 'reorg', { prompter: spy, print: () => {} });
    expect(seen[0]).not.toContain('Back to the previous item');
    expect(seen[1]).toContain('Back to the previous item');
  });

  it('edits a track name and type, then moves one work order and drops another', async () => {
    const { out } = await review([
      sel('edit', 'New track canvas'),
      sel('name', 'Edit canvas'),
      { kind: 'input', expect: 'Name', answer: 'Drawing' },
      sel('edit', 'New track canvas'),
      sel('type', 'Edit canvas'),
      sel('EXP', 'Type'),
      sel('accept', 'New track canvas'),
      sel('accept', 'New track canvas-perf'),
      sel('accept', 'Changed track runner'),
      sel('edit', 'Work orders → canvas-perf'),
      sel('move'),
      sel('WO-4', 'Which work order'),
      sel('ui', 'Move WO-4 to'),
      sel('edit', 'Work orders → runner'),
      sel('drop'),
      sel('WO-5', 'Drop which'),
    ]);
    expect(out.tracks[0]).toEqual({ slug: 'canvas', name: 'Drawing', type: 'EXP', goal: 'Draw', parent: 'ui' });
    expect(out.assignments).toEqual([{ wo: 'WO-4', track: 'ui' }]);
  });

  it('does not offer a track\'s own sub-tracks as its parent', async () => {
    const prompter = scriptedPrompter([sel('edit', 'New track canvas'), sel('parent'), sel('canvas-perf', 'Parent of canvas')]);
    await expect(reviewProposal(smallRepo(), proposal(), 'reorg', { prompter, print: () => {} })).rejects.toThrow(
      'no choice "canvas-perf" in "Parent of canvas:" (choices: (top level) | runner | runner-retries | ui)',
    );
  });

  it('an edit that would exceed the top-level limit is refused with the rule', async () => {
    const printed: string[] = [];
    const prompter = scriptedPrompter([sel('edit', 'New track canvas'), sel('parent'), sel(null, 'Parent of canvas'), sel('accept-all')]);
    const repo = smallRepo({ topLevelLimit: 2 });
    const out = await reviewProposal(repo, proposal(), 'reorg', { prompter, print: (s) => printed.push(s) });
    expect(printed.join('')).toContain('Not possible: 3 top-level tracks (runner, ui, canvas) exceed the limit of 2');
    expect(out).toEqual(proposal());
  });

  it('reject-all keeps nothing', async () => {
    const { out } = await review([sel('accept', 'New track canvas'), sel('reject-all', 'New track canvas-perf')]);
    expect(out.tracks.map((t) => t.slug)).toEqual(['canvas']);
    expect(out.assignments).toEqual([]);
  });

  it('incremental: a work order can be moved to any live track, sub-tracks included', async () => {
    const p: Proposal = { tracks: [], assignments: [{ wo: 'WO-4', track: 'ui' }, { wo: 'WO-5', track: 'runner' }] };
    const printed: string[] = [];
    const prompter = scriptedPrompter([
      sel('accept', 'Work orders → runner'),
      sel('edit', 'Work orders → ui'),
      sel('move'),
      sel('WO-4'),
      sel('runner-retries', 'Move WO-4 to'),
      // the ui group is now empty, so there is nothing left to ask
    ]);
    const out = await reviewProposal(smallRepo(), p, 'incremental', { prompter, print: (s) => printed.push(s) });
    expect(out.assignments).toEqual([{ wo: 'WO-5', track: 'runner' }, { wo: 'WO-4', track: 'runner-retries' }]);
    expect(prompter.remaining()).toBe(0);
  });
});

describe('review: retiring a track', () => {
  // ui is retired and its one open work order moves to runner. Items: retire:ui, moves:runner.
  const retiring = (): Proposal => ({ tracks: [], assignments: [{ wo: 'WO-3', track: 'runner' }], retire: [{ slug: 'ui', reason: 'folded into runner' }] });
  async function run(steps: ScriptStep[]) {
    const printed: string[] = [];
    const prompter = scriptedPrompter(steps);
    const out = await reviewProposal(smallRepo({}, 'ready'), retiring(), 'reorg', { prompter, print: (s) => printed.push(s) });
    expect(prompter.remaining()).toBe(0);
    return { out, printed: printed.join('') };
  }

  it('rejecting the moves out of it asks whether to keep it, and keeping it keeps the repository valid', async () => {
    const { out, printed } = await run([
      sel('accept', 'Retire ui'),
      sel('reject', 'Work orders → runner'),
      sel(true, 'ui is to be retired, but 1 open work order (WO-3) would stay in it:'),
    ]);
    expect(out).toEqual({ tracks: [], assignments: [] });
    expect(printed).toContain('Kept ui: it is not retired.');
    expect(validateProposal(out, smallRepo({}, 'ready'), 'reorg', { complete: false })).toEqual([]);
  });

  it('or not to reject them after all', async () => {
    const { out } = await run([sel('accept', 'Retire ui'), sel('reject', 'Work orders → runner'), sel(false, 'ui is to be retired'), sel('accept', 'Work orders → runner')]);
    expect(out).toEqual(retiring());
  });

  it('dropping one assignment out of it asks the same', async () => {
    const { out } = await run([sel('accept', 'Retire ui'), sel('edit', 'Work orders → runner'), sel('drop'), sel('WO-3'), sel(true, 'ui is to be retired')]);
    expect(out.retire).toBeUndefined();
    expect(out.assignments).toEqual([]);
  });

  it('reject-all asks too', async () => {
    const { out } = await run([sel('accept', 'Retire ui'), sel('reject-all', 'Work orders → runner'), sel(true, 'ui is to be retired')]);
    expect(out).toEqual({ tracks: [], assignments: [] });
  });

  it('rejecting the move of a sub-track out of it asks the same', async () => {
    // runner is retired: its sub-track runner-retries goes under ui, its work order to ui.
    const p: Proposal = {
      tracks: [{ slug: 'runner-retries', name: 'Runner retries', type: 'FIX', goal: 'Goal of Runner retries', parent: 'ui' }],
      assignments: [{ wo: 'WO-1', track: 'ui' }],
      retire: [{ slug: 'runner', reason: 'split up' }],
    };
    const prompter = scriptedPrompter([
      sel('accept', 'Changed track runner-retries'),
      sel('accept', 'Retire runner'),
      sel('back', 'Work orders → ui'),
      sel('back', 'Retire runner'),
      sel('reject', 'Changed track runner-retries'),
      sel(true, 'runner is to be retired, but its sub-track runner-retries would stay in it:'),
      sel('accept-all', 'Work orders → ui'),
    ]);
    const out = await reviewProposal(smallRepo({}, 'ready'), p, 'reorg', { prompter, print: () => {} });
    expect(prompter.remaining()).toBe(0);
    expect(out).toEqual({ tracks: [], assignments: [{ wo: 'WO-1', track: 'ui' }] });
  });

  it('validation names the open work a retired track would keep', () => {
    const p: Proposal = { tracks: [], assignments: [], retire: [{ slug: 'ui', reason: 'x' }] };
    expect(validateProposal(p, smallRepo({}, 'ready'), 'reorg', { complete: false })).toEqual([
      '"ui" is retired but would still hold 1 open work order (WO-3); assign it to a live track, or do not retire "ui".',
    ]);
  });
});

describe('scripted prompter', () => {
  it('fails on a prompt it does not expect', async () => {
    const p = scriptedPrompter([{ kind: 'confirm', answer: true }]);
    await expect(p.select({ message: 'Pick', choices: [{ name: 'a', value: 'a' }] })).rejects.toThrow('expected a confirm prompt but got select: Pick');
    await expect(p.confirm({ message: 'Again?' })).rejects.toThrow('unexpected confirm prompt: Again?');
  });
});

describe('counted nouns', () => {
  it('one and many', async () => {
    const { plural, noun } = await import('../../src/render/plural.js');
    expect([plural(1, 'work order'), plural(0, 'work order'), plural(2, 'dependency', 'dependencies'), noun(1, 'entry', 'entries')]).toEqual(['1 work order', '0 work orders', '2 dependencies', 'entry']);
  });
});
