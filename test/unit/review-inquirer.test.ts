/**
 * The review through the real @inquirer/prompts (rendered by @inquirer/testing):
 * what a person sees and which keys do what, including Ctrl-C.
 */
import { screen } from '@inquirer/testing/vitest';
import { describe, expect, it } from 'vitest';
import { reviewPlan, reviewProposal } from '../../src/review/review.js';
import { buildPlan } from '../../src/plan/build.js';
import { inquirerPrompter } from '../../src/term/prompter.js';
import type { Proposal } from '../../src/organize/types.js';
import { smallRepo } from './organize-fixtures.js';

const proposal: Proposal = {
  tracks: [{ slug: 'canvas', name: 'Canvas', type: 'FEAT', goal: 'Draw', parent: 'ui' }],
  assignments: [
    { wo: 'WO-4', track: 'canvas' },
    { wo: 'WO-5', track: 'runner' },
  ],
};

describe('review with inquirer', () => {
  it('renames a track with the keyboard, then accepts the rest', async () => {
    const printed: string[] = [];
    const done = reviewProposal(smallRepo(), proposal, 'incremental', { prompter: await inquirerPrompter(), print: (s) => printed.push(s) });
    expect(screen.getScreen()).toContain('New track canvas:');
    expect(screen.getScreen()).toContain('❯ Accept');
    screen.keypress('down');
    screen.keypress('down');
    screen.keypress('enter'); // Edit…
    await screen.next();
    expect(screen.getScreen()).toContain('Edit canvas:');
    screen.keypress('enter'); // Name (Canvas)
    await screen.next();
    expect(screen.getScreen()).toContain('Name:');
    for (let i = 0; i < 'Canvas'.length; i++) screen.keypress('backspace');
    screen.type('Drawing board');
    screen.keypress('enter');
    await screen.next();
    expect(screen.getScreen()).toContain('New track canvas:');
    screen.keypress('down');
    screen.keypress('down');
    screen.keypress('down');
    screen.keypress('enter'); // Accept all remaining
    const out = await done;
    expect(out.tracks[0]!.name).toBe('Drawing board');
    expect(out.assignments).toEqual(proposal.assignments);
    expect(printed.join('')).toContain('+ canvas  FEAT  "Drawing board"  under ui');
  });

  it('Ctrl-C rejects with ExitPromptError (main turns it into exit 130, nothing written)', async () => {
    const done = reviewProposal(smallRepo(), proposal, 'incremental', { prompter: await inquirerPrompter(), print: () => {} });
    screen.keypress({ name: 'c', ctrl: true });
    await expect(done).rejects.toMatchObject({ name: 'ExitPromptError' });
  });

  it('the last screen shows the plan and its files before it asks, and a bare Enter there is a choice made on that screen', async () => {
    const repo = smallRepo();
    const printed: string[] = [];
    const finish = {
      plan: (p: Proposal) => buildPlan({ repo, proposal: p, mode: 'incremental', readText: repo.text, now: '2026-01-01T00:00:00Z' }),
      broken: () => [],
      action: () => 'Write 3 files and commit',
    };
    const done = reviewPlan(repo, proposal, 'incremental', { prompter: await inquirerPrompter(), print: (s) => printed.push(s) }, finish);
    expect(screen.getScreen()).toContain('New track canvas:');
    screen.keypress('down');
    screen.keypress('down');
    screen.keypress('down');
    screen.keypress('enter'); // Accept all remaining
    await screen.next();
    // Before the question: what will be written.
    const shown = printed.join('');
    expect(shown).toContain('Organize (incremental): 1 new track, 0 changed tracks, 0 merges, 0 retired tracks; 2 work orders move; 3 files to write.');
    expect(shown).toContain('Files (3)\nA tracks/0004_FEAT_canvas.md\nM work_orders/WO-4.md\nM work_orders/WO-5.md\n');
    expect(screen.getScreen()).toContain('Write 3 files and commit?');
    expect(screen.getScreen()).toContain('Back to the last item (revise)');
    expect(screen.getScreen()).toContain('Quit (write nothing)');
    screen.keypress('down');
    screen.keypress('enter'); // Back to the last item
    await screen.next();
    expect(screen.getScreen()).toContain('New track canvas:');
    screen.keypress({ name: 'c', ctrl: true });
    await expect(done).rejects.toMatchObject({ name: 'ExitPromptError' });
  });
});
