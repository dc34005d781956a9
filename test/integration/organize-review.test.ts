/**
 * The interactive review end to end (scripted prompter, real temp repository):
 * choices that would leave something behind are resolved by asking, the
 * review can go back, the last screen shows the plan and its files and is
 * checked against check's rules, and what is written passes `tracks check`.
 */
import { describe, expect, it } from 'vitest';
import { cli, git, read, tempRepos, track, wo } from '../helpers/repo.js';
import { makeCtx } from '../../src/cli/ctx.js';
import { runOrganize, type OrganizeOpts } from '../../src/commands/organize.js';
import { scriptedPrompter, type ScriptStep } from '../../src/term/prompter.js';
import type { Proposal, Provider } from '../../src/organize/types.js';

const { repo } = tempRepos();

/** billing and search are live; legacy (ready) holds two open work orders and is to be retired. */
function backlog(extra: Record<string, string> = {}): string {
  return repo({
    'tracks/0001_FEAT_billing.md': track('Billing', { status: 'ready' }),
    'tracks/0002_FEAT_legacy.md': track('Legacy', { status: 'ready' }),
    'tracks/0003_FEAT_search.md': track('Search', { status: 'active' }),
    'work_orders/WO-1.md': wo('WO-1', { track: 'billing' }),
    'work_orders/WO-2.md': wo('WO-2', { track: 'billing' }),
    'work_orders/WO-3.md': wo('WO-3', { track: 'search' }),
    'work_orders/WO-4.md': wo('WO-4', { track: 'legacy' }),
    'work_orders/WO-5.md': wo('WO-5', { track: 'legacy' }),
    ...extra,
  });
}

/** A new parent track with a new sub-track, legacy retired and its work moved out. Items, in order:
 * track:payments, track:refunds, retire:legacy, moves:payments, moves:refunds, moves:search. */
const proposal: Proposal = {
  tracks: [
    { slug: 'payments', name: 'Payments', type: 'FEAT', goal: 'Money in', parent: null },
    { slug: 'refunds', name: 'Refunds', type: 'FEAT', goal: 'Money back', parent: 'payments' },
  ],
  assignments: [
    { wo: 'WO-1', track: 'payments' },
    { wo: 'WO-2', track: 'refunds' },
    { wo: 'WO-3', track: 'search' },
    { wo: 'WO-4', track: 'search' },
    { wo: 'WO-5', track: 'refunds' },
  ],
  retire: [{ slug: 'legacy', reason: 'nothing left in it' }],
};
const provider: Provider = { name: 'local', propose: async () => ({ proposal: structuredClone(proposal) }) };

async function organize(d: string, steps: ScriptStep[], opts: Partial<OrganizeOpts> = {}) {
  let stdout = '';
  let stderr = '';
  const ctx = makeCtx({ stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), env: { NO_COLOR: '1', TRACKS_NO_CACHE: '1' }, cwd: d, interactive: true, isTTY: false, columns: 100 });
  const prompter = scriptedPrompter(steps);
  await runOrganize(ctx, { commit: true, format: 'text', mode: 'reorg', ...opts }, { provider, prompter });
  expect(prompter.remaining()).toBe(0);
  return { stdout, stderr, transcript: prompter.transcript };
}
const sel = (answer: unknown, expect?: string): ScriptStep => ({ kind: 'select', answer, expect });

describe('organize review, end to end', () => {
  it('rejects a parent (its sub-track goes top-level), rejects moves out of a retiring track (kept), goes back, revises at the end; check is clean', async () => {
    const d = backlog();
    const r = await organize(d, [
      sel('reject', 'New track payments'),
      sel('top', 'payments has 1 sub-track (refunds) with 2 work orders. Rejecting payments:'),
      sel('accept', 'New track refunds'),
      sel('accept', 'Retire legacy'),
      sel('accept', 'Work orders → refunds'),
      sel('back', 'Work orders → search'),
      sel('accept', 'Work orders → refunds'),
      sel('reject', 'Work orders → search'),
      sel(true, 'legacy is to be retired, but 1 open work order (WO-4) would stay in it:'),
      // The last screen: the plan and its files, then write, revise or quit.
      sel('back', 'Write 3 files and commit?'),
      sel('reject', 'Work orders → search'),
      sel(true, 'legacy is to be retired'),
      sel('write', 'Write 3 files and commit?'),
    ]);
    const final = r.stdout.slice(r.stdout.lastIndexOf('Organize (reorg)'));
    expect(final).toContain('Organize (reorg): 1 new track, 0 changed tracks, 0 merges, 0 retired tracks; 2 work orders move; 3 files to write.');
    expect(final).toContain('Files (3)\nA tracks/0004_FEAT_refunds.md\nM work_orders/WO-2.md\nM work_orders/WO-5.md\n');
    expect(r.stdout).toContain('Kept legacy: it is not retired.');
    expect(r.stdout).toMatch(/Committed [0-9a-f]{7} "tracks organize \(reorg\): 1 new track, 2 work orders moved" \(3 files\)\./);
    expect(read(d, 'tracks/0002_FEAT_legacy.md')).toContain('status: ready');
    expect(read(d, 'tracks/0004_FEAT_refunds.md')).toMatch(/^parent: null$/m);
    expect(read(d, 'work_orders/WO-4.md')).toContain('track: legacy');
    expect(read(d, 'work_orders/WO-1.md')).toContain('track: billing');
    const check = await cli(d, ['check']);
    expect(check.stdout).toContain('0 errors');
    expect(check.code).toBe(0);
    expect(git(d, 'status', '--porcelain')).toBe('');
  });

  it('rejecting a parent and its sub-tracks leaves their work where it was: the retiring track keeps it, so it is kept', async () => {
    const d = backlog();
    await organize(d, [
      sel('reject', 'New track payments'),
      sel('reject', 'Rejecting payments'),
      sel(true, 'legacy is to be retired, but 1 open work order (WO-5) would stay in it:'),
      sel('accept-all', 'Work orders → search'),
      sel('write', 'Write 1 file and commit?'),
    ]);
    expect(read(d, 'tracks/0002_FEAT_legacy.md')).toContain('status: ready');
    expect(read(d, 'work_orders/WO-5.md')).toContain('track: legacy');
    expect((await cli(d, ['check'])).code).toBe(0);
  });

  it('a plan that would break a rule is not offered for writing: the review says which rule and goes back', async () => {
    // A second file with WO-5's id, in legacy: organize cannot move it (its id is taken), so retiring legacy would strand it.
    const d = backlog({ 'work_orders/WO-5b.md': wo('WO-5', { track: 'legacy', title: 'Copy' }) });
    const r = await organize(d, [
      sel('accept-all', 'New track payments'),
      // Broken: the review says which rule, and goes back to the last item decided (accept-all at the first item).
      sel('accept', 'New track payments'),
      sel('accept', 'New track refunds'),
      sel('reject', 'Retire legacy'),
      sel('accept-all', 'Work orders → payments'),
      sel('write', 'Write 6 files and commit?'),
    ]);
    expect(r.stdout).toContain('Not possible: the reviewed plan would break a rule that `tracks check` enforces:\n  tracks/0002_FEAT_legacy.md: track is archived but still holds 1 open work order [track/retired-with-open-work]');
    expect(read(d, 'tracks/0002_FEAT_legacy.md')).toContain('status: ready');
    const check = await cli(d, ['check']);
    expect(check.stdout).not.toContain('track/retired-with-open-work');
    expect(check.stdout).toContain('1 error'); // the duplicate id, there before
  });

  it('nothing accepted: says so, and quits (the default) or goes back', async () => {
    const d = backlog();
    const r = await organize(d, [
      sel('reject-all', 'New track payments'),
      // Rejecting the moves out of legacy leaves its work in it: reject-all asks too.
      sel(true, 'legacy is to be retired, but 1 open work order (WO-5) would stay in it:'),
      sel('back', 'Nothing to write'),
      sel('reject-all', 'New track payments'),
      sel(true, 'legacy is to be retired'),
      sel('quit', 'Nothing to write'),
    ]);
    expect(r.stdout).toContain('Nothing accepted: the reviewed plan changes no file.');
    expect(r.stderr).toContain('No files changed.');
  });
});
