/**
 * `tracks mcp`: the tools of src/mcp/tools.ts served over stdio with the
 * official MCP SDK (v2: the 2026-07-28 revision, and 2025-era clients through
 * the same factory). The only module that imports the SDK, loaded only by
 * this command.
 *
 * stdout carries protocol messages and nothing else: the context's stdout
 * and console.log go to stderr, where config warnings, recovery lines and
 * lock waits already go.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { McpServer, fromJsonSchema, type CallToolResult, type StandardSchemaWithJSON } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { makeCtx, type Ctx } from '../cli/ctx.js';
import { recoverIfInterrupted } from '../cli/change.js';
import { hasJournal } from '../apply/journal.js';
import { locate } from '../git/location.js';
import { findConfigDir, readRegularFile } from '../fs/source.js';
import { loadConfigText } from '../repo/load.js';
import { CONFIG_FILE } from '../config/config.js';
import { isTracksError, NO_CHANGES, TracksError } from '../errors/index.js';
import type { IO } from '../term/io.js';
import type { Repo } from '../model/types.js';
import { VERSION } from '../version.js';
import { tools, type Tool } from './tools.js';
import { instructionsForServer } from './instructions.js';

/** The directory served: -C/--cwd when given, else TRACKS_ROOT, else the working directory. */
export function servedDir(ctx: Ctx): string {
  const fromFlag = ctx.cwd() !== ctx.io.cwd;
  const env = ctx.io.env.TRACKS_ROOT?.trim();
  return !fromFlag && env ? resolve(ctx.io.cwd, env) : ctx.cwd();
}

/** The process edge for the server: nothing human on stdout, never a prompt, no colour. */
function serverIO(io: IO): IO {
  return { ...io, stdout: io.stderr, interactive: false, isTTY: false };
}

const schemaCache = new Map<string, Record<string, unknown>>();

/** An output shape's JSON Schema (schemas/output/), without the keys only documents need. */
export function outputSchema(name: string): Record<string, unknown> {
  let s = schemaCache.get(name);
  if (!s) {
    const { $schema: _s, $id: _i, title: _t, ...rest } = JSON.parse(readFileSync(new URL(`../../schemas/output/${name}.schema.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
    s = rest;
    schemaCache.set(name, s);
  }
  return s;
}

/** Arguments the schema refuses are usage errors: say so with the code the CLI uses. */
function usageCoded(s: StandardSchemaWithJSON): StandardSchemaWithJSON {
  const std = s['~standard'];
  const validate = std.validate.bind(std);
  return {
    '~standard': {
      ...std,
      validate: (value: unknown) => {
        const r = validate(value) as { issues?: { message: string }[] };
        return r.issues ? { issues: r.issues.map((i) => ({ ...i, message: `${i.message} [USAGE]` })) } : r;
      },
    },
  } as StandardSchemaWithJSON;
}

/** A TracksError as a tool error: message, [CODE], hint, and what it means for the repository. */
export function toolError(e: unknown, writes: boolean): CallToolResult {
  const err = isTracksError(e) ? e : new TracksError('INTERNAL', `internal error: ${(e as Error)?.message ?? String(e)}`, { hint: 'Report it with the tool call that caused it; `tracks <command> --verbose` shows a stack.' });
  const where = err.where.file && !err.message.startsWith(err.where.file) ? `${err.where.file}${err.where.line ? `:${err.where.line}${err.where.col ? `:${err.where.col}` : ''}` : ''}: ` : '';
  const lines = [`error: ${where}${err.message} [${err.code}]`];
  if (err.hint) lines.push(`hint: ${err.hint}`);
  if (writes && err.unchanged) lines.push(NO_CHANGES);
  return { isError: true, content: [{ type: 'text', text: lines.join('\n') }] };
}

export interface Serving {
  dir: string;
  /** Why no tool can answer, when the server is not in a repository. */
  problem: TracksError | undefined;
  /** The repository's config when it loads (organize_propose's annotations depend on its provider). */
  config: Repo['config'] | undefined;
}

/** Where the server serves, said once on stderr; outside any repository every tool answers NO_REPOSITORY. */
export async function findServing(ctx: Ctx): Promise<Serving> {
  const dir = servedDir(ctx);
  const where = locate(dir);
  if (where.kind === 'none' && !findConfigDir(dir, undefined)) {
    const problem = new TracksError('NO_REPOSITORY', `tracks mcp is not in a repository: ${dir} is in no git work tree and has no tracks.config.yaml`);
    return { dir, problem, config: undefined };
  }
  const probe = makeCtx(ctx.io, ['mcp']);
  probe.setGlobal({ cwd: dir });
  // Only the config, not the work orders: the server answers tools/list before it reads anything else.
  let config: Repo['config'] | undefined;
  try {
    const root = probe.root();
    let text: string | undefined;
    try {
      text = Buffer.from(readRegularFile(join(root, CONFIG_FILE), 1 << 20)).toString('utf8');
    } catch {
      text = undefined;
    }
    config = loadConfigText(text, CONFIG_FILE).config;
  } catch {
    // Each tool reports what is wrong when it is called.
  }
  return { dir, problem: undefined, config };
}

export function buildServer(defs: Tool[], call: (tool: Tool, args: unknown) => Promise<CallToolResult>): McpServer {
  const server = new McpServer({ name: 'tracks', version: VERSION }, { capabilities: { tools: {} }, instructions: instructionsForServer() });
  for (const t of defs) {
    server.registerTool(
      t.name,
      {
        title: t.title,
        description: t.description,
        inputSchema: usageCoded(fromJsonSchema(t.input as Parameters<typeof fromJsonSchema>[0])),
        outputSchema: fromJsonSchema(outputSchema(t.output) as Parameters<typeof fromJsonSchema>[0]),
        annotations: t.annotations,
      },
      (args: unknown) => call(t, args),
    );
  }
  return server;
}

export async function serveMcp(parent: Ctx): Promise<void> {
  const io = serverIO(parent.io);
  // A stray console.log would corrupt the protocol stream.
  console.log = console.error;
  console.info = console.error;
  const serving = await findServing({ ...parent, io } as Ctx);
  const defs = tools(serving.config);
  if (serving.problem) io.stderr(`tracks mcp: ${serving.problem.message}. Every tool will say so. ${serving.problem.hint ?? ''}\n`);
  else io.stderr(`tracks mcp ${VERSION}: serving ${serving.dir} over stdio (${defs.length} tools).\n`);

  const call = async (t: Tool, args: unknown): Promise<CallToolResult> => {
    try {
      if (serving.problem) throw serving.problem;
      const ctx = makeCtx(io, ['mcp', t.name]);
      ctx.setGlobal({ cwd: serving.dir });
      ctx.writes = t.writes;
      // As before every CLI command: a change a killed process left half applied is finished or undone first.
      const g = ctx.git();
      if (g && hasJournal(g.gitDir)) await recoverIfInterrupted(ctx);
      const a = await t.run({ ctx }, args ?? {});
      return { content: [{ type: 'text', text: a.text }], structuredContent: a.structured as Record<string, unknown> };
    } catch (e) {
      return toolError(e, t.writes);
    }
  };

  const handle = serveStdio(() => buildServer(defs, call), { onerror: (e) => io.stderr(`tracks mcp: ${e.message}\n`) });
  // Serve until the client closes stdin (the stdio binding's end of a session) or the process is told to stop.
  await new Promise<void>((done) => {
    process.stdin.once('end', done);
    process.stdin.once('close', done);
    process.once('SIGTERM', done);
    process.once('SIGINT', done);
  });
  await handle.close();
}
