// Offline organizer and apply on 10,000 synthetic work orders: wall time and peak memory.
// The work orders are real pcc-head files with fresh ids and mutated titles and tags
// (words and tags borrowed from another file), so the vocabulary and the shape of the
// front matter are the real ones but no two files are the same. Seeded: same repo each run.
// Then a hostile repository: 3,000 work orders with 300 random tags, 60-word titles and
// 50 dependencies each, which once ran past 600 s at 2 GB (what one work order
// contributes is capped now; see CAPS in src/organize/text.ts).
// Usage: node bench/organize.bench.mjs [count] [--hostile-only]
import { spawnSync, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mutatedRepo, rng, CORPUS } from './synth.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const bin = join(root, 'bin', 'tracks.js');
if (!existsSync(join(root, 'dist', 'main.js'))) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
const N = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 10000);
const HOSTILE_ONLY = process.argv.includes('--hostile-only');

function fresh(src, name) {
  const dir = join(here, '.out', name);
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(src, 'work_orders'), join(dir, 'work_orders'), { recursive: true });
  const g = (...a) => execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=b@b', '-c', 'commit.gpgsign=false', ...a], { cwd: dir, stdio: 'ignore' });
  g('init', '-q', '-b', 'main');
  g('add', '-A');
  g('commit', '-qm', 'synthetic');
  return dir;
}

function run(args, cwd) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', process.execPath, bin, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', ANTHROPIC_API_KEY: '', TRACKS_NO_CACHE: '1' },
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`tracks ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-600)}`);
  const [user, sys, kb] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { ms, cpu: (user + sys) * 1000, rss: kb / 1024, stdout: r.stdout, stderr: r.stderr };
}

// CPU (user+sys) next to wall time: on a busy machine the wall time says more about the neighbours.
const row = (label, r, note = '') =>
  console.log(`${label.padEnd(56)} wall ${(r.ms / 1000).toFixed(2).padStart(6)} s  cpu ${(r.cpu / 1000).toFixed(2).padStart(6)} s  peak RSS ${r.rss.toFixed(0).padStart(4)} MiB  ${note}`);

if (!HOSTILE_ONLY) await realistic();
await hostile(3000);

async function realistic() {
const src = mutatedRepo(N);
console.log(`${N} synthetic work orders (mutated pcc-head files), offline organizer:`);
{
  // The organizer alone, in this process: what the "few seconds" target is about.
  const { loadRepo } = await import('../dist/repo/load.js');
  const { organizeLocal } = await import('../dist/organize/local.js');
  const repo = await loadRepo(src);
  const before = process.memoryUsage().rss;
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const p = organizeLocal(repo, 'initial');
  const c = process.cpuUsage(c0);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log(`${'organizeLocal() alone (repository already loaded)'.padEnd(56)} wall ${(ms / 1000).toFixed(2).padStart(6)} s  cpu ${((c.user + c.system) / 1e6).toFixed(2).padStart(6)} s  RSS +${((process.memoryUsage().rss - before) / 2 ** 20).toFixed(0)} MiB  ${p.tracks.length} tracks (${p.tracks.filter((t) => !t.parent).length} top-level)`);
}
const a = fresh(src, 'organize-run-a');
const dry = run(['organize', '--provider', 'local', '--dry-run', '--format', 'json'], a);
const plan = JSON.parse(dry.stdout);
row('organize --dry-run (load, organize, plan; no writes)', dry, `${plan.summary.newTracks} tracks, ${plan.summary.moved} work orders`);
row('organize --yes --no-commit (…, write files)', run(['organize', '--provider', 'local', '--yes', '--no-commit'], a), `${plan.changes.length} files`);
const b = fresh(src, 'organize-run-b');
row('organize --yes (…, write files, one git commit)', run(['organize', '--provider', 'local', '--yes'], b));
const planFile = join(here, '.out', 'organize-plan.json');
const c = fresh(src, 'organize-run-c');
run(['organize', '--provider', 'local', '--plan-out', planFile], c);
row('apply PLAN.json --yes --no-commit (hash check, write)', run(['apply', planFile, '--yes', '--no-commit'], c));
const d = fresh(src, 'organize-run-d');
run(['organize', '--provider', 'local', '--plan-out', planFile], d);
row('apply PLAN.json --yes (hash check, write, commit)', run(['apply', planFile, '--yes'], d));
// Incremental: 5% new work orders on top of the organized repository.
const e = join(here, '.out', 'organize-run-b');
const add = Math.round(N / 20);
const extra = mutatedRepo(add, 99);
for (const f of readdirSync(join(extra, 'work_orders'))) {
  const t = readFileSync(join(extra, 'work_orders', f), 'utf8').replace(/^id: WO-3/m, 'id: WO-4').replace(/WO-3(\d{3}-\d{3})/g, 'WO-4$1');
  writeFileSync(join(e, 'work_orders', f.replace(/^WO-3/, 'WO-4')), t);
}
execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=b@b', 'add', '-A'], { cwd: e });
execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=b@b', 'commit', '-qm', 'more'], { cwd: e });
row(`organize --yes, incremental (${add} new on top of ${N})`, run(['organize', '--provider', 'local', '--yes'], e));
}

/** Work orders no person writes: every list long, every word random. Seeded. */
export function hostileRepo(n, seed = 3) {
  const dir = join(here, '.out', `organize-hostile-${n}-${seed}`);
  if (existsSync(join(dir, '.done'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'work_orders'), { recursive: true });
  const rand = rng(seed);
  const word = () => Math.floor(rand() * 36 ** 6).toString(36);
  const pool = Array.from({ length: 5000 }, word);
  const pick = () => pool[Math.floor(rand() * pool.length)];
  const id = (i) => `WO-${String(i).padStart(5, '0')}`;
  for (let i = 0; i < n; i++) {
    const tags = Array.from({ length: 300 }, word);
    const title = Array.from({ length: 60 }, pick).join(' ');
    const deps = i ? Array.from({ length: 50 }, () => id(Math.floor(rand() * i))) : [];
    const goal = Array.from({ length: 80 }, pick).join(' ');
    writeFileSync(
      join(dir, 'work_orders', `${id(i)}-hostile.md`),
      `---\nid: ${id(i)}\ntitle: ${title}\ngoal: ${goal}\nstatus: ready\ntags: [${tags.join(', ')}]\ndepends_on: [${[...new Set(deps)].join(', ')}]\n---\n\nBody.\n`,
    );
  }
  writeFileSync(join(dir, '.done'), '');
  return dir;
}

async function hostile(n) {
  const src = hostileRepo(n);
  console.log(`\n${n} hostile work orders (300 random tags, 60-word titles, 50 dependencies each), offline organizer:`);
  // The floor: node reading the same files and finding their fences.
  const floor = spawnSync('/usr/bin/time', ['-f', '%U %S %M', process.execPath, join(here, 'floor.mjs'), join(src, 'work_orders')], { encoding: 'utf8' });
  const t0 = process.hrtime.bigint();
  spawnSync(process.execPath, [join(here, 'floor.mjs'), join(src, 'work_orders')]);
  const floorMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const floorRss = Number(floor.stderr.trim().split('\n').pop().split(' ')[2]) / 1024;
  console.log(`${'floor: read the files and find their fences'.padEnd(56)} wall ${(floorMs / 1000).toFixed(2).padStart(6)} s  peak RSS ${floorRss.toFixed(0).padStart(4)} MiB`);
  const { loadRepo } = await import('../dist/repo/load.js');
  const { organizeLocal } = await import('../dist/organize/local.js');
  const repo = await loadRepo(src);
  const before = process.memoryUsage().rss;
  const t1 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const p = organizeLocal(repo, 'initial');
  const c = process.cpuUsage(c0);
  const ms = Number(process.hrtime.bigint() - t1) / 1e6;
  console.log(`${'organizeLocal() alone (repository already loaded)'.padEnd(56)} wall ${(ms / 1000).toFixed(2).padStart(6)} s  cpu ${((c.user + c.system) / 1e6).toFixed(2).padStart(6)} s  RSS +${((process.memoryUsage().rss - before) / 2 ** 20).toFixed(0)} MiB  ${p.tracks.length} tracks`);
  const a = fresh(src, `organize-hostile-run-${n}`);
  const dry = run(['organize', '--provider', 'local', '--dry-run', '--format', 'json'], a);
  row('organize --dry-run (load, organize, plan; no writes)', dry, `${(dry.ms / floorMs).toFixed(1)}× the floor`);
}
