// The offline organizer alone on N synthetic work orders (the same repository organize.bench.mjs
// builds), in this process: median of a few runs, with a phase breakdown when TRACKS_PROFILE=1.
// Usage: node bench/organize-time.mjs [count] [runs]
import { mutatedRepo } from './synth.mjs';
const N = Number(process.argv[2] ?? 10000);
const RUNS = Number(process.argv[3] ?? 3);
const { loadRepo } = await import('../dist/repo/load.js');
const { organizeLocal } = await import('../dist/organize/local.js');
const repo = await loadRepo(mutatedRepo(N));
const times = [];
let p;
for (let r = 0; r < RUNS; r++) {
  const t0 = process.hrtime.bigint();
  p = organizeLocal(repo, 'initial');
  times.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
times.sort((a, b) => a - b);
console.log(`organizeLocal() on ${N}: median ${(times[Math.floor(times.length / 2)] / 1000).toFixed(2)} s (runs ${times.map((t) => (t / 1000).toFixed(2)).join(' ')}), ${p.tracks.length} tracks (${p.tracks.filter((t) => !t.parent).length} top-level)`);
