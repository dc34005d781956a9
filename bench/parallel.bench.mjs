// Parallel work: `tracks create` and `tracks claim` (which now read every local
// branch and work tree) in a repository with 20 local branches and 3 linked
// work trees, next to the same commands in the same repository without them;
// `tracks merge-plan` over 8 track branches, next to the git work it cannot
// avoid (the same merge-tree and rev-list calls, run back to back). Whole
// processes, median wall time and CPU (user + sys).
// Run: node bench/parallel.bench.mjs   (BENCH_RUNS to change the default)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const bin = join(root, 'bin', 'tracks.js');
if (!existsSync(join(root, 'dist', 'main.js'))) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const out = join(here, '.out', 'parallel');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const ENV = { ...process.env, NO_COLOR: '1', GIT_CONFIG_NOSYSTEM: '1' };
const git = (cwd, ...args) => execFileSync('git', args, { cwd, env: ENV, encoding: 'utf8' });

function measure(cmd, args, { cwd, before, after, runs = RUNS }) {
  const wall = [];
  const cpu = [];
  for (let i = 0; i < runs; i++) {
    before?.(i);
    const t0 = process.hrtime.bigint();
    const r = spawnSync('/usr/bin/time', ['-f', '%U %S', cmd, ...args], { cwd, env: ENV, encoding: 'utf8', maxBuffer: 1 << 28 });
    wall.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.status !== 0 && !(r.status === 1 && args.includes('merge-tree'))) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-600)}`);
    const [u, s] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
    cpu.push((u + s) * 1000);
    after?.(i);
  }
  const med = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { ms: med(wall), cpu: med(cpu) };
}

const rows = [];
// On a shared machine wall time mostly measures the neighbours: say the CPU difference too.
const signed = (x) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(0)} ms`;
const delta = (x, base) => `${signed(x.ms - base.ms)} wall, ${signed(x.cpu - base.cpu)} CPU`;
function row(name, x, note = '') {
  rows.push(name);
  console.log(`${name.padEnd(58)} ${`${(x.ms / 1000).toFixed(3)} s`.padStart(9)} ${`${(x.cpu / 1000).toFixed(3)} s`.padStart(9)}  ${note}`);
}

const track = (name, extra = '') => `---\nname: ${name}\ntype: FEAT\nstatus: ready\ngoal: ${name}\n${extra}---\n\n## Description\n`;
const wo = (id, t, extra = '') => `---\nid: ${id}\ntitle: Work ${id}\nstatus: ready\ntrack: ${t}\n${extra}---\n\nBody.\n`;

/** 8 tracks, 200 work orders, committed. */
function baseRepo(dir) {
  mkdirSync(join(dir, 'tracks'), { recursive: true });
  mkdirSync(join(dir, 'work_orders'), { recursive: true });
  mkdirSync(join(dir, 'src'), { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Bench');
  git(dir, 'config', 'user.email', 'bench@example.com');
  git(dir, 'config', 'commit.gpgsign', 'false');
  for (let t = 1; t <= 8; t++) {
    writeFileSync(join(dir, 'tracks', `000${t}_FEAT_t${t}.md`), track(`T${t}`, `scope: [src/t${t}/**]\n`));
    mkdirSync(join(dir, 'src', `t${t}`), { recursive: true });
    writeFileSync(join(dir, 'src', `t${t}`, 'a.ts'), Array.from({ length: 20 }, (_, i) => `export const v${i} = ${i};`).join('\n') + '\n');
  }
  for (let i = 1; i <= 200; i++) writeFileSync(join(dir, 'work_orders', `WO-${i}.md`), wo(`WO-${i}`, `t${1 + (i % 8)}`, i > 8 ? `depends_on: [WO-${i - 8}]\n` : ''));
  writeFileSync(join(dir, 'src', 'shared.ts'), 'export const port = 1;\nexport const host = "a";\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
}

console.log(`tracks parallel work — node ${process.version}, median of ${RUNS} runs, whole process\n`);
console.log(`${'what'.padEnd(58)} ${'wall'.padStart(9)} ${'cpu'.padStart(9)}`);
row('floor: node -e 0', measure(process.execPath, ['-e', '0'], { cwd: out }));

// The same repository twice: alone, and with 20 branches (each with a track and work of its own) and 3 work trees.
const alone = join(out, 'alone');
const busy = join(out, 'busy');
for (const d of [alone, busy]) {
  mkdirSync(d, { recursive: true });
  baseRepo(d);
}
for (let b = 1; b <= 20; b++) {
  git(busy, 'checkout', '-q', '-b', `feature-${b}`, 'main');
  writeFileSync(join(busy, 'tracks', `${String(8 + b).padStart(4, '0')}_FEAT_feature-${b}.md`), track(`Feature ${b}`));
  writeFileSync(join(busy, 'work_orders', `WO-${b}.md`), wo(`WO-${b}`, `t${1 + (b % 8)}`, 'estimate_hours: 3\n'));
  git(busy, 'add', '-A');
  git(busy, 'commit', '-q', '-m', `feature ${b}`);
}
git(busy, 'checkout', '-q', 'main');
for (let w = 1; w <= 3; w++) git(busy, 'worktree', 'add', '-q', join(out, `busy-wt-${w}`), `feature-${w}`);

const undoCommit = (dir) => () => git(dir, 'reset', '-q', '--hard', 'HEAD~1');
const create = (dir) => measure(process.execPath, [bin, 'create', '-n', 'Bench track', '-T', 'FEAT', '--parent', 't1'], { cwd: dir, after: undoCommit(dir) });
const a = create(alone);
row('tracks create, no other branches or work trees', a);
const b = create(busy);
row('tracks create, 20 local branches + 3 work trees', b, `${delta(b, a)} over the same repository alone`);
const claim = (dir) =>
  measure(process.execPath, [bin, 'claim', 't1', '--as', 'bench'], {
    cwd: dir,
    after: () => {
      git(dir, 'reset', '-q', '--hard', 'HEAD~1');
      git(dir, 'branch', '-q', '-D', 'tracks/t1');
    },
  });
const ca = claim(alone);
row('tracks claim (commit + branch), no other branches', ca);
const cb = claim(busy);
row('tracks claim (commit + branch), 20 branches + 3 work trees', cb, `${delta(cb, ca)} over the same repository alone`);
row('floor: git for-each-ref refs/heads/ (busy repository)', measure('git', ['for-each-ref', 'refs/heads/'], { cwd: busy }));

// merge-plan: 8 track branches, each with work of its own; two pairs change the same line of one file.
const mp = join(out, 'merge-plan');
mkdirSync(mp, { recursive: true });
baseRepo(mp);
for (let t = 1; t <= 8; t++) {
  const br = `tracks/t${t}`;
  git(mp, 'checkout', '-q', '-b', br, 'main');
  writeFileSync(join(mp, 'tracks', `000${t}_FEAT_t${t}.md`), track(`T${t}`, `scope: [src/t${t}/**]\nbranch: ${br}\n`).replace('status: ready', 'status: active'));
  writeFileSync(join(mp, 'src', `t${t}`, 'a.ts'), Array.from({ length: 20 }, (_, i) => `export const v${i} = ${i * t};`).join('\n') + '\n');
  if (t <= 4) writeFileSync(join(mp, 'src', 'shared.ts'), `export const port = ${t};\nexport const host = "a";\n`);
  git(mp, 'commit', '-q', '-am', `work on t${t}`);
}
git(mp, 'checkout', '-q', 'main');
for (let t = 1; t <= 8; t++) writeFileSync(join(mp, 'tracks', `000${t}_FEAT_t${t}.md`), track(`T${t}`, `scope: [src/t${t}/**]\nbranch: tracks/t${t}\n`).replace('status: ready', 'status: active'));
git(mp, 'commit', '-q', '-am', 'name the branches');
const m = measure(process.execPath, [bin, 'merge-plan', '--format', 'json'], { cwd: mp });
// The git work merge-plan cannot avoid, back to back in one shell: 8 base merges, 28 pairs, 8 counts.
const script = join(out, 'floor.sh');
const branches = Array.from({ length: 8 }, (_, i) => `tracks/t${i + 1}`);
const lines = [];
for (const br of branches) lines.push(`git merge-tree --write-tree --name-only --no-messages main ${br} >/dev/null`, `git rev-list --left-right --count main...${br} >/dev/null`);
for (let i = 0; i < 8; i++) for (let j = i + 1; j < 8; j++) lines.push(`git merge-tree --write-tree --name-only --no-messages ${branches[i]} ${branches[j]} >/dev/null`);
writeFileSync(script, `set +e\n${lines.join('\n')}\nexit 0\n`);
const floor = measure('sh', [script], { cwd: mp });
row('floor: the same 36 merge-trees and 8 rev-lists, one shell', floor);
row('tracks merge-plan, 8 track branches (4 change one line)', m, `${(m.ms / floor.ms).toFixed(2)}× the git floor`);
