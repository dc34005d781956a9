// npm run bench: whole-process timings and peak memory, each printed next to
// the floor measured in the same run. Other *.bench.mjs files in this folder
// (organize, tokens, tree, parse) run after the core figures.
import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { synthRepo, synthBacklogRepo, CORPUS, BACKLOG_CORPUS, BACKLOG_DIRS } from './synth.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const bin = join(root, 'bin', 'tracks.js');
if (!existsSync(join(root, 'dist', 'main.js'))) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

function time(args, { cwd = root, env = {}, runs = RUNS, before } = {}) {
  const xs = [];
  let rss = 0;
  for (let i = 0; i < runs; i++) {
    before?.();
    const t0 = process.hrtime.bigint();
    const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, encoding: 'utf8', maxBuffer: 1 << 28 });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-400)}`);
    rss = Math.max(rss, Number(r.stderr.trim().split('\n').pop()));
    xs.push(ms);
  }
  xs.sort((a, b) => a - b);
  return { ms: xs[Math.floor(xs.length / 2)], min: xs[0], rssMiB: rss / 1024 };
}

const fmt = (x) => `${(x.ms / 1000).toFixed(3)} s`;
const rows = [];
const row = (name, x, note = '') => {
  rows.push([name, fmt(x), `${x.rssMiB.toFixed(0)} MiB`, note]);
  console.log(`${name.padEnd(44)} ${fmt(x).padStart(9)}  ${x.rssMiB.toFixed(0).padStart(4)} MiB  ${note}`);
};

console.log(`node ${process.version}, ${RUNS} runs each, median wall time, peak RSS\n`);
const nodeStart = time(['-e', '0']);
row('node -e 0', nodeStart);
const version = time([bin, '--version']);
row('tracks --version', version, `+${(version.ms - nodeStart.ms).toFixed(0)} ms over node (target ≤ 60 ms)`);

// `--formats`: only the other-format figures (and node's start, to read them against).
const onlyFormats = process.argv.includes('--formats');
if (!onlyFormats) {
const corpusFloor = time([join(here, 'floor.mjs'), CORPUS]);
row('floor: read 205 corpus files + fences', corpusFloor);
const corpusRepo = join(here, '.out', 'corpus');
if (!existsSync(corpusRepo)) {
  execFileSync('mkdir', ['-p', corpusRepo]);
  execFileSync('cp', ['-r', CORPUS, join(corpusRepo, 'work_orders')]);
}
const corpusCheck = time([bin, 'check', '--no-cache'], { cwd: corpusRepo });
row('tracks check, 205-file corpus', corpusCheck, `+${(corpusCheck.ms - nodeStart.ms).toFixed(0)} ms over node (target ≤ 350 ms)`);

for (const n of [1000, 10000]) {
  const dir = synthRepo(n, { git: true });
  const floor = time([join(here, 'floor.mjs'), join(dir, 'work_orders')]);
  row(`floor: read ${n} files + fences`, floor);
  const cold = time([bin, 'check', '--no-cache'], { cwd: dir, runs: Math.min(RUNS, 5) });
  row(`tracks check, ${n} WOs, cold`, cold, `${(cold.ms / floor.ms).toFixed(2)}× floor${n === 10000 ? ' (target ≤ 4×)' : ''}`);
  time([bin, 'check'], { cwd: dir, runs: 1 }); // prime the cache
  const warm = time([bin, 'check'], { cwd: dir });
  row(`tracks check, ${n} WOs, unchanged (cache)`, warm, `${(warm.ms / floor.ms).toFixed(2)}× floor${n === 10000 ? ' (target ≤ 1.5×)' : ''}`);
  const staged = time([bin, 'check', '--staged'], { cwd: dir, runs: Math.min(RUNS, 5) });
  row(`tracks check --staged, ${n} WOs (cache)`, staged, `${(staged.ms / floor.ms).toFixed(2)}× floor`);
}
}
// Another format: Backlog.md (four task directories, preset: backlog-md), the real corpus and 10,000 tasks shaped like it.
const backlogCorpus = join(here, '.out', 'backlog-corpus');
if (!existsSync(join(backlogCorpus, '.done'))) {
  rmSync(backlogCorpus, { recursive: true, force: true });
  execFileSync('mkdir', ['-p', backlogCorpus]);
  execFileSync('cp', ['-r', join(BACKLOG_CORPUS, 'backlog'), join(backlogCorpus, 'backlog')]);
  execFileSync('chmod', ['-R', 'u+w', backlogCorpus]);
  execFileSync('sh', ['-c', "printf 'preset: backlog-md\\n' > tracks.config.yaml && git init -q -b main && git -c user.name=bench -c user.email=b@b add -A && git -c user.name=bench -c user.email=b@b commit -qm corpus && touch .done"], { cwd: backlogCorpus });
}
for (const [label, dir] of [['673 Backlog.md tasks', backlogCorpus], ['10000 Backlog.md-shaped tasks', synthBacklogRepo(10000, { git: true })]]) {
  const floor = time([join(here, 'floor.mjs'), ...BACKLOG_DIRS.map((d) => join(dir, d))]);
  row(`floor: read ${label} + fences`, floor);
  const cold = time([bin, 'check', '--no-cache'], { cwd: dir, runs: Math.min(RUNS, 5) });
  row(`tracks check, ${label}, cold`, cold, `${(cold.ms / floor.ms).toFixed(2)}× floor, +${(cold.ms - nodeStart.ms).toFixed(0)} ms over node`);
  const dry = time([bin, 'organize', '--dry-run', '--provider', 'local'], { cwd: dir, runs: Math.min(RUNS, 3) });
  row(`tracks organize --dry-run, ${label}`, dry, `${(dry.ms / floor.ms).toFixed(2)}× floor (offline organizer)`);
}

if (!onlyFormats) {
  const big = synthRepo(50000, { seed: 7 });
  const mem = time([bin, 'check', '--no-cache'], { cwd: big, runs: 1 });
  row('tracks check, 50,000 WOs, cold', mem, `peak RSS (target < 300 MiB)`);
}

if (!process.argv.includes('--core') && !onlyFormats) {
  for (const f of readdirSync(here).filter((f) => f.endsWith('.bench.mjs')).sort()) {
    console.log(`\n== ${f}`);
    const r = spawnSync(process.execPath, [join(here, f)], { stdio: 'inherit', cwd: root });
    if (r.status !== 0) console.log(`(${f} exited ${r.status})`);
  }
}
