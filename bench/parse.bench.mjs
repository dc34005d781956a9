// Reading front matter, in-process, on 10,000 synthetic work orders made by
// mutating real corpus files with a seeded PRNG: the read+fence floor, the
// fast subset reader, the production reader (fast, falling back to yaml),
// and yaml.parseDocument, in ms per 1,000 files. Needs `npm run build`.
//   node bench/parse.bench.mjs [--files 10000] [--runs 5] [--seed 1]
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rng } from './synth.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const dist = join(root, 'dist', 'parse');
if (!existsSync(join(dist, 'fastyaml.js'))) {
  console.error('bench/parse.bench.mjs: run `npm run build` first (reads dist/parse).');
  process.exit(2);
}
const { splitFrontMatter } = await import(join(dist, 'frontmatter.js'));
const { fastParseYaml } = await import(join(dist, 'fastyaml.js'));
const { readSource, exactParseYaml } = await import(join(dist, 'document.js'));
const { LineCounter, parseDocument } = await import('yaml');

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? dflt : Number(process.argv[i + 1]);
};
const FILES = arg('files', 10000);
const RUNS = arg('runs', 5);
const SEED = arg('seed', 1);


const corpora = ['pcc-head', 'pcc-2026-01-15'].map((c) => join(root, '..', 'shared', 'corpora', c, 'work_orders'));
const sources = corpora.flatMap((d) => readdirSync(d).sort().map((f) => readFileSync(join(d, f), 'utf8')));

/**
 * A corpus file, mutated the way real repositories differ: a fresh id, list
 * items shuffled or dropped, keys removed, a track assigned (as a scalar or a
 * list), comments added, sometimes CRLF or a BOM. Broken corpus files stay
 * broken (about 2% of the corpora), so the fallback cost is in the figures.
 */
function mutate(text, i, rand) {
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const t0 = text.replace(/^id: .*$/m, `id: WO-${2000 + Math.floor(i / 1000)}-${String(i % 1000).padStart(3, '0')}`);
  const [head, ...rest] = t0.split('\n---\n');
  // top-level pairs: a key line and the lines under it
  const blocks = [];
  for (const line of head.split('\n')) {
    if (blocks.length && /^(?:\s|$|#)/.test(line)) blocks[blocks.length - 1].push(line);
    else blocks.push([line]);
  }
  let out = blocks.filter((b) => !/^track(_id)?:/.test(b[0]));
  if (rand() < 0.2) out = out.filter((b) => !/^(?:non_goals|stop_conditions|era|estimate_hours):/.test(b[0]) || rand() < 0.5);
  for (const b of out) {
    // reorder or drop items of flat lists (items at one indentation, nothing under them)
    const items = b.map((l, k) => (/^ {2}- /.test(l) ? k : -1)).filter((k) => k > 0);
    if (items.length < 3 || b.some((l, k) => k > 0 && !/^ {2}- /.test(l))) continue;
    if (rand() < 0.3) {
      const k = pick(items);
      const j = pick(items);
      [b[k], b[j]] = [b[j], b[k]];
    }
    if (rand() < 0.15) b.splice(pick(items), 1);
  }
  if (rand() < 0.1) out.splice(1 + Math.floor(rand() * (out.length - 1)), 0, [pick(['# reviewed', ''])]);
  const r = rand();
  if (r < 0.7) out.push([`track: ${pick(['runner-reliability', 'economy', 'visualization', 'chat-and-agents', 'onboarding'])}`]);
  else if (r < 0.75) out.push(['track: [economy, onboarding]']);
  let t = [out.flat().join('\n'), ...rest].join('\n---\n');
  if (rand() < 0.05) t = t.replace(/\n/g, '\r\n');
  if (rand() < 0.02) t = '\uFEFF' + t;
  return t;
}

const dir = mkdtempSync(join(tmpdir(), 'tracks-parse-bench-'));
const rand = rng(SEED);
const paths = [];
for (let i = 0; i < FILES; i++) {
  const p = join(dir, `WO-${i}.md`);
  writeFileSync(p, mutate(sources[Math.floor(rand() * sources.length)], i, rand));
  paths.push(p);
}

const read = (p) => readFileSync(p, 'utf8');
const variants = {
  'floor: read + find fences': () => {
    let n = 0;
    for (const p of paths) {
      const t = read(p);
      if (t.startsWith('---') && t.indexOf('\n---', 3) > 0) n++;
    }
    return n;
  },
  'read + splitFrontMatter': () => {
    let n = 0;
    for (const p of paths) if (splitFrontMatter(read(p)).kind === 'ok') n++;
    return n;
  },
  'read + split + fastParseYaml': () => {
    let n = 0;
    for (const p of paths) {
      const s = splitFrontMatter(read(p));
      if (s.kind === 'ok' && fastParseYaml(s.fm.yaml)) n++;
    }
    return n;
  },
  'read + readSource (fast, else yaml)': () => {
    let n = 0;
    for (const p of paths) if (readSource(p, read(p), '').doc.ok) n++;
    return n;
  },
  'read + split + yaml.parseDocument': () => {
    let n = 0;
    for (const p of paths) {
      const s = splitFrontMatter(read(p));
      if (s.kind === 'ok' && parseDocument(s.fm.yaml, { lineCounter: new LineCounter(), uniqueKeys: true }).errors.length === 0) n++;
    }
    return n;
  },
  'read + split + exact reader (yaml, positions, toJS)': () => {
    let n = 0;
    for (const p of paths) {
      const s = splitFrontMatter(read(p));
      if (s.kind === 'ok' && exactParseYaml(s.fm.yaml).errors.length === 0) n++;
    }
    return n;
  },
};

let fallbacks = 0;
for (const p of paths) {
  const s = splitFrontMatter(read(p));
  if (s.kind === 'ok' && !fastParseYaml(s.fm.yaml)) fallbacks++;
}

console.log(`${FILES} synthetic work orders (seed ${SEED}) from ${sources.length} corpus files; node ${process.version}`);
console.log(`fast reader gives up on ${fallbacks} files (${((fallbacks / FILES) * 100).toFixed(1)}%): those go to yaml\n`);
console.log(`${'variant'.padEnd(52)} ${'ms/1000 files'.padStart(14)} ${'min'.padStart(8)}  ok files`);
let floor = 0;
for (const [name, fn] of Object.entries(variants)) {
  fn(); // warm the JIT and the page cache
  const slow = name.includes('yaml') || name.includes('exact');
  const runs = slow ? Math.max(1, Math.min(RUNS, 3)) : RUNS;
  const xs = [];
  let ok = 0;
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    ok = fn();
    xs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  xs.sort((a, b) => a - b);
  const per = (ms) => (ms / FILES) * 1000;
  const med = per(xs[Math.floor(xs.length / 2)]);
  if (!floor) floor = med;
  console.log(`${name.padEnd(52)} ${med.toFixed(1).padStart(14)} ${per(xs[0]).toFixed(1).padStart(8)}  ${String(ok).padStart(5)}   ${(med / floor).toFixed(1)}× floor`);
}
rmSync(dir, { recursive: true, force: true });
