/** `tracks organize` with the LLM providers end to end: real SDKs, fake APIs, temp git repositories, the CLI in-process. */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { apiError, ok, startFake, type Fake } from '../helpers/fake-anthropic.js';
import { failed, said, startFakeOpenAI, type Fake as FakeOpenAI } from '../helpers/fake-openai.js';
import { cli, git, ls, read, removeRepo, tempRepo, wo, write } from '../helpers/repo.js';
import { makeCtx } from '../../src/cli/ctx.js';
import { runOrganize } from '../../src/commands/organize.js';

const KEY = 'sk-ant-e2e-SECRET-7777';
const OPENAI_KEY = 'sk-proj-e2e-SECRET-8888';
let fake: Fake | undefined;
let oai: FakeOpenAI | undefined;
let dir: string | undefined;
afterEach(async () => {
  await fake?.close();
  await oai?.close();
  if (dir) removeRepo(dir);
  fake = oai = dir = undefined;
});

/** Every file under `d` (the .git directory included: saved answers live there), as text. */
function everyFile(d: string): string {
  let all = '';
  const walk = (p: string) => {
    for (const n of readdirSync(p)) {
      const f = join(p, n);
      if (statSync(f).isDirectory()) walk(f);
      else all += readFileSync(f, 'latin1');
    }
  };
  walk(d);
  return all;
}

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

describe('tracks organize with an OpenAI-compatible server', () => {
  it('auto picks the server from OPENAI_BASE_URL, takes its only model, applies the proposal and commits (runOrganize, --yes)', async () => {
    dir = tempRepo(files);
    oai = await startFakeOpenAI([failed(500, 'warming up', { 'retry-after-ms': '1' }), said(GOOD, { usage: { prompt_tokens: 2100, completion_tokens: 140 } })], { models: ['qwen2.5:7b'] });
    let stdout = '';
    let stderr = '';
    const ctx = makeCtx({ stdout: (x) => void (stdout += x), stderr: (x) => void (stderr += x), env: { NO_COLOR: '1', OPENAI_BASE_URL: oai.url }, cwd: dir, interactive: false, isTTY: false, columns: 100 });
    await runOrganize(ctx, { yes: true, commit: true, format: 'text' });
    expect(stderr).toContain(`Provider: openai, the OpenAI-compatible server at ${oai.url} (OPENAI_BASE_URL; choose another with --provider).`);
    expect(stderr).toContain('openai: using qwen2.5:7b, the one model the server offers');
    expect(stderr).toContain('openai: server error (500); retrying in');
    expect(stderr).toContain('openai: 1 request, 2,100 input + 140 output tokens (0 read from cache), cost unknown for a local model.');
    expect(stdout).toMatch(/Committed [0-9a-f]{7} .*\(5 files\)\./);
    expect(oai.chats()[1]!.body.model).toBe('qwen2.5:7b');
    expect(ls(dir, 'tracks')).toEqual(['0001_FEAT_runner.md', '0002_FEAT_canvas.md']);
    expect(read(dir, 'work_orders/WO-2026-003-zoom.md')).toMatch(/\ntrack: canvas\n/);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('--dry-run shows the request size and that a local model has no price, without calling', async () => {
    dir = tempRepo({ ...files, 'tracks.config.yaml': 'llm:\n  provider: openai\n  base_url: http://127.0.0.1:9/v1\n  model: llama3.1:8b\n' });
    const r = await cli(dir, ['organize', '--dry-run', '--max-cost', '0.01']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Dry run \(initial, llama3\.1:8b at http:\/\/127\.0\.0\.1:9\/v1\): 1 request, about [\d,]+ input and [\d,]+ output tokens; cost unknown for a local model\.\n--max-cost does not apply: cost unknown for a local model\.\n$/);
    const j = JSON.parse((await cli(dir, ['organize', '--dry-run', '--format', 'json'])).stdout);
    expect(j).toMatchObject({ provider: 'openai', model: 'llama3.1:8b', estimate: { requests: 1, costUsd: null, costNote: 'cost unknown for a local model' } });
    // At api.openai.com the model has a price (nothing is sent: 127.0.0.1:9 would refuse, and api.openai.com is never called in a dry run).
    const paid = await cli(dir, ['organize', '--dry-run', '--provider', 'openai', '--model', 'gpt-5.4-mini'], { env: { OPENAI_API_KEY: OPENAI_KEY } });
    expect(paid.stdout).toMatch(/^Dry run \(initial, gpt-5\.4-mini at http:\/\/127\.0\.0\.1:9\/v1\)/);
    write(dir, 'tracks.config.yaml', 'llm:\n  provider: openai\n');
    const openai = await cli(dir, ['organize', '--dry-run'], { env: { OPENAI_API_KEY: OPENAI_KEY } });
    expect(openai.stdout).toMatch(/^Dry run \(initial, gpt-5\.4-mini\): 1 request, about [\d,]+ input and [\d,]+ output tokens, estimated \$0\.\d\d\.\n$/);
    expect(openai.stdout + openai.stderr).not.toContain(OPENAI_KEY);
  });

  it('llm.timeout_seconds bounds the whole run: a trickling server is stopped after about a second, with the real time', async () => {
    dir = tempRepo({ ...files, 'tracks.config.yaml': 'llm:\n  model: qwen2.5:7b\n  timeout_seconds: 1\n  request_timeout_seconds: 1\n' });
    oai = await startFakeOpenAI(() => ({ trickle: { everyMs: 50 } }));
    const t0 = Date.now();
    const r = await cli(dir, ['organize', '--yes'], { env: { OPENAI_BASE_URL: oai.url } });
    const took = Date.now() - t0;
    expect(took).toBeLessThan(4_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error Stopped after 1\.\ds: the answer from OpenAI-compatible server at 127\.0\.0\.1:\d+ was still arriving \(\d+ characters\); the whole organize run may take at most 1\.0s \(llm\.timeout_seconds\)\. \[LLM_TIMEOUT\]/);
    expect(r.stderr).toContain('  No files changed.');
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('--verbose never prints the key: not in the message, the stack or the cause, with either provider', async () => {
    dir = tempRepo(files);
    oai = await startFakeOpenAI(() => failed(401, `Incorrect API key provided: ${OPENAI_KEY}`), { models: ['m'] });
    const o = await cli(dir, ['organize', '--provider', 'openai', '--yes', '--verbose'], { env: { OPENAI_API_KEY: OPENAI_KEY, OPENAI_BASE_URL: oai.url } });
    expect(o.code).toBe(2);
    expect(o.stderr).toContain('[LLM_AUTH]');
    expect(o.stderr).toContain('cause: Error: 401 Incorrect API key provided: [redacted]');
    expect(o.stderr).not.toContain('0 requests');
    expect(o.stderr).toMatch(/\n\s+at /);
    expect(o.stdout + o.stderr).not.toContain(OPENAI_KEY);

    fake = await startFake(() => apiError(401, 'authentication_error', `invalid x-api-key: ${KEY}`));
    const a = await cli(dir, ['organize', '--provider', 'anthropic', '--yes', '--verbose'], { env: { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: fake.url } });
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/\ncause: \w*Error: 401 /);
    expect(a.stderr).toContain('[redacted]');
    expect(a.stdout + a.stderr).not.toContain(KEY);

    // An answer that echoes the key is saved for inspection without it.
    await oai.close();
    oai = await startFakeOpenAI(() => said(`{"tracks": [], "note": "${OPENAI_KEY}"}`));
    const saved = await cli(dir, ['organize', '--provider', 'openai', '--model', 'm', '--yes', '--verbose'], { env: { OPENAI_API_KEY: OPENAI_KEY, OPENAI_BASE_URL: oai.url } });
    expect(saved.stderr).toContain('[LLM_INVALID_PROPOSAL]');
    expect(saved.stderr).toMatch(/The raw answer is saved in \S+rejected-proposal\.json/);
    expect(saved.stdout + saved.stderr).not.toContain(OPENAI_KEY);
    expect(everyFile(dir)).not.toContain(OPENAI_KEY);
    expect(everyFile(dir)).not.toContain(KEY);
  });
});

