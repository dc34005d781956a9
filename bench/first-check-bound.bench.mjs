// How low a first `check` (empty cache) at 10,000 work orders could go if
// reading front matter cost nothing. A copy of dist/ whose front-matter reader
// is replaced, for work orders, by a stub (each file's `id` line is kept, so
// ids stay distinct, and every work order gets the same four other fields: no
// YAML is read, and the records, rules and cache have far less to hold) is
// timed against the real build, alternating, next to the read floor of the
// same run. What the stub's figure says: the part of a first check that is not
// parsing, and so the least any front-matter reader, however fast, could
// bring it to.
// Needs `npm run build`.
//   node bench/first-check-bound.bench.mjs [--runs 9]
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { synthRepo } from './synth.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const reader = join(root, 'dist', 'parse', 'fastyaml.js');
if (!existsSync(reader)) {
  console.error('bench/first-check-bound.bench.mjs: run `npm run build` first (copies dist/).');
  process.exit(2);
}
const i = process.argv.indexOf('--runs');
const RUNS = i === -1 ? 9 : Number(process.argv[i + 1]);

// The stubbed copy: bin/, dist/ and package.json (the version is read from it), the same node_modules.
const copy = mkdtempSync(join(tmpdir(), 'tracks-bound-'));
cpSync(join(root, 'bin'), join(copy, 'bin'), { recursive: true });
cpSync(join(root, 'dist'), join(copy, 'dist'), { recursive: true });
cpSync(join(root, 'package.json'), join(copy, 'package.json'));
symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
const head = 'export function fastParseYaml(src, lineBase = 0) {';
const source = readFileSync(reader, 'utf8');
if (!source.includes(head)) {
  console.error('bench/first-check-bound.bench.mjs: fastParseYaml not found in dist/parse/fastyaml.js; update the stub.');
  process.exit(2);
}
// only work orders (the text has an id line): the config and the track files are read as ever
const stub = `${head}
    const m = /^id: *(.*)$/m.exec(src);
    if (m) return { data: { id: m[1], title: 'A title', status: 'done', track: 'runner-reliability', depends_on: [] }, pos: Object.create(null), keyPos: Object.create(null) };`;
writeFileSync(join(copy, 'dist', 'parse', 'fastyaml.js'), source.replace(head, stub));

const repo = synthRepo(10000, { git: true });
const clear = () => rmSync(join(repo, '.git', 'tracks'), { recursive: true, force: true });
const run = (args) => {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-400)}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
};
const floors = [];
const real = [];
const bound = [];
for (let k = 0; k < RUNS; k++) {
  floors.push(run([join(here, 'floor.mjs'), join(repo, 'work_orders')]));
  clear();
  real.push(run([join(root, 'bin', 'tracks.js'), 'check']));
  clear();
  bound.push(run([join(copy, 'bin', 'tracks.js'), 'check']));
}
clear();
rmSync(copy, { recursive: true, force: true });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const floor = median(floors);
const line = (name, xs) => console.log(`${name.padEnd(58)} ${(median(xs) / 1000).toFixed(3)} s  ${(median(xs) / floor).toFixed(2)}× floor`);
console.log(`first check at 10,000 work orders, ${RUNS} alternating runs, medians`);
line('floor: read 10000 files + fences', floors);
line('tracks check, first run (cache empty)', real);
line('  … with front matter read for free (stub reader)', bound);
