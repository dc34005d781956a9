// One edit in a big repository: `tracks assign` of one work order and `tracks
// start` of one track, 10,000 work orders, each run on a fresh copy of the
// same commit; next to the floor measured in the same run (git committing a
// one-line change of one file, which every such command must do at least).
// TRACKS_BIN=<path to bin/tracks.js> measures another build (e.g. an older one).
import { spawnSync, execFileSync } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { synthRepo } from './synth.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const bin = process.env.TRACKS_BIN ?? join(here, '..', 'bin', 'tracks.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const N = Number(process.env.BENCH_N ?? 10000);

const source = synthRepo(N, { git: true });
const work = join(here, '.out', `write-${N}`);

function fresh() {
  rmSync(work, { recursive: true, force: true });
  cpSync(source, work, { recursive: true });
}

function time(cmd, args) {
  const xs = [];
  for (let i = 0; i < RUNS; i++) {
    fresh();
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { cwd: work, env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8' });
    xs.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-600)}`);
  }
  xs.sort((a, b) => a - b);
  return xs[Math.floor(xs.length / 2)];
}

const wo = execFileSync('git', ['ls-files', 'work_orders'], { cwd: source, encoding: 'utf8' }).split('\n')[0];
const floor = time('sh', ['-c', `printf 'x\\n' >> ${wo} && git commit -q -am floor`]);
console.log(`${N} work orders, ${RUNS} runs each, median wall time (${bin})`);
console.log(`floor: git commit of a one-line change      ${(floor / 1000).toFixed(3)} s`);
const id = execFileSync('sh', ['-c', `sed -n 's/^id: //p' ${wo} | head -1`], { cwd: source, encoding: 'utf8' }).trim();
const assign = time(process.execPath, [bin, 'assign', id, '--track', 'economy']);
console.log(`tracks assign (one work order)              ${(assign / 1000).toFixed(3)} s  ${(assign / floor).toFixed(1)}× the floor`);
const start = time(process.execPath, [bin, 'pause', 'economy']);
console.log(`tracks pause (one track)                    ${(start / 1000).toFixed(3)} s  ${(start / floor).toFixed(1)}× the floor`);
rmSync(work, { recursive: true, force: true });
if (!existsSync(work)) process.exitCode = 0;
