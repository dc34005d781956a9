import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, git, ls, read, removeRepo, tempRepo, write } from '../helpers/repo.js';
import { makeCtx } from '../../src/cli/ctx.js';
import { runOrganize, type OrganizeOpts } from '../../src/commands/organize.js';
import { TracksError } from '../../src/errors/index.js';
import { scriptedPrompter, type Prompter } from '../../src/term/prompter.js';
import type { Provider } from '../../src/organize/types.js';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) removeRepo(dirs.pop()!);
});

/** A fresh repository of work orders in three themes, no tracks. */
function backlog(): string {
  const files: Record<string, string> = {};
  const themes: [string, string[]][] = [
    ['billing', ['Invoice PDF export', 'Billing retry on card decline', 'Invoice tax rounding', 'Billing email receipts']],
    ['search', ['Search index rebuild', 'Search ranking for titles', 'Search typo tolerance', 'Search result highlighting']],
    ['onboarding', ['Onboarding welcome tour', 'Onboarding checklist widget', 'Onboarding invite teammates', 'Onboarding sample project']],
  ];
  let n = 0;
  for (const [tag, titles] of themes) {
    for (const title of titles) {
      const id = `WO-2026-${String(++n).padStart(3, '0')}`;
      // A comment and odd spacing that a lossless edit must keep.
      files[`work_orders/${id}.md`] = `---\nid: ${id}\ntitle: ${title}   # keep me\nstatus: ready\ntags: [${tag}]\ngoal: "${title} for ${tag}."\n---\n\n# ${title}\n`;
    }
  }
  const d = tempRepo(files);
  dirs.push(d);
  return d;
}

const status = (d: string) => git(d, 'status', '--porcelain');
const head = (d: string) => git(d, 'rev-parse', 'HEAD').trim();

describe('tracks organize (offline)', () => {
  it('without a terminal it never prompts: it asks for --yes, --dry-run or --plan-out', async () => {
    const d = backlog();
    const r = await cli(d, ['organize']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('No ANTHROPIC_API_KEY and no llm.base_url or OPENAI_BASE_URL: using the offline organizer.');
    expect(r.stderr).toContain('Mode: initial (no tracks yet; choose another with --mode).');
    expect(r.stderr).toContain('hint: Pass --yes to apply without review, --dry-run to only show the plan, or --plan-out <file>');
    expect(status(d)).toBe('');
  });

  it('--dry-run shows the plan and writes nothing; --format json prints the plan', async () => {
    const d = backlog();
    const r = await cli(d, ['organize', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Organize \(initial\): 3 new tracks, 0 changed tracks, 0 merges, 0 retired tracks; 12 work orders move; 15 files to write\./);
    expect(r.stdout).toContain('WO-2026-001  Invoice PDF export  (none) → ');
    const j = await cli(d, ['organize', '--dry-run', '--format', 'json']);
    const plan = JSON.parse(j.stdout);
    expect(plan).toMatchObject({ version: 2, kind: 'organize', mode: 'initial', provider: 'local', summary: { newTracks: 3, moved: 12, files: 15 } });
    expect(status(d)).toBe('');
  });

  it('without a terminal it never prompts: refused when there is something to review, quiet when there is nothing', async () => {
    const d = backlog();
    const r = await cli(d, ['organize']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[NEEDS_TTY]');
    expect(r.stderr).toContain('No files changed.');
    expect(status(d)).toBe('');
    expect((await cli(d, ['organize', '--yes'])).code).toBe(0);
    const again = await cli(d, ['organize', '--mode', 'reorg']);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('Nothing to change: the proposal matches the repository. No files changed.');
  });

  it('--yes writes and commits exactly the planned files, leaving other staged work alone; check then passes', async () => {
    const d = backlog();
    write(d, 'notes.txt', 'mine\n');
    git(d, 'add', 'notes.txt');
    const plan = JSON.parse((await cli(d, ['organize', '--dry-run', '--format', 'json'])).stdout);
    const before = read(d, 'work_orders/WO-2026-001.md');
    const r = await cli(d, ['organize', '--yes']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Committed [0-9a-f]{7} "tracks organize \(initial\): 3 new tracks, 12 work orders assigned" \(15 files\)\./);
    const committed = git(d, 'show', '--name-only', '--format=', 'HEAD').trim().split('\n').sort();
    expect(committed).toEqual(plan.changes.map((c: { path: string }) => c.path).sort());
    expect(status(d)).toBe('A  notes.txt\n');
    const after = read(d, 'work_orders/WO-2026-001.md');
    expect(after.replace(/^track: .*\n/m, '')).toBe(before);
    expect(after).toContain('title: Invoice PDF export   # keep me\n');
    const check = await cli(d, ['check']);
    expect(check.stdout).toContain('0 errors, 0 warnings');
    expect(check.code).toBe(0);
    // Organized: a second run has nothing to do.
    const again = await cli(d, ['organize', '--yes']);
    expect(again.stderr).toContain('Mode: reorg (every work order has a track');
    expect(again.stderr).toContain('Nothing to change: the proposal matches the repository. No files changed.');
  });

  it('with ANTHROPIC_API_KEY the default is anthropic; --dry-run shows size and cost without calling', async () => {
    const d = backlog();
    // 127.0.0.1:9 refuses connections: if anything tried to call, the run would fail.
    const env = { ANTHROPIC_API_KEY: 'sk-test-not-real', ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' };
    const r = await cli(d, ['organize', '--dry-run', '--max-cost', '0.000001'], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('offline organizer');
    expect(r.stdout).toMatch(/^Dry run \(initial, [\w.-]+\): 1 request, about [\d,]+ input and [\d,]+ output tokens, estimated \$\d+\.\d\d\.\n/);
    expect(r.stdout).toContain('That is over --max-cost $0.00: a real run would refuse to start.');
    expect(r.stdout + r.stderr).not.toContain('sk-test-not-real');
    const j = JSON.parse((await cli(d, ['organize', '--dry-run', '--format', 'json'], { env })).stdout);
    expect(j).toMatchObject({ mode: 'initial', provider: 'anthropic', estimate: { requests: 1, workOrders: 12 } });
    const missing = await cli(d, ['organize', '--provider', 'anthropic', '--dry-run']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('the anthropic provider needs ANTHROPIC_API_KEY in the environment');
    expect(status(d)).toBe('');
  });

  it('--plan-out saves a plan that `tracks apply` applies later', async () => {
    const d = backlog();
    const r = await cli(d, ['organize', '--plan-out', 'plan.json']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Plan saved to plan.json; apply it with: tracks apply plan.json');
    expect(status(d)).toBe('?? plan.json\n');
    const a = await cli(d, ['apply', 'plan.json', '--yes']);
    expect(a.code).toBe(0);
    expect(a.stdout).toContain('An organize plan: 15 files to change.\n  4 work orders: track → billing');
    expect(a.stderr).toMatch(/^Committed [0-9a-f]{7} "tracks organize \(initial\): 3 new tracks, 12 work orders assigned" \(15 files\)\.$/m);
    expect(status(d)).toBe('?? plan.json\n');
  });

  it('apply refuses a plan whose files changed since, and writes nothing', async () => {
    const d = backlog();
    await cli(d, ['organize', '--plan-out', 'plan.json']);
    write(d, 'work_orders/WO-2026-003.md', read(d, 'work_orders/WO-2026-003.md').replace('status: ready', 'status: done'));
    git(d, 'commit', '-qam', 'someone edits a work order');
    const h = head(d);
    const a = await cli(d, ['apply', 'plan.json', '--yes']);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('1 file changed since the plan was made: work_orders/WO-2026-003.md (changed)');
    expect(a.stderr).toContain('[PLAN_STALE]');
    expect(head(d)).toBe(h);
    expect(status(d)).toBe('?? plan.json\n');
    const noTty = await cli(d, ['apply', 'plan.json']);
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toContain('Pass --yes to apply without asking');
  });

  it('refuses to commit over uncommitted changes in a file it would write, or during a merge', async () => {
    const d = backlog();
    write(d, 'work_orders/WO-2026-002.md', read(d, 'work_orders/WO-2026-002.md') + '\nMore notes.\n');
    const r = await cli(d, ['organize', '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('uncommitted changes in work_orders/WO-2026-002.md');
    expect(status(d)).toBe(' M work_orders/WO-2026-002.md\n');
    git(d, 'checkout', '--', 'work_orders/WO-2026-002.md');
    write(d, join('.git', 'MERGE_HEAD'), head(d) + '\n');
    const m = await cli(d, ['organize', '--yes']);
    expect(m.code).toBe(2);
    expect(m.stderr).toContain('a merge is in progress');
    expect(status(d)).toBe('');
  });

  it('a failing late step (the commit hook) leaves the repository exactly as it was', async () => {
    const d = backlog();
    write(d, '.git/hooks/pre-commit', '#!/bin/sh\necho "hook says no" >&2\nexit 1\n');
    const { chmodSync } = await import('node:fs');
    chmodSync(join(d, '.git/hooks/pre-commit'), 0o755);
    const h = head(d);
    const r = await cli(d, ['organize', '--yes']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('a git hook refused the commit; it said:\n  hook says no\nThe files were put back as they were. No files changed. [HOOK_REFUSED]');
    expect(head(d)).toBe(h);
    expect(status(d)).toBe('');
    expect(ls(d, 'tracks')).toEqual([]);
  });

  it('leaves finished tracks alone: a reorg of a backlog whose work is all in them has nothing to do', async () => {
    const d = tempRepo({
      'tracks/0001_FEAT_billing.md': '---\nname: Billing\ntype: FEAT\nstatus: completed\ngoal: Invoices out\nparent: null\n---\n',
      'work_orders/WO-1.md': '---\nid: WO-1\ntitle: Search index rebuild\nstatus: done\ntags: [search]\ntrack: billing\n---\n',
      'work_orders/WO-2.md': '---\nid: WO-2\ntitle: Invoice export\nstatus: done\ntags: [billing]\ntrack: billing\n---\n',
    });
    dirs.push(d);
    const r = await cli(d, ['organize', '--mode', 'reorg', '--yes']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Nothing to organize: every work order is in a finished track, which organize leaves as it is. No files changed.');
    expect(status(d)).toBe('');
  });
});

/** In-process runs with a provider or prompter object (the seams organize offers). */
async function organizeWith(d: string, opts: Partial<OrganizeOpts>, deps: { provider?: Provider; prompter?: Prompter }, interactive = false) {
  let stdout = '';
  let stderr = '';
  const ctx = makeCtx({ stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), env: { NO_COLOR: '1' }, cwd: d, interactive, isTTY: false, columns: 100 });
  let error: unknown;
  try {
    await runOrganize(ctx, { commit: true, format: 'text', ...opts }, deps);
  } catch (e) {
    error = e;
  }
  return { stdout, stderr, error };
}

describe('organize with other providers and the review', () => {
  it('an answer still invalid after correction rounds is saved for inspection and nothing is written', async () => {
    const d = backlog();
    const provider: Provider = {
      name: 'anthropic',
      async propose() {
        throw Object.assign(new TracksError('LLM_INVALID_PROPOSAL', 'the model did not produce a valid proposal after 2 correction rounds'), { raw: '{"tracks": "nope"}' });
      },
    };
    const r = await organizeWith(d, { yes: true }, { provider });
    expect(r.error).toBeInstanceOf(TracksError);
    const saved = join(d, '.git', 'tracks', 'rejected-proposal.json');
    expect((r.error as Error).message).toBe(`the model did not produce a valid proposal after 2 correction rounds. The raw answer is saved in ${saved}.`);
    expect(readFileSync(saved, 'utf8')).toBe('{"tracks": "nope"}\n');
    expect(status(d)).toBe('');
  });

  it('a provider that returns an invalid proposal is stopped by validation here too', async () => {
    const d = backlog();
    const provider: Provider = { name: 'anthropic', propose: async () => ({ proposal: { tracks: [], assignments: [{ wo: 'WO-9999', track: 'x' }] } }) };
    const r = await organizeWith(d, { yes: true }, { provider });
    expect((r.error as TracksError).code).toBe('PROPOSAL_INVALID');
    expect((r.error as Error).message).toContain('assignments name work orders that do not exist: WO-9999');
    expect(status(d)).toBe('');
  });

  it('interactive: summary, item-by-item review, a final confirmation, one commit', async () => {
    const d = backlog();
    const prompter = scriptedPrompter([
      { kind: 'select', expect: 'New track', answer: 'reject' },
      { kind: 'select', expect: 'New track', answer: 'accept-all' },
      { kind: 'select', expect: 'Write 10 files and commit?', answer: 'write' },
    ]);
    const r = await organizeWith(d, {}, { prompter }, true);
    expect(r.error).toBeUndefined();
    expect(r.stdout).toMatch(/^Organize \(initial\): 3 new tracks/);
    expect(r.stdout).toContain('[1/6] New track');
    expect(r.stdout).toContain('2 new tracks, 0 changed tracks, 0 merges, 0 retired tracks; 8 work orders move; 10 files to write.');
    expect(r.stdout).toMatch(/Committed [0-9a-f]{7} .*\(10 files\)\./);
    expect(prompter.remaining()).toBe(0);
    expect(status(d)).toBe('');
  });

  it('interactive: answering no at the end writes nothing', async () => {
    const d = backlog();
    const prompter = scriptedPrompter([
      { kind: 'select', answer: 'accept-all' },
      { kind: 'select', expect: 'Write 15 files and commit?', answer: 'quit' },
    ]);
    const r = await organizeWith(d, {}, { prompter }, true);
    expect(r.stderr).toContain('No files changed.');
    expect(git(d, 'log', '--oneline').trim().split('\n')).toHaveLength(1);
    expect(status(d)).toBe('');
  });
});
