/**
 * Issue 14, point 2: terminal injection. A repository full of hostile titles,
 * goals, tags, statuses, ids, track names and a file name, rendered by every
 * command in every format: no raw control byte or bidi override reaches the
 * output, with or without colour; markdown holds no HTML; JSON round-trips to
 * the exact values.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, removeRepo, tempRepo, wo } from '../helpers/repo.js';
import { ATTACKS, HOSTILE, RAW_CONTROL, foreignEscapes, hostileTextRepo, snapshot, yamlString } from '../helpers/hostile.js';
import { ok, startFake } from '../helpers/fake-anthropic.js';
import { reviewProposal } from '../../src/review/review.js';
import { scriptedPrompter, type Choice, type Prompter } from '../../src/term/prompter.js';
import { repoFrom, trk, wo as memWo } from '../unit/organize-fixtures.js';

type Kind = 'text' | 'json' | 'md' | 'html';
const RUNS: [string[], Kind][] = [
  [['list'], 'text'],
  [['list', '--format', 'json'], 'json'],
  [['list', '--tracks'], 'text'],
  [['list', '--tracks', '--format', 'json'], 'json'],
  [['list', '--unassigned'], 'text'],
  [['show', 'runner'], 'text'],
  [['show', 'runner', '--format', 'json'], 'json'],
  [['status'], 'text'],
  [['status', '--format', 'json'], 'json'],
  [['report'], 'md'],
  [['report', '--format', 'json'], 'json'],
  [['tree'], 'text'],
  [['tree', '--by', 'era'], 'text'],
  [['tree', '--format', 'mermaid'], 'text'],
  [['tree', '--format', 'html'], 'html'],
  [['context', 'runner'], 'md'],
  [['context', 'runner', '--format', 'json'], 'json'],
  [['next'], 'text'],
  [['next', 'runner'], 'text'],
  [['next', 'runner', '--format', 'json'], 'json'],
  [['check'], 'text'],
  [['check', '--format', 'json'], 'json'],
  [['check', '--format', 'github'], 'text'],
  [['experiment', 'list'], 'text'],
  [['experiment', 'compare', 'speed'], 'text'],
  [['experiment', 'compare', 'speed', '--format', 'md'], 'md'],
  [['experiment', 'compare', 'speed', '--format', 'json'], 'json'],
  [['organize', '--dry-run', '--provider', 'local'], 'text'],
  [['organize', '--dry-run', '--provider', 'local', '--format', 'json'], 'json'],
  // Error messages quote what was asked for.
  [['show', `runner${ATTACKS.clear}${ATTACKS.title}`], 'text'],
  [['assign', `WO-9${ATTACKS.bidi}`, '--track', 'runner', '--no-commit'], 'text'],
];

const COLOUR = { NO_COLOR: undefined, FORCE_COLOR: '1' };

let dir: string;
beforeAll(() => {
  dir = hostileTextRepo();
});
afterAll(() => removeRepo(dir));

describe('every command and format on hostile values', () => {
  it.each(RUNS)('%j prints nothing a terminal acts on', async (args, kind) => {
    const before = snapshot(dir);
    const r = await cli(dir, args);
    const all = r.stdout + r.stderr;
    expect(r.code, all).toBeLessThan(3);
    const m = RAW_CONTROL.exec(all);
    expect(m ? JSON.stringify(all.slice(Math.max(0, m.index - 30), m.index + 30)) : null).toBeNull();
    if (kind === 'md') {
      expect(r.stdout).not.toMatch(/<script|<img|&amp;(?!amp;)/i);
      expect(r.stdout).toContain('&lt;script&gt;');
    }
    if (kind === 'html') expect(r.stdout).not.toMatch(/<script>alert|<img src=x/i);
    if (kind === 'json') JSON.parse(r.stdout);
    // With colour on, only the tool's own colour sequences, and never "conceal".
    const coloured = await cli(dir, args, { env: COLOUR });
    expect(foreignEscapes(coloured.stdout + coloured.stderr)).toEqual([]);
    expect(snapshot(dir)).toEqual(before);
  });

  it('makes the attacks visible rather than dropping them', async () => {
    const r = await cli(dir, ['list']);
    expect(r.stdout).toContain('␛[2J␛[H');
    expect(r.stdout).toContain('␛]0;pwned␇');
    const shown = await cli(dir, ['show', 'runner']);
    expect(shown.stdout).toContain('invoice\\u202etxt.exe\\u2066iso\\u2069');
    expect(shown.stdout).toContain('csi\\u009b31mred');
    expect(shown.stdout).toContain('looks fine␍OVERWRITTEN');
    expect(shown.stdout).toContain('abc␈␈␈xyz');
    const err = await cli(dir, ['show', `x${ATTACKS.title}`]);
    expect(err.code).toBe(2);
    expect(err.stderr).toContain('x␛]0;pwned␇');
  });

  it('files written by tree --out hold no raw control or bidi character either', async () => {
    const out = mkdtempSync(join(tmpdir(), 'tracks-out-'));
    try {
      for (const name of ['tree.html', 'tree.mmd', 'tree.md', 'tree.txt']) {
        const r = await cli(dir, ['tree', '--out', join(out, name)]);
        expect(r.code).toBe(0);
        const text = readFileSync(join(out, name), 'utf8');
        expect(RAW_CONTROL.test(text), name).toBe(false);
        expect(text).not.toMatch(/<script>alert|<img src=x/);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('JSON keeps the exact values', async () => {
    const list = JSON.parse((await cli(dir, ['list', '--format', 'json'])).stdout).workOrders;
    expect(list.find((w: { id: string }) => w.id === 'WO-1')).toMatchObject({ title: HOSTILE, status: ATTACKS.title });
    expect(list.map((w: { path: string }) => w.path)).toContain(`work_orders/WO-4-${ATTACKS.clear}.md`);
    const show = JSON.parse((await cli(dir, ['show', 'runner', '--format', 'json'])).stdout);
    expect(show.name).toBe(HOSTILE);
    expect(show.goal).toBe(`${HOSTILE}\nsecond line ${ATTACKS.clear}`);
    const pack = JSON.parse((await cli(dir, ['context', 'runner', '--format', 'json'])).stdout);
    expect(pack.track.hypothesis).toBe(HOSTILE);
    expect(pack.history[0].reason).toBe(HOSTILE);
    const next = JSON.parse((await cli(dir, ['next', 'runner', '--format', 'json'])).stdout);
    expect(next.ready[0].title).toBe(HOSTILE);
    const report = JSON.parse((await cli(dir, ['report', '--format', 'json'])).stdout);
    expect(report.tracks[0].name).toBe(HOSTILE);
    const compare = JSON.parse((await cli(dir, ['experiment', 'compare', 'speed', '--format', 'json'])).stdout);
    expect(compare.tracks[0].hypothesis).toBe(HOSTILE);
    // The raw JSON text holds the bidi and C1 characters as escapes, not as themselves.
    expect((await cli(dir, ['list', '--format', 'json'])).stdout).toContain('\\u202e');
  });
});

describe('what the model says, shown to a person', () => {
  it('a stop_reason in an error message is shown, not obeyed', async () => {
    const d = tempRepo({ 'work_orders/WO-2026-001.md': wo('WO-2026-001') });
    const fake = await startFake([ok('{"tracks": []}', { stop_reason: `pause_turn${ATTACKS.clear}${ATTACKS.title}` })]);
    try {
      const r = await cli(d, ['organize', '--provider', 'anthropic', '--yes'], { env: { ANTHROPIC_API_KEY: 'sk-test', ANTHROPIC_BASE_URL: fake.url } });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('[LLM_UNEXPECTED_STOP]');
      expect(r.stderr).toContain('pause_turn␛[2J␛[H␛]0;pwned␇');
      expect(RAW_CONTROL.test(r.stdout + r.stderr)).toBe(false);
    } finally {
      await fake.close();
      removeRepo(d);
    }
  });

  it('the organize review shows hostile names, goals and titles as text, in the terminal and in prompts', async () => {
    const repo = repoFrom({
      'tracks/0001_FEAT_runner.md': trk('Runner'),
      'work_orders/WO-1.md': memWo('WO-1', { title: yamlString(HOSTILE), track: 'runner' }),
      'work_orders/WO-2.md': memWo('WO-2', { title: yamlString(HOSTILE) }),
    });
    const hostileTrack = { slug: 'canvas', name: `Canvas ${ATTACKS.clear}`, type: 'FEAT', goal: HOSTILE, parent: null };
    const proposal = {
      tracks: [hostileTrack, { slug: 'runner', name: `Runner ${ATTACKS.title}`, type: 'FEAT', goal: `${ATTACKS.bidi} goal`, parent: null }],
      assignments: [{ wo: 'WO-2', track: 'canvas' }],
    };
    const seen: string[] = [];
    const inner = scriptedPrompter([
      { kind: 'select', expect: 'New track canvas', answer: 'edit' },
      { kind: 'select', expect: 'Edit canvas', answer: 'name' },
      // Take the default as shown: the name stays what the model proposed, byte for byte.
      { kind: 'input', expect: 'Name', answer: `Canvas ${ATTACKS.clear}`.replace('\u001b[2J\u001b[H', '␛[2J␛[H') },
      { kind: 'select', answer: 'accept-all' },
    ]);
    // Records every text a prompt would show.
    const recording: Prompter = {
      select: <T>(o: { message: string; choices: Choice<T>[] }) => {
        seen.push(o.message, ...o.choices.flatMap((c) => [c.name, c.description ?? '']));
        return inner.select(o);
      },
      input: (o) => {
        seen.push(o.message, o.default ?? '');
        return inner.input(o);
      },
      confirm: (o) => {
        seen.push(o.message);
        return inner.confirm(o);
      },
    };
    const printed: string[] = [];
    const out = await reviewProposal(repo, proposal, 'reorg', { prompter: recording, print: (s) => printed.push(s) });
    expect(inner.remaining()).toBe(0);
    const all = [...seen, ...printed].join('\n');
    expect(RAW_CONTROL.test(all)).toBe(false);
    expect(all).toContain('Canvas ␛[2J␛[H');
    expect(out.tracks.find((t) => t.slug === 'canvas')!.name).toBe(`Canvas ${ATTACKS.clear}`);
  });
});
