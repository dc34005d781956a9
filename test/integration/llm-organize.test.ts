/** `tracks organize --provider anthropic` end to end: real SDK, fake API, temp git repository. */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { apiError, ok, startFake, type Fake } from '../helpers/fake-anthropic.js';
import { cli, git, ls, read, removeRepo, tempRepo, wo } from '../helpers/repo.js';

const KEY = 'sk-ant-e2e-SECRET-7777';
let fake: Fake | undefined;
let dir: string | undefined;
afterEach(async () => {
  await fake?.close();
  if (dir) removeRepo(dir);
  fake = dir = undefined;
});

const files = {
  'work_orders/WO-2026-001-retries.md': wo('WO-2026-001', { tags: '[runner]', goal: 'Retry failed runs.' }),
  'work_orders/WO-2026-002-logs.md': wo('WO-2026-002', { tags: '[runner]' }),
  'work_orders/WO-2026-003-zoom.md': wo('WO-2026-003', { tags: '[canvas]' }),
};
const T = (slug: string, name: string) => ({ slug, name, type: 'FEAT', goal: `Deliver ${name.toLowerCase()}.`, parent: null });
const GOOD = { tracks: [T('runner', 'Runner'), T('canvas', 'Canvas')], assign: [{ track: 'runner', wos: ['001', '002'] }, { track: 'canvas', wos: ['003'] }] };

describe('tracks organize --provider anthropic', () => {
  it('applies a good proposal and commits exactly the files it wrote', async () => {
    dir = tempRepo(files);
    fake = await startFake([apiError(529, 'overloaded_error', 'Overloaded', { 'retry-after-ms': '1' }), ok(GOOD, { usage: { input_tokens: 2000, output_tokens: 150 } })]);
    const r = await cli(dir, ['organize', '--provider', 'anthropic', '--yes'], { env: { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: fake.url } });
    expect(r.stderr).toContain('anthropic: overloaded (529); retrying');
    expect(r.stderr).toMatch(/anthropic: 1 request, 2,000 input \+ 150 output tokens/);
    expect(r.code).toBe(0);
    expect(fake.requests).toHaveLength(2);
    expect(ls(dir, 'tracks')).toEqual(['0001_FEAT_runner.md', '0002_FEAT_canvas.md']);
    expect(read(dir, 'work_orders/WO-2026-001-retries.md')).toMatch(/\ntrack: runner\n/);
    expect(read(dir, 'work_orders/WO-2026-003-zoom.md')).toMatch(/\ntrack: canvas\n/);
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(git(dir, 'log', '--oneline')).toMatch(/^\w+ .*\n\w+ initial\n$/);
    expect(r.stdout + r.stderr).not.toContain(KEY);
  });

  it('writes nothing when the answer stays invalid, and keeps the raw answer', async () => {
    dir = tempRepo(files);
    const bad = { tracks: [T('runner', 'Runner')], assign: [{ track: 'runner', wos: ['001', '002', '003', '999'] }] };
    fake = await startFake(() => ok(bad));
    const r = await cli(dir, ['organize', '--provider', 'anthropic', '--yes'], { env: { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: fake.url } });
    expect(r.code).not.toBe(0);
    expect(fake.requests).toHaveLength(3);
    expect(r.stderr).toContain('do not exist: 999');
    const saved = /saved in (\S+)\./.exec(r.stderr)?.[1];
    expect(saved && existsSync(saved)).toBe(true);
    expect(ls(dir, 'tracks')).toEqual([]);
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(r.stdout + r.stderr).not.toContain(KEY);
    expect(join(saved!)).not.toContain(join(dir, 'work_orders'));
  });
});
