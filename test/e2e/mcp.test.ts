/**
 * `tracks mcp` as agents meet it: the built binary, spawned over stdio by the
 * official MCP client, against temp git repositories made from the real corpus
 * and from a 10,000-work-order synthetic one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { cli, corpusRepo, git, PROJECT, read, removeRepo, write } from '../helpers/repo.js';
import { estimateTokens } from '../../src/llm-request/tokens.js';
import { DEFAULT_MAX_TOKENS } from '../../src/mcp/bound.js';

const BIN = join(PROJECT, 'bin', 'tracks.js');
const ENV = { NO_COLOR: '1', PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', GIT_CONFIG_NOSYSTEM: '1' };

interface Session {
  client: Client;
  stderr: () => string;
}

async function connect(cwd: string, opts: { env?: Record<string, string>; args?: string[]; modern?: boolean } = {}): Promise<Session> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, ...(opts.args ?? []), 'mcp'], cwd, env: { ...ENV, ...opts.env }, stderr: 'pipe' });
  let err = '';
  transport.stderr?.on('data', (d: Buffer) => void (err += d.toString()));
  const client = new Client({ name: 'tracks-test', version: '1.0.0' }, opts.modern ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {});
  await client.connect(transport);
  return { client, stderr: () => err };
}

type Result = { isError?: boolean; content: { type: string; text?: string }[]; structuredContent?: Record<string, unknown> };
async function call(s: Session, name: string, args: Record<string, unknown> = {}): Promise<Result> {
  return (await s.client.callTool({ name, arguments: args })) as Result;
}
const text = (r: Result) => r.content.map((c) => c.text ?? '').join('\n');
const tokens = (r: Result) => estimateTokens(JSON.stringify(r.structuredContent ?? {})) + estimateTokens(text(r));

/** The corpus with three tracks and a few assignments, made with the CLI itself. */
async function organizedCorpus(): Promise<string> {
  const d = corpusRepo();
  for (const [name, status] of [['Runner', 'active'], ['Economy', 'active'], ['Voice', 'draft']] as const) {
    expect((await cli(d, ['create', '--name', name, '--type', 'FEAT', '--status', status, '--goal', `All of ${name.toLowerCase()}`])).code).toBe(0);
  }
  const ids = (await cli(d, ['list', '--format', 'json'])).stdout;
  const all = (JSON.parse(ids) as { workOrders: { id: string }[] }).workOrders.map((w) => w.id).filter(Boolean);
  expect((await cli(d, ['assign', ...all.slice(0, 40), '--track', 'runner'])).code).toBe(0);
  expect((await cli(d, ['assign', ...all.slice(40, 60), '--track', 'economy'])).code).toBe(0);
  return d;
}

describe('tracks mcp over stdio', () => {
  let dir: string;
  let s: Session;
  beforeAll(async () => {
    dir = await organizedCorpus();
    s = await connect(dir);
  }, 120_000);
  afterAll(async () => {
    await s?.client.close();
    if (dir) removeRepo(dir);
  });

  it('lists at most ten snake_case tools, each with input and output schemas and truthful annotations', async () => {
    const { tools } = await s.client.listTools();
    expect(tools.length).toBeGreaterThan(5);
    expect(tools.length).toBeLessThanOrEqual(10);
    for (const t of tools) {
      expect(t.name).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)+$/);
      expect(t.inputSchema.type).toBe('object');
      expect(t.outputSchema?.type).toBe('object');
      expect(t.description!.length).toBeLessThan(600);
      const a = t.annotations!;
      for (const k of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const) expect(typeof a[k]).toBe('boolean');
      expect(a.openWorldHint).toBe(false); // no provider configured: organize_propose is the offline organizer
      if (a.readOnlyHint) expect(a.destructiveHint).toBe(false);
    }
    const writes = tools.filter((t) => !t.annotations!.readOnlyHint).map((t) => t.name).sort();
    expect(writes).toEqual(['organize_propose', 'track_claim', 'track_transition', 'work_order_assign']);
    // The whole list an agent pays for, in tokens.
    expect(estimateTokens(JSON.stringify(tools))).toBeLessThan(9_000);
    expect(s.client.getInstructions()).toContain('organize_propose only proposes');
  });

  it('answers every read tool with structured content in the CLI shape and a short text', async () => {
    const overview = await call(s, 'tracks_overview');
    expect(overview.isError).toBeFalsy();
    const status = JSON.parse((await cli(dir, ['status', '--format', 'json'])).stdout);
    expect(overview.structuredContent).toEqual(status);
    expect(text(overview)).toContain('Active: runner');

    const next = await call(s, 'work_next', { track: 'runner', limit: 3 });
    expect(next.structuredContent).toMatchObject({ version: 1, track: 'runner' });
    expect((next.structuredContent!.ready as unknown[]).length).toBeLessThanOrEqual(3);
    const cliNext = JSON.parse((await cli(dir, ['next', 'runner', '--limit', '3', '--format', 'json'])).stdout);
    expect(next.structuredContent!.ready).toEqual(cliNext.ready);
    expect(text(next)).toMatch(/^runner: \d+ ready/);
    const all = await call(s, 'work_next');
    expect((all.structuredContent!.tracks as { track: string }[]).map((t) => t.track)).toEqual(['runner', 'economy']);

    const show = await call(s, 'track_show', { track: 'runner' });
    expect(show.structuredContent).toMatchObject({ version: 1, slug: 'runner', status: 'active' });

    const ctx = await call(s, 'track_context', { track: 'economy', max_tokens: 2000 });
    expect(ctx.structuredContent).toMatchObject({ version: 1, track: { slug: 'economy' } });
    expect(tokens(ctx)).toBeLessThanOrEqual(2000);

    const page1 = await call(s, 'work_orders_find', { track: 'runner', limit: 15 });
    expect(page1.structuredContent).toMatchObject({ version: 1, total: 40 });
    const page2 = await call(s, 'work_orders_find', { track: 'runner', limit: 15, cursor: page1.structuredContent!.nextCursor });
    const page3 = await call(s, 'work_orders_find', { track: 'runner', limit: 15, cursor: page2.structuredContent!.nextCursor });
    expect(page3.structuredContent!.nextCursor).toBeUndefined();
    const ids = [page1, page2, page3].flatMap((p) => (p.structuredContent!.workOrders as { id: string }[]).map((w) => w.id));
    const cliList = JSON.parse((await cli(dir, ['list', '--track', 'runner', '--format', 'json'])).stdout);
    expect(ids).toEqual(cliList.workOrders.map((w: { id: string }) => w.id));

    const checked = await call(s, 'tracks_check', { severity: 'error' });
    const cliCheck = JSON.parse((await cli(dir, ['check', '--format', 'json'])).stdout);
    expect(checked.structuredContent!.summary).toEqual(cliCheck.summary);
    expect((checked.structuredContent!.problems as { severity: string }[]).every((p) => p.severity === 'error')).toBe(true);
    expect(text(checked)).toContain('[wo/unknown-track]');
  });

  it('a tool error carries the stable code and hint, and invalid arguments are usage errors', async () => {
    const unknown = await call(s, 'track_show', { track: 'runer' });
    expect(unknown.isError).toBe(true);
    expect(text(unknown)).toMatch(/no track "runer" \[UNKNOWN_TRACK\]\nhint: .*runner/);
    const cursor = await call(s, 'work_orders_find', { cursor: 'not-a-cursor' });
    expect(text(cursor)).toContain('[BAD_CURSOR]');
    const refused = await call(s, 'track_transition', { track: 'voice', action: 'resume' });
    expect(text(refused)).toMatch(/\[TRANSITION_REFUSED\][\s\S]*No files changed\./);
    const bad = await call(s, 'work_next', { limit: 0 });
    expect(bad.isError).toBe(true);
    expect(text(bad)).toContain('[USAGE]');
  });

  it('a write tool changes exactly one line and commits exactly that file', async () => {
    const target = (JSON.parse((await cli(dir, ['list', '--unassigned', '--format', 'json'])).stdout) as { workOrders: { id: string; path: string }[] }).workOrders[0]!;
    const before = git(dir, 'rev-parse', 'HEAD').trim();
    const r = await call(s, 'work_order_assign', { work_orders: [target.id], track: 'economy' });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ version: 1, kind: 'assign', outcome: 'committed', files: [target.path], workOrders: [{ id: target.id, from: [], to: ['economy'] }] });
    expect(git(dir, 'rev-parse', 'HEAD~1').trim()).toBe(before);
    expect(git(dir, 'diff', '--numstat', 'HEAD~1', 'HEAD').trim()).toBe(`1\t0\t${target.path}`);
    expect(git(dir, 'status', '--porcelain').trim()).toBe('');
    expect(text(r)).toMatch(/Committed [0-9a-f]{7}/);

    const start = await call(s, 'track_transition', { track: 'voice', action: 'start', reason: 'agent picked it up' });
    expect(start.structuredContent).toMatchObject({ kind: 'transition', outcome: 'committed', steps: [{ track: 'voice', verb: 'start' }] });
    expect(read(dir, git(dir, 'show', '--name-only', '--format=', 'HEAD').trim())).toContain('agent picked it up');

    // Claim, as an agent: the claim is committed here and the track's branch made from that commit.
    const claimed = await call(s, 'track_claim', { track: 'voice', as: 'agent-7', reason: 'taking voice' });
    expect(claimed.isError, text(claimed)).toBeFalsy();
    expect(claimed.structuredContent).toMatchObject({ kind: 'claim', outcome: 'committed', track: 'voice', claim: { by: 'agent-7', branch: 'tracks/voice' } });
    expect(git(dir, 'rev-parse', 'tracks/voice').trim()).toBe(git(dir, 'rev-parse', 'HEAD').trim());
    const taken = await call(s, 'track_claim', { track: 'voice', as: 'agent-9' });
    expect(taken.isError).toBe(true);
    expect(text(taken)).toContain('agent-7');
    const released = await call(s, 'track_claim', { track: 'voice', action: 'release', reason: 'done for today' });
    expect(released.structuredContent).toMatchObject({ kind: 'release', outcome: 'committed', released: { by: 'agent-7' } });
    expect(git(dir, 'status', '--porcelain').trim()).toBe('');
  });

  it('organize_propose saves a plan in the git directory and changes nothing; tracks apply applies it', async () => {
    const head = git(dir, 'rev-parse', 'HEAD').trim();
    const r = await call(s, 'organize_propose', { mode: 'incremental' });
    expect(r.isError).toBeFalsy();
    const p = r.structuredContent as { id: string; file: string; apply: string; summary: { moved: number } };
    expect(p.file).toBe(join(dir, '.git', 'tracks', 'plans', `${p.id}.json`));
    expect(p.apply).toBe(`tracks apply .git/tracks/plans/${p.id}.json`);
    expect(p.summary.moved).toBeGreaterThan(0);
    expect(tokens(r)).toBeLessThanOrEqual(DEFAULT_MAX_TOKENS);
    expect(git(dir, 'rev-parse', 'HEAD').trim()).toBe(head);
    expect(git(dir, 'status', '--porcelain').trim()).toBe('');
    // The same proposal is the same plan file.
    expect((await call(s, 'organize_propose', { mode: 'incremental' })).structuredContent!.id).toBe(p.id);
    const applied = await cli(dir, ['apply', p.file, '--yes']);
    expect(applied.code).toBe(0);
    expect(git(dir, 'rev-parse', 'HEAD').trim()).not.toBe(head);
  });

  it('speaks the 2026-07-28 revision to a client that pins it', async () => {
    const modern = await connect(dir, { modern: true });
    try {
      const r = await call(modern, 'work_next', { track: 'economy', limit: 1 });
      expect(r.structuredContent).toMatchObject({ version: 1, track: 'economy' });
    } finally {
      await modern.client.close();
    }
  });
});

describe('tracks mcp: where it serves, what reaches stdout, the lock', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeRepo));

  it('outside a repository every tool says so with a code; --cwd and TRACKS_ROOT point it at one', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'tracks-nowhere-'));
    dirs.push(empty);
    const s = await connect(empty);
    try {
      const r = await call(s, 'tracks_overview');
      expect(r.isError).toBe(true);
      expect(text(r)).toMatch(/not in a repository: .* \[NO_REPOSITORY\]\nhint: .*TRACKS_ROOT/);
      expect(s.stderr()).toContain('not in a repository');
    } finally {
      await s.client.close();
    }
    const repo = corpusRepo();
    dirs.push(repo);
    for (const how of [{ args: ['--cwd', repo] }, { env: { TRACKS_ROOT: repo } }]) {
      const t = await connect(empty, how);
      try {
        expect((await call(t, 'tracks_overview')).structuredContent).toMatchObject({ workOrders: { total: 205 } });
      } finally {
        await t.client.close();
      }
    }
  });

  it('stdout carries only protocol messages, while config warnings go to stderr', async () => {
    const repo = corpusRepo();
    dirs.push(repo);
    write(repo, 'tracks.config.yaml', 'top_level_limit: 8\ntop_level_limt: 3\n');
    const child = spawn(process.execPath, [BIN, 'mcp'], { cwd: repo, env: ENV });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => void (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => void (err += d.toString()));
    const send = (m: object) => child.stdin.write(JSON.stringify(m) + '\n');
    send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'tracks_overview', arguments: {} } });
    send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'work_next', arguments: {} } });
    await waitFor(() => out.includes('"id":3'), 20_000);
    child.stdin.end();
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(code).toBe(0);
    const lines = out.split('\n').filter(Boolean);
    expect(lines.length).toBe(3);
    for (const l of lines) expect(JSON.parse(l)).toMatchObject({ jsonrpc: '2.0' });
    expect(err).toContain('top_level_limt');
    expect(err).toContain('[config/unknown-key]');
  });

  it('a CLI write and an MCP write at the same time wait on the repository lock instead of colliding', async () => {
    const repo = await organizedCorpus();
    dirs.push(repo);
    // A slow pre-commit hook keeps the first writer inside the lock for a while.
    const hook = join(repo, '.git', 'hooks', 'pre-commit');
    writeFileSync(hook, '#!/bin/sh\nsleep 2\n');
    chmodSync(hook, 0o755);
    const free = (JSON.parse((await cli(repo, ['list', '--unassigned', '--format', 'json'])).stdout) as { workOrders: { id: string }[] }).workOrders.map((w) => w.id);
    const s = await connect(repo);
    try {
      const head = git(repo, 'rev-parse', 'HEAD').trim();
      const mcpWrite = call(s, 'work_order_assign', { work_orders: [free[0]], track: 'runner' });
      await waitFor(() => gitLocked(repo), 10_000);
      const cliWrite = spawnSync(process.execPath, [BIN, 'assign', free[1]!, '--track', 'economy'], { cwd: repo, env: ENV, encoding: 'utf8' });
      const r = await mcpWrite;
      expect(r.isError).toBeFalsy();
      expect(cliWrite.status).toBe(0);
      expect(cliWrite.stderr).toMatch(/Waiting for pid \d+ \(tracks mcp work_order_assign/);
      const log = git(repo, 'log', '--format=%s', `${head}..HEAD`).trim().split('\n');
      expect(log).toEqual([`tracks: assign ${free[1]} to economy`, `tracks: assign ${free[0]} to runner`]);
      expect(git(repo, 'status', '--porcelain').trim()).toBe('');
    } finally {
      await s.client.close();
    }
  }, 60_000);
});

function gitLocked(repo: string): boolean {
  try {
    return Boolean(read(repo, '.git/tracks/repository.holder.json'));
  } catch {
    return false;
  }
}

async function waitFor(ok: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('tracks mcp on 10,000 work orders', () => {
  it('every answer stays within its bound, with a cursor or a count of what was left out', async () => {
    const { synthRepo } = (await import(join(PROJECT, 'bench', 'synth.mjs'))) as { synthRepo: (n: number, o: { git: boolean }) => string };
    const repo = synthRepo(10_000, { git: true });
    const s = await connect(repo);
    try {
      const calls: [string, Record<string, unknown>][] = [
        ['tracks_overview', {}],
        ['work_next', {}],
        ['work_next', { track: 'economy', limit: 100 }],
        ['track_show', { track: 'economy' }],
        ['track_context', { track: 'economy' }],
        ['work_orders_find', { limit: 200 }],
        ['tracks_check', { limit: 500 }],
      ];
      for (const [name, args] of calls) {
        const r = await call(s, name, args);
        expect(r.isError, `${name}: ${text(r)}`).toBeFalsy();
        expect(tokens(r), name).toBeLessThanOrEqual(DEFAULT_MAX_TOKENS);
      }
      const show = await call(s, 'track_show', { track: 'economy' });
      expect(show.structuredContent!.truncated).toMatchObject({ omitted: expect.any(Object) });
      expect(text(show)).toContain('work_orders_find');
      const find = await call(s, 'work_orders_find', { limit: 200 });
      expect(find.structuredContent!.total).toBe(10_000);
      expect(find.structuredContent!.nextCursor).toEqual(expect.any(String));
      const ctx = await call(s, 'track_context', { track: 'economy' });
      expect(ctx.structuredContent!.truncated).toMatchObject({ omitted: expect.any(Object) });
    } finally {
      await s.client.close();
    }
  }, 180_000);
});
