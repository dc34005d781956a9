/**
 * The cache must never lie: every command that reads the repository prints
 * exactly the same with the cache (cold, warm from the per-file records, and
 * replayed by the run memo) as with --no-cache, on a copy of a real corpus,
 * before and after files change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, corpusRepo, git, removeRepo, write, assignByTags } from '../helpers/repo.js';

/** Tracks by tag: [slug, name, type, parent, tags, extra front matter]. */
const TRACKS: [string, string, string, string | null, string[], string][] = [
  ['runner', 'Runner reliability', 'FEAT', null, ['runner', 'builder'], ''],
  ['canvas', 'Canvas & visualisation', 'FEAT', null, ['canvas', 'visualization', 'tech-tree'], ''],
  ['voice', 'Voice and meetings', 'EXP', null, ['voice', 'meeting-integration'], 'experiment: voice-stack\nhypothesis: Pipecat beats a hand-made pipeline\n'],
  ['pipecat', 'Pipecat pipeline', 'EXP', null, ['pipecat'], 'experiment: voice-stack\nhypothesis: Pipecat is enough\n'],
  ['infra', 'Infrastructure', 'FEAT', null, ['infrastructure', 'testing'], ''],
  ['security', 'Security hardening', 'FIX', 'infra', ['security'], ''],
];

const COMMANDS: string[][] = [
  ['check', '--format', 'json'],
  ['check', '--format', 'stylish'],
  ['list'],
  ['list', '--format', 'json'],
  ['list', '--tracks', '--format', 'json'],
  ['list', '--unassigned', '--status', 'backlog,ready'],
  ['list', '--track', 'infra'],
  ['show', 'canvas'],
  ['show', 'infra', '--format', 'json'],
  ['status'],
  ['status', '--format', 'json'],
  ['next'],
  ['next', 'runner', '--format', 'json'],
  ['report'],
  ['report', '--format', 'json'],
  ['context', 'canvas'],
  ['context', 'infra', '--format', 'json', '--max-bytes', '200000'],
  ['tree'],
  ['tree', '--format', 'mermaid'],
  ['tree', '--format', 'html'],
  ['tree', '--by', 'era', '--status', 'done,backlog'],
  ['experiment', 'list'],
  ['experiment', 'compare', 'voice-stack', '--format', 'json'],
  ['organize', '--dry-run', '--format', 'json', '--provider', 'local', '--mode', 'reorg'],
];

/** What a run prints, with the one thing that is not a function of the repository (organize's clock) taken out. */
const shown = (r: { code: number; stdout: string; stderr: string }) => ({
  code: r.code,
  stdout: r.stdout.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g, '<now>'),
  stderr: r.stderr,
});

/** Commands whose whole output the run memo keeps (every read command here but check and organize). */
const REPLAYED = COMMANDS.filter((c) => c[0] !== 'check' && c[0] !== 'organize').length;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the cache never changes what a command prints', () => {
  let dir = '';
  const withCache = { env: { TRACKS_NO_CACHE: undefined } };
  const all = async (opts?: typeof withCache) => {
    const out: Record<string, ReturnType<typeof shown>> = {};
    for (const args of COMMANDS) out[args.join(' ')] = shown(await cli(dir, args, opts));
    return out;
  };
  const same = (label: string, got: Record<string, unknown>, reference: Record<string, unknown>) => {
    // one command at a time, so that a failure names it
    for (const k of Object.keys(reference)) expect(got[k], `${label}: tracks ${k}`).toEqual(reference[k]);
  };
  const mtimes = (sub: string) => Object.fromEntries(readdirSync(join(dir, '.git', 'tracks', sub)).map((f) => [f, statSync(join(dir, '.git', 'tracks', sub, f)).mtimeMs]));
  /** The reference (no cache), then: building or updating the cache, per-file records only, replays only. */
  const expectSame = async (label: string) => {
    // Files changed within 2 s of a cache save are read again every time: let them age, so that
    // the runs below really come from the records and the replays.
    await sleep(2100);
    const reference = await all();
    same(`${label}, updating the cache`, await all(withCache), reference);
    rmSync(join(dir, '.git', 'tracks', 'runs'), { recursive: true, force: true });
    const cacheFile = statSync(join(dir, '.git', 'tracks', 'cache.v8')).mtimeMs;
    same(`${label}, from the per-file records`, await all(withCache), reference);
    // nothing was read or parsed again: the per-file cache was not rewritten
    expect(statSync(join(dir, '.git', 'tracks', 'cache.v8')).mtimeMs).toBe(cacheFile);
    const recorded = mtimes('runs');
    expect(Object.keys(recorded)).toHaveLength(REPLAYED);
    same(`${label}, replayed by the run memo`, await all(withCache), reference);
    expect(mtimes('runs')).toEqual(recorded);
    return reference;
  };

  beforeAll(() => {
    dir = corpusRepo('head');
    TRACKS.forEach(([slug, name, type, parent, , extra], i) => {
      write(dir, `tracks/000${i + 1}_${type}_${slug}.md`, `---\nname: ${JSON.stringify(name)}\ntype: ${type}\nstatus: active\nparent: ${parent ?? 'null'}\n${extra}---\n\n## Decisions\n\n- kept\n`);
    });
    assignByTags(dir, TRACKS.map((t) => [t[0], t[4]] as const));
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'tracks');
  });
  afterAll(() => removeRepo(dir));

  it('on a real corpus, cold, warm and replayed', async () => {
    same('a first run, with no cache yet', await all(withCache), await all());
    const reference = await expectSame('unchanged');
    // the commands did run: a sample of what they printed
    expect(reference['list --format json']!.stdout).toContain('"track": "canvas"');
    expect(reference['context canvas']!.stdout).toContain('Acceptance');
    expect(reference['check --format json']!.code).toBe(1);
  }, 180_000);

  it("check's diagnostics are the same from whole parsed files as from compact records (what --no-cache check keeps)", async () => {
    const { listRepo, loadListed } = await import('../../src/repo/load.js');
    const { runCheck } = await import('../../src/validate/check.js');
    const whole = runCheck(await loadListed(await listRepo(dir)), { requireTrack: true });
    const compact = runCheck(await loadListed(await listRepo(dir), { compact: true }), { requireTrack: true });
    expect(whole.length).toBeGreaterThan(50);
    expect(compact).toEqual(whole);
  });

  it('after files change: a moved work order, a broken one, a new one, a deleted one, a changed track', async () => {
    const woDir = join(dir, 'work_orders');
    const files = readdirSync(woDir).sort();
    const edit = (f: string, fn: (t: string) => string) => writeFileSync(join(woDir, f), fn(readFileSync(join(woDir, f), 'utf8')));
    edit(files[3]!, (t) => t.replace(/^track: .*$/m, 'track: voice').replace(/^(id:.*\n)(?!track)/m, '$1track: voice\n'));
    edit(files[10]!, (t) => t.replace(/^title: .*$/m, 'title: [unclosed'));
    edit(files[20]!, (t) => t.replace(/^status: .*$/m, 'status: done'));
    rmSync(join(woDir, files[30]!));
    write(dir, 'work_orders/WO-2099-001-new.md', '---\nid: WO-2099-001\ntitle: Something new\nstatus: ready\ntrack: canvas\ndepends_on: [WO-2026-001]\nacceptance_criteria:\n  - It works\n---\n');
    write(dir, 'tracks/0002_FEAT_canvas.md', '---\nname: Canvas, renamed\ntype: FEAT\nstatus: paused\n---\n');
    await expectSame('changed');
  }, 180_000);
});
