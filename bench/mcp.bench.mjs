// tracks mcp: the size of the tool definitions an agent pays for, the server's
// start (spawn to tools/list answered, with the official client), and
// tracks_overview / work_next on 10,000 work orders, each next to a floor
// measured in the same run: `node -e 0` for the start, and the read floor
// (node reading the same files and finding their fences) for the calls.
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { synthRepo } from './synth.mjs';
import { estimateTokens } from '../dist/llm-request/tokens.js';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', 'bin', 'tracks.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(0)} ms`;

function wall(args, cwd) {
  const xs = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    spawnSync(process.execPath, args, { cwd, stdio: 'ignore' });
    xs.push(performance.now() - t);
  }
  return median(xs);
}

async function session(cwd) {
  const t = performance.now();
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [bin, 'mcp'], cwd, stderr: 'ignore' }));
  const { tools } = await client.listTools();
  return { client, tools, startMs: performance.now() - t };
}

const repo = synthRepo(10000, { git: true });
const nodeFloor = wall(['-e', '0'], repo);
const readFloor = wall([join(here, 'floor.mjs'), join(repo, 'work_orders')], repo);

const starts = [];
let tools;
for (let i = 0; i < RUNS; i++) {
  const s = await session(repo);
  starts.push(s.startMs);
  tools = s.tools;
  await s.client.close();
}
const defTokens = estimateTokens(JSON.stringify(tools));

const s = await session(repo);
const timeCall = async (name, args) => {
  const xs = [];
  let tok = 0;
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const r = await s.client.callTool({ name, arguments: args });
    xs.push(performance.now() - t);
    tok = estimateTokens(JSON.stringify(r.structuredContent ?? {})) + estimateTokens(r.content.map((c) => c.text ?? '').join('\n'));
  }
  return { ms: median(xs), first: xs[0], tok };
};
const overview = await timeCall('tracks_overview', {});
const nextAll = await timeCall('work_next', {});
const nextTrack = await timeCall('work_next', { track: 'economy', limit: 10 });
await s.client.close();

console.log(`node ${process.version}, ${RUNS} runs each, median wall time\n`);
console.log(`tool definitions (tools/list): ${tools.length} tools, ~${defTokens.toLocaleString('en-US')} tokens (${JSON.stringify(tools).length.toLocaleString('en-US')} bytes)`);
console.log(`${'floor: node -e 0'.padEnd(52)} ${ms(nodeFloor).padStart(8)}`);
console.log(`${'tracks mcp start: spawn to tools/list answered'.padEnd(52)} ${ms(median(starts)).padStart(8)}  node + ${ms(median(starts) - nodeFloor)}`);
console.log(`${'floor: read 10,000 files + fences'.padEnd(52)} ${ms(readFloor).padStart(8)}`);
for (const [name, x] of [['tracks_overview, 10,000 WOs', overview], ['work_next (all active tracks), 10,000 WOs', nextAll], ['work_next economy, 10,000 WOs', nextTrack]]) {
  console.log(`${name.padEnd(52)} ${ms(x.ms).padStart(8)}  ${(x.ms / readFloor).toFixed(2)}× read floor; first call ${ms(x.first)}; answer ~${x.tok.toLocaleString('en-US')} tokens`);
}
