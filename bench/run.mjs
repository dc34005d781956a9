// npm run bench: whole-process timings and peak memory, each printed next to
// the floor measured in the same run (node reading the same files and finding
// their fences). Other *.bench.mjs files in this folder (check-warm,
// first-check-bound, mcp, organize, parallel, parse, tokens, tree, write) run
// after the core figures.
// The machine is shared, so read ratios to the floor of the same run, not
// absolute times.
//   node bench/run.mjs [--core] [--formats] [--reads] [--peer]
//   --reads: only the read commands at 10,000 work orders; --peer: only the Backlog.md comparison
import { spawnSync, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { synthRepo, synthBacklogRepo, mutatedRepo, CORPUS, BACKLOG_CORPUS, BACKLOG_DIRS } from './synth.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const bin = join(root, 'bin', 'tracks.js');
if (!existsSync(join(root, 'dist', 'main.js'))) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

function time(args, { cwd = root, env = {}, runs = RUNS, before, exe = process.execPath } = {}) {
  const xs = [];
  let rss = 0;
  for (let i = 0; i < runs; i++) {
    before?.();
    const t0 = process.hrtime.bigint();
    const r = spawnSync('/usr/bin/time', ['-f', '%M', ...(exe ? [exe] : []), ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, encoding: 'utf8', maxBuffer: 1 << 30 });
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
const onlyReads = process.argv.includes('--reads');
const onlyPeer = process.argv.includes('--peer');
const only = onlyFormats || onlyReads || onlyPeer;
const ratio = (x, floor) => `${(x.ms / floor.ms).toFixed(2)}× floor`;
const clear = (dir, what) => () => rmSync(join(dir, '.git', 'tracks', ...what), { recursive: true, force: true });
if (!only) {
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
  const first = time([bin, 'check'], { cwd: dir, runs: Math.min(RUNS, 5), before: clear(dir, []) });
  row(`tracks check, ${n} WOs, first run (cache empty)`, first, `${ratio(first, floor)}${n === 10000 ? ' (target ≤ 3×)' : ''}`);
  const cold = time([bin, '--no-cache', 'check'], { cwd: dir, runs: Math.min(RUNS, 3) });
  row(`tracks check --no-cache, ${n} WOs`, cold, ratio(cold, floor));
  time([bin, 'check'], { cwd: dir, runs: 1 }); // prime the cache
  const warm = time([bin, 'check'], { cwd: dir });
  row(`tracks check, ${n} WOs, nothing changed`, warm, `${ratio(warm, floor)}${n === 10000 ? ' (target ≤ 1.5×)' : ''}`);
  const staged = time([bin, 'check', '--staged'], { cwd: dir, runs: Math.min(RUNS, 5) });
  row(`tracks check --staged, ${n} WOs (cache)`, staged, ratio(staged, floor));
}
}

/**
 * Every read command at 10,000 work orders, nothing changed: as run again
 * (the run memo replays it), and from the per-file records alone (the run memo
 * cleared before each run: what a first call with other arguments costs).
 */
if (!only || onlyReads) {
  const dir = synthRepo(10000, { git: true });
  const floor = time([join(here, 'floor.mjs'), join(dir, 'work_orders')]);
  row('floor: read 10000 files + fences', floor);
  const reads = [
    ['list', '--format', 'json'],
    ['status'],
    ['next'],
    ['report', '--format', 'json'],
    ['show', 'economy', '--format', 'json'],
    ['context', 'economy'],
    ['tree', '--format', 'html'],
  ];
  for (const args of reads) {
    time([bin, ...args], { cwd: dir, runs: 1 }); // prime the cache and the run memo
    const again = time([bin, ...args], { cwd: dir, runs: Math.min(RUNS, 5) });
    row(`tracks ${args.join(' ')}, 10000, nothing changed`, again, `${ratio(again, floor)} (target ≤ 1.5×)`);
    const records = time([bin, ...args], { cwd: dir, runs: Math.min(RUNS, 5), before: clear(dir, ['runs']) });
    row(`  … from the per-file records only`, records, ratio(records, floor));
  }
  const out = join(mkdtempSync(join(tmpdir(), 'tracks-bench-')), 'tree.html');
  const tree = time([bin, 'tree', '--format', 'html', '--out', out], { cwd: dir, runs: Math.min(RUNS, 5) });
  row('tracks tree --format html --out, 10000 (never replayed)', tree, `${ratio(tree, floor)} (target ≤ 5×, ≤ 250 MiB)`);
  rmSync(dirname(out), { recursive: true, force: true });
  // The offline organizer on 10,000 work orders with real vocabulary (bench/organize.bench.mjs has more).
  const org = join(here, '.out', 'organize-dry');
  if (!existsSync(join(org, '.git'))) {
    cpSync(join(mutatedRepo(10000), 'work_orders'), join(org, 'work_orders'), { recursive: true });
    execFileSync('sh', ['-c', 'git init -q -b main && git -c user.name=bench -c user.email=b@b add -A && git -c user.name=bench -c user.email=b@b commit -qm synthetic'], { cwd: org });
  }
  const orgFloor = time([join(here, 'floor.mjs'), join(org, 'work_orders')]);
  const dryArgs = [bin, 'organize', '--provider', 'local', '--dry-run', '--format', 'json'];
  time(dryArgs, { cwd: org, runs: 1, env: { ANTHROPIC_API_KEY: '' } });
  const dry = time(dryArgs, { cwd: org, runs: Math.min(RUNS, 3), env: { ANTHROPIC_API_KEY: '' } });
  row('tracks organize --dry-run, 10000 (cache)', dry, `${ratio(dry, orgFloor)} (target ≤ 3 s, ≤ 250 MiB)`);
  const dryCold = time(dryArgs, { cwd: org, runs: Math.min(RUNS, 3), env: { ANTHROPIC_API_KEY: '', TRACKS_NO_CACHE: '1' } });
  row('tracks organize --dry-run, 10000 (no cache)', dryCold, ratio(dryCold, orgFloor));
}

/**
 * The peer: the same 10,000 tasks in Backlog.md's format listed by Backlog.md
 * itself (npm backlog.md 1.52.0, installed into a temporary folder) and by tracks.
 */
if (!only || onlyPeer) {
  const dir = synthBacklogRepo(10000, { git: true });
  // Backlog.md reads its own config; without remote operations it stays off the network.
  if (!existsSync(join(dir, 'backlog', 'config.yml'))) {
    writeFileSync(
      join(dir, 'backlog', 'config.yml'),
      'project_name: "Backlog.md"\ndefault_status: "To Do"\nstatuses: ["To Do", "In Progress", "Done"]\nlabels: []\ndate_format: yyyy-mm-dd hh:mm\nremote_operations: false\nauto_commit: false\ncheck_active_branches: false\ntask_prefix: "back"\n',
    );
  }
  const prefix = mkdtempSync(join(tmpdir(), 'tracks-peer-'));
  const install = spawnSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', prefix, 'backlog.md@1.52.0'], { encoding: 'utf8', timeout: 180_000 });
  const backlog = join(prefix, 'node_modules', '.bin', 'backlog');
  const floor = time([join(here, 'floor.mjs'), ...BACKLOG_DIRS.map((d) => join(dir, d))]);
  row('floor: read 10000 Backlog.md tasks + fences', floor);
  time([bin, 'list'], { cwd: dir, runs: 1 });
  const again = time([bin, 'list'], { cwd: dir, runs: Math.min(RUNS, 5) });
  const records = time([bin, 'list'], { cwd: dir, runs: Math.min(RUNS, 5), before: clear(dir, ['runs']) });
  const noCache = time([bin, '--no-cache', 'list'], { cwd: dir, runs: Math.min(RUNS, 3) });
  if (install.status !== 0 || !existsSync(backlog)) {
    row('tracks list, 10000 Backlog.md tasks', again, ratio(again, floor));
    console.log(`(backlog.md 1.52.0 could not be installed, so there is no peer figure: ${(install.stderr || install.error?.message || '').trim().split('\n').pop()})`);
  } else {
    const peer = time([backlog, 'task', 'list', '--plain'], { cwd: dir, runs: Math.min(RUNS, 3), exe: '' });
    row('backlog task list --plain (backlog.md 1.52.0)', peer, ratio(peer, floor));
    row('tracks list, same tasks, nothing changed', again, `${ratio(again, floor)}; ${(peer.ms / again.ms).toFixed(0)}× faster than backlog.md, ${(peer.rssMiB / again.rssMiB).toFixed(0)}× less memory`);
    row('  … from the per-file records only', records, `${ratio(records, floor)}; ${(peer.ms / records.ms).toFixed(0)}× faster`);
    row('  … with --no-cache', noCache, `${ratio(noCache, floor)}; ${(peer.ms / noCache.ms).toFixed(0)}× faster`);
  }
  rmSync(prefix, { recursive: true, force: true });
}

// Another format: Backlog.md (four task directories, preset: backlog-md), the real corpus and 10,000 tasks shaped like it.
if (!only || onlyFormats) {
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
}

if (!only) {
  const big = synthRepo(50000, { seed: 7 });
  const mem = time([bin, 'check', '--no-cache'], { cwd: big, runs: 1 });
  row('tracks check, 50,000 WOs, cold', mem, `peak RSS (target < 300 MiB)`);
}

if (!process.argv.includes('--core') && !only) {
  for (const f of readdirSync(here).filter((f) => f.endsWith('.bench.mjs')).sort()) {
    console.log(`\n== ${f}`);
    const r = spawnSync(process.execPath, [join(here, f)], { stdio: 'inherit', cwd: root });
    if (r.status !== 0) console.log(`(${f} exited ${r.status})`);
  }
}
