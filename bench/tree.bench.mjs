// `tracks tree` at scale: the whole command (wall time, peak RSS, output size)
// on the real corpus and on 10,000 seeded synthetic work orders in 8 tracks,
// then where the time goes inside (load, model, layout, render), in-process.
// Run: node bench/tree.bench.mjs   (BENCH_RUNS, TREE_N to change the defaults)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, cpSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { synthRepo, CORPUS } from './synth.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const bin = join(root, 'bin', 'tracks.js');
if (!existsSync(join(root, 'dist', 'tree', 'layout.js'))) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const N = Number(process.env.TREE_N ?? 10_000);
const out = join(here, '.out', 'tree');
mkdirSync(out, { recursive: true });

function run(cwd, args) {
  const xs = [];
  const cpu = [];
  let rss = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', process.execPath, bin, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8', maxBuffer: 1 << 30 });
    xs.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.status !== 0) throw new Error(`tracks ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-400)}`);
    const [u, sys, m] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
    cpu.push((u + sys) * 1000);
    rss = Math.max(rss, m);
  }
  xs.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return { ms: xs[Math.floor(xs.length / 2)], cpuMs: cpu[Math.floor(cpu.length / 2)], rssMiB: rss / 1024 };
}

const size = (f) => {
  const b = statSync(f).size;
  return b > 1 << 20 ? `${(b / (1 << 20)).toFixed(1)} MiB` : `${(b / 1024).toFixed(0)} KiB`;
};

const corpus = join(out, 'corpus');
// Each repository needs its own .git, or the root is found further up (this project).
if (!existsSync(join(corpus, '.git'))) {
  cpSync(CORPUS, join(corpus, 'work_orders'), { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: corpus });
}
const synth = synthRepo(N, { seed: 42, assigned: 0.9, git: true });

console.log(`tracks tree — node ${process.version}, median of ${RUNS} runs, whole process\n`);
// CPU time (user + sys) next to wall time: on a busy machine wall time mostly measures the neighbours.
console.log(`${'repository / format'.padEnd(40)} ${'wall'.padStart(8)} ${'cpu'.padStart(8)} ${'RSS'.padStart(8)}  output`);
for (const [name, dir] of [['corpus (205 WOs, no tracks)', corpus], [`synthetic ${N} WOs, 8 tracks`, synth]]) {
  for (const format of ['html', 'text', 'mermaid']) {
    const file = join(out, `${name.split(' ')[0]}-${N}.${format === 'html' ? 'html' : format === 'mermaid' ? 'mmd' : 'txt'}`);
    const r = run(dir, ['tree', '--format', format, '--out', file]);
    console.log(`${`${name} · ${format}`.padEnd(40)} ${`${(r.ms / 1000).toFixed(2)} s`.padStart(8)} ${`${(r.cpuMs / 1000).toFixed(2)} s`.padStart(8)} ${`${r.rssMiB.toFixed(0)} MiB`.padStart(8)}  ${size(file)}`);
  }
}

// Inside one run, on the synthetic repository.
const d = (p) => import(join(root, 'dist', p));
const { loadRepo } = await d('repo/load.js');
const { buildTree } = await d('tree/model.js');
const { layoutTree } = await d('tree/layout.js');
const { renderHtml } = await d('tree/html.js');
const { renderText } = await d('tree/text.js');
const { Chalk } = await import('chalk');
const lap = (t) => `${(performance.now() - t).toFixed(0)} ms`;
const cpu0 = process.cpuUsage();
let t = performance.now();
const { default: dagre } = await import('@dagrejs/dagre');
const tImport = lap(t);
t = performance.now();
const repo = await loadRepo(synth);
const tLoad = lap(t);
t = performance.now();
const model = buildTree(repo);
const tModel = lap(t);
t = performance.now();
const geo = layoutTree(model, dagre);
const tLayout = lap(t);
t = performance.now();
const html = renderHtml(model, geo, { title: 'bench' });
const tHtml = lap(t);
t = performance.now();
renderText(model, { width: 120, color: new Chalk({ level: 0 }) });
const tText = lap(t);
const c = process.cpuUsage(cpu0);
console.log(`\nin-process wall times (cpu ${((c.user + c.system) / 1000).toFixed(0)} ms in all), ${N} WOs: import dagre ${tImport}, load ${tLoad}, model ${tModel}, layout ${tLayout}, html ${tHtml}, text ${tText}`);
console.log(
  `model: ${model.nodes.size} nodes, ${model.edges.length} edges (${model.edges.filter((e) => e.cross).length} across lanes), ${model.lanes.length} lanes, ${model.columns.length} columns; ` +
    `page ${geo.width}×${Math.round(geo.height)} px, ${(html.length / (1 << 20)).toFixed(1)} MiB; groups stacked without dagre (> cap): ${geo.stacked}`,
);
if (process.env.TREE_KEEP !== '1') rmSync(join(out, `synthetic-${N}.html`), { force: true });
