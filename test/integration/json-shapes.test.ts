/**
 * The documented JSON shapes (schemas/output/*.schema.json) hold for what the
 * commands really print with --format json, on the real corpus organized with
 * the CLI, and for what the MCP tools answer in-process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { cli, corpusRepo, PROJECT, removeRepo } from '../helpers/repo.js';
import { makeCtx } from '../../src/cli/ctx.js';
import { tools } from '../../src/mcp/tools.js';
import { loadRepo } from '../../src/repo/load.js';

const DIR = join(PROJECT, 'schemas', 'output');
const ajv = new Ajv2020({ allErrors: true, strict: false });
const schemas = Object.fromEntries(readdirSync(DIR).map((f) => [f.replace('.schema.json', ''), ajv.compile(JSON.parse(readFileSync(join(DIR, f), 'utf8')))]));

function valid(name: string, value: unknown) {
  const v = schemas[name]!;
  const ok = v(value);
  expect(ok ? [] : v.errors!.slice(0, 5).map((e) => `${e.instancePath} ${e.message}`), name).toEqual([]);
}

describe('JSON shapes', () => {
  let d: string;
  beforeAll(async () => {
    d = corpusRepo();
    await cli(d, ['create', '--name', 'Runner', '--type', 'FEAT', '--status', 'active']);
    await cli(d, ['create', '--name', 'Retries', '--type', 'FEAT', '--parent', 'runner']);
    await cli(d, ['create', '--name', 'Cache A', '--type', 'EXP', '--experiment', 'cache', '--hypothesis', 'A is faster']);
    await cli(d, ['create', '--name', 'Cache B', '--type', 'EXP', '--experiment', 'cache', '--hypothesis', 'B is faster']);
    const ids = JSON.parse((await cli(d, ['list', '--format', 'json'])).stdout).workOrders.map((w: { id: string }) => w.id);
    await cli(d, ['assign', ...ids.slice(0, 30), '--track', 'runner']);
    await cli(d, ['assign', ...ids.slice(30, 45), '--track', 'retries']);
    await cli(d, ['pause', 'runner', '--reason', 'waiting']);
    await cli(d, ['resume', 'runner']);
  }, 60_000);
  afterAll(() => removeRepo(d));

  const json = async (args: string[]) => JSON.parse((await cli(d, [...args, '--format', 'json'])).stdout);

  it('every read command prints its documented shape, with a version', async () => {
    const cases: [string, string[]][] = [
      ['status', ['status']],
      ['list', ['list', '--track', 'runner']],
      ['list-tracks', ['list', '--tracks']],
      ['show', ['show', 'runner']],
      ['next', ['next', 'runner']],
      ['next', ['next']],
      ['context', ['context', 'runner']],
      ['report', ['report']],
      ['check', ['check']],
      ['tree', ['tree']],
      ['experiment-list', ['experiment', 'list']],
      ['experiment-compare', ['experiment', 'compare', 'cache']],
    ];
    for (const [schema, args] of cases) {
      const out = await json(args);
      expect(out.version, args.join(' ')).toBe(1);
      valid(schema, out);
    }
  });

  it('writing commands print the change shape', async () => {
    const free = JSON.parse((await cli(d, ['list', '--unassigned', '--format', 'json'])).stdout).workOrders[0].id;
    valid('change', await json(['assign', free, '--track', 'retries']));
    valid('change', await json(['pause', 'runner', '--reason', 'lunch', '--dry-run']));
  });

  it('the MCP tools answer the shapes they declare, in-process', async () => {
    const io = { stdout: () => {}, stderr: () => {}, env: { NO_COLOR: '1' }, cwd: d, interactive: false, isTTY: false, columns: 100 };
    const defs = tools((await loadRepo(d)).config);
    const args: Record<string, object> = {
      track_show: { track: 'runner' },
      work_next: { track: 'runner' },
      track_context: { track: 'runner' },
      work_orders_find: { status: ['done'], limit: 5 },
      work_order_assign: { work_orders: ['WO-2025-001'], track: 'runner', dry_run: true },
      track_transition: { track: 'cache-a', action: 'start', dry_run: true },
      track_claim: { track: 'cache-a', as: 'agent-1', dry_run: true },
      organize_propose: { mode: 'incremental' },
    };
    for (const t of defs) {
      const a = await t.run({ ctx: makeCtx(io, ['mcp', t.name]) }, args[t.name] ?? {});
      valid(t.output, a.structured);
      expect(a.text.length, t.name).toBeGreaterThan(0);
    }
  }, 60_000);
});
