// A first `check` at 10,000 work orders, run several times in one process:
// the first round is a first check as a user's process runs it (minus node's
// start and the CLI's own modules), the later rounds the same work with every
// function already compiled. Each round starts with an empty cache directory
// of its own. Printed next to the read floor measured in the same run: what
// this says is how much of a first check is warm-up and how much is the work.
// Needs `npm run build`.
//   node bench/check-warm.bench.mjs [--rounds 4]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { synthRepo } from './synth.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', 'dist');
if (!existsSync(join(dist, 'repo', 'load.js'))) {
  console.error('bench/check-warm.bench.mjs: run `npm run build` first (reads dist/).');
  process.exit(2);
}
const i = process.argv.indexOf('--rounds');
const ROUNDS = i === -1 ? 4 : Number(process.argv[i + 1]);

const { listRepo, loadListed, runFingerprint } = await import(join(dist, 'repo', 'load.js'));
const { RunMemo } = await import(join(dist, 'fs', 'cache.js'));
const { runCheck } = await import(join(dist, 'validate', 'check.js'));
const { workOrderCounts } = await import(join(dist, 'core', 'counts.js'));
const { formatDiagnostics } = await import(join(dist, 'diagnostics', 'format.js'));
const { Chalk } = await import('chalk');

const repo = synthRepo(10000, { git: true });
const floors = [];
for (let k = 0; k < 3; k++) {
  const t0 = process.hrtime.bigint();
  spawnSync(process.execPath, [join(here, 'floor.mjs'), join(repo, 'work_orders')]);
  floors.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
floors.sort((a, b) => a - b);
const floor = floors[1];
console.log(`floor: read 10000 files + fences (whole process, median of 3)   ${(floor / 1000).toFixed(3)} s`);

const base = mkdtempSync(join(tmpdir(), 'tracks-warm-'));
for (let round = 0; round < ROUNDS; round++) {
  const dir = join(base, String(round));
  const at = [];
  const t0 = performance.now();
  const listing = await listRepo(repo, { cacheDir: dir });
  at.push(['list', performance.now()]);
  const loaded = await loadListed(listing, { compact: true });
  at.push(['read, parse, records, cache save', performance.now()]);
  const diagnostics = runCheck(loaded, {});
  at.push(['cross-file rules', performance.now()]);
  const counts = workOrderCounts(loaded.workOrders, loaded.tracks);
  const run = runFingerprint(listing, ['false']);
  new RunMemo(dir, 'worktree').save(run.fp, diagnostics, counts);
  formatDiagnostics('stylish', diagnostics, { filesChecked: listing.workOrderFiles.length, color: new Chalk({ level: 0 }), workOrders: counts, showCounts: true });
  at.push(['counts, memo, output', performance.now()]);
  let prev = t0;
  const parts = at.map(([name, t]) => {
    const ms = t - prev;
    prev = t;
    return `${name} ${ms.toFixed(0)} ms`;
  });
  const total = prev - t0;
  console.log(`round ${round + 1}${round === 0 ? ' (cold)' : ''}: ${(total / 1000).toFixed(3)} s, ${(total / floor).toFixed(2)}× floor without node's start and the CLI's modules (${parts.join(', ')})`);
}
rmSync(base, { recursive: true, force: true });
