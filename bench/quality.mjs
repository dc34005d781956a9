// Every quality figure of the offline organizer at once, from dist/ (run `npm run build` first):
// agreement with the hand-made pcc-head reference (ARI, AMI, lanes) and on the older snapshot
// (its work orders the reference also lists), incremental placement on pcc-head, Backlog.md
// sub-tasks with their parent, churn across the pcc snapshots (first and second reorg; also with
// every new track left "ready"), and all of it for other seeds (--seeds 5, or --seeds
// 20260115,1,2), so no figure rests on one lucky seed. The tests in local-quality.test.ts and
// organize-real-work.test.ts hold the default seed to floors below these figures.
// Usage: node bench/quality.mjs [--seeds N|a,b,c] [--opts '{"restarts":40}'] [--quick] [--show]
// (--quick: agreement only; --show: the lanes of the first seed against the reference groups;
// ROOT=<another checkout> measures that checkout's dist/ instead.)
import { readFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = process.env.ROOT ?? join(dirname(fileURLToPath(import.meta.url)), '..');
const CORPORA = join(root, '..', 'shared', 'corpora');
const d = (p) => import(join(root, 'dist', p));
const { organizeLocal, LOCAL_DEFAULTS } = await d('organize/local.js');
const { validateProposal } = await d('organize/validate.js');
const { organizable } = await d('organize/scope.js');
const { adjustedMutualInfo, adjustedRand } = await d('organize/metrics.js');
const { buildPlan } = await d('plan/build.js');
const { materialize } = await d('plan/verify.js');
const { blobIdOf } = await d('core/blob.js');
const { parseTrackFile, parseWorkOrderFile } = await d('repo/load.js');
const { blobId } = await d('fs/source.js');
const { DEFAULT_CONFIG } = await d('config/config.js');

const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const extra = JSON.parse(arg('--opts') ?? '{}');
const seedArg = arg('--seeds') ?? '1';
const seeds = /,/.test(seedArg) ? seedArg.split(',').map(Number) : Array.from({ length: Number(seedArg) }, (_, i) => (i === 0 ? LOCAL_DEFAULTS.seed : 1000 + 7 * i));
const quick = process.argv.includes('--quick');

function repoFrom(files, config = {}) {
  const src = (path) => {
    const bytes = new TextEncoder().encode(files[path]);
    return { path, hash: blobId(bytes), bytes };
  };
  const paths = Object.keys(files).sort();
  return {
    root: '/nowhere',
    config: { ...DEFAULT_CONFIG, ...config },
    configPath: undefined,
    configProblems: [],
    workOrders: paths.filter((p) => p.startsWith('work_orders/')).map((p) => parseWorkOrderFile(src(p))),
    tracks: paths.filter((p) => p.startsWith('tracks/')).map((p) => parseTrackFile(src(p))),
    text: (p) => files[p],
  };
}
const trk = (name) => `---\nname: ${name}\ntype: FEAT\nstatus: active\ngoal: ""\nparent: null\n---\n\n## Description\n`;
function corpus(which) {
  const dir = join(CORPORA, which, 'work_orders');
  return Object.fromEntries(readdirSync(dir).sort().map((f) => [`work_orders/${f}`, readFileSync(join(dir, f), 'utf8')]));
}
function check(p, repo, mode) {
  const v = validateProposal(p, repo, mode);
  if (v.length) throw new Error(`invalid ${mode} proposal: ${v.join('; ')}`);
}
/** As organize-real-work.test.ts: `status` overrides the status new track files start in. */
function apply(files, p, mode, status) {
  const repo = repoFrom(files);
  check(p, repo, mode);
  const plan = buildPlan({ repo, proposal: p, mode, readText: repo.text, now: '2026-06-01T00:00:00Z' });
  const out = { ...files };
  const current = (path) => (files[path] === undefined ? null : { bytes: Buffer.from(files[path]), hash: blobIdOf(Buffer.from(files[path])) });
  const created = new Set(plan.changes.filter((c) => c.action === 'create').map((c) => c.path));
  for (const w of materialize(plan, current, repo.config)) {
    if (w.after === null) delete out[w.path];
    else {
      const text = Buffer.from(w.after).toString('utf8');
      out[w.path] = status && created.has(w.path) && w.path.startsWith('tracks/') ? text.replace(/^status: .*$/m, `status: ${status}`) : text;
    }
  }
  const s = plan.summary;
  return { files: out, moved: s.moved, trackChanges: s.newTracks + s.changedTracks + s.merges + s.retired };
}
const topOf = (p) => {
  const parent = new Map(p.tracks.map((t) => [t.slug, t.parent]));
  return (s) => {
    while (parent.get(s)) s = parent.get(s);
    return s;
  };
};

const reference = JSON.parse(readFileSync(join(root, 'test/fixtures/organize/pcc-head-reference.json'), 'utf8'));
const refOf = new Map();
for (const [g, v] of Object.entries(reference.groups)) for (const id of v.ids) refOf.set(id, g);
const head = corpus('pcc-head');
const old = corpus('pcc-2026-01-15');

function agreement(files, opts) {
  const repo = repoFrom(files);
  const p = organizeLocal(repo, 'initial', opts);
  check(p, repo, 'initial');
  const top = topOf(p);
  const leaf = new Map(p.assignments.map((a) => [a.wo, a.track]));
  const ids = [...refOf.keys()].filter((id) => leaf.has(id));
  const truth = ids.map((id) => refOf.get(id));
  const ours = ids.map((id) => top(leaf.get(id)));
  return { ari: adjustedRand(truth, ours), ami: adjustedMutualInfo(truth, ours), lanes: p.tracks.filter((t) => !t.parent).length, tracks: p.tracks.length, n: ids.length, p };
}

function incremental(opts) {
  const ids = [...refOf.keys()].sort();
  const cut = Math.round(ids.length * 0.7);
  const older = new Set(ids.slice(0, cut));
  const files = {};
  Object.entries(reference.groups).forEach(([g, v], i) => (files[`tracks/${String(i + 1).padStart(4, '0')}_FEAT_${g}.md`] = trk(JSON.stringify(v.name))));
  for (const w of repoFrom(head).workOrders) {
    if (!w.id || !refOf.has(w.id)) continue;
    files[w.path] = older.has(w.id) ? head[w.path].replace(/\n---\n/, `\ntrack: ${refOf.get(w.id)}\n---\n`) : head[w.path];
  }
  const repo = repoFrom(files);
  const p = organizeLocal(repo, 'incremental', opts);
  check(p, repo, 'incremental');
  const top = topOf(p);
  const newer = ids.slice(cut);
  const at = new Map(p.assignments.map((a) => [a.wo, a.track]));
  const right = newer.filter((id) => top(at.get(id)) === refOf.get(id));
  const given = newer.filter((id) => !p.tracks.some((t) => t.slug === at.get(id)));
  const givenRight = given.filter((id) => top(at.get(id)) === refOf.get(id));
  return { right: right.length, of: newer.length, given: given.length, givenRight: givenRight.length };
}

function backlog(opts) {
  const dir = join(CORPORA, 'backlog-md-2026-08-20', 'backlog', 'tasks');
  const list = (v) => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : []);
  const id = (s) => s.toUpperCase().replace(/^TASK-/, 'BACK-');
  const wos = readdirSync(dir)
    .filter((f) => f.endsWith('.md') && f !== 'readme.md')
    .sort()
    .map((f) => {
      const bytes = new TextEncoder().encode(readFileSync(join(dir, f), 'utf8'));
      const w = parseWorkOrderFile({ path: `work_orders/${f}`, hash: blobId(bytes), bytes });
      return { ...w, id: w.id ? id(w.id) : undefined, tags: list(w.data.labels), dependsOn: list(w.data.dependencies).map(id), ...(typeof w.data.parent_task_id === 'string' ? { parent: id(w.data.parent_task_id) } : {}) };
    });
  const repo = { ...repoFrom({}), workOrders: wos };
  const p = organizeLocal(repo, 'initial', opts);
  check(p, repo, 'initial');
  const at = new Map(p.assignments.map((a) => [a.wo, a.track]));
  const subs = wos.filter((w) => w.parent && at.has(w.parent));
  return { with: subs.filter((w) => at.get(w.id) === at.get(w.parent)).length, of: subs.length };
}

function churn(opts, status) {
  let files = old;
  const oldIds = new Set(organizable(repoFrom(files)).map((w) => w.id));
  files = apply(files, organizeLocal(repoFrom(files), 'initial', opts), 'initial', status).files;
  for (const w of repoFrom(head).workOrders) if (w.id && !oldIds.has(w.id) && !files[w.path]) files[w.path] = head[w.path];
  const inc = organizeLocal(repoFrom(files), 'incremental', opts);
  files = apply(files, inc, 'incremental', status).files;
  const at = new Map(inc.assignments.map((a) => [a.wo, a.track]));
  const meeting = new Set(['244', '245', '246', '247', '248', '249', '250', '251', '253', '254', '255', '256'].map((n) => at.get(`WO-2026-${n}`)));
  const total = organizable(repoFrom(files)).length;
  const first = apply(files, organizeLocal(repoFrom(files), 'reorg', opts), 'reorg');
  const second = apply(first.files, organizeLocal(repoFrom(first.files), 'reorg', opts), 'reorg');
  return { first: first.moved, firstTracks: first.trackChanges, second: second.moved, secondTracks: second.trackChanges, total, meetingOne: meeting.size === 1, newTracks: inc.tracks.length };
}

const f3 = (x) => x.toFixed(3);
const rows = [];
for (const seed of seeds) {
  const opts = { ...extra, seed };
  const a = agreement(head, opts);
  const o = agreement(old, opts);
  const row = { seed, ari: a.ari, ami: a.ami, lanes: a.lanes, oldAri: o.ari, oldAmi: o.ami };
  let line = `seed ${String(seed).padStart(9)}  pcc-head ARI ${f3(a.ari)} AMI ${f3(a.ami)} lanes ${a.lanes} (${a.tracks} tracks)  pcc-2026-01-15 ARI ${f3(o.ari)} AMI ${f3(o.ami)} (${o.n} ids)`;
  if (!quick) {
    const i = incremental(opts);
    const b = backlog(opts);
    const c = churn(opts);
    const r = churn(opts, 'ready');
    Object.assign(row, { inc: i.right / i.of, sub: b.with / b.of, churn: Math.max(c.first, r.first) });
    line += `  incremental ${i.right}/${i.of} (${f3(i.right / i.of)}; ${i.givenRight} of ${i.given} placed in a given track right)  backlog subtasks ${b.with}/${b.of}  churn ${c.first}/${c.total} then ${c.second} (tracks ${c.firstTracks}/${c.secondTracks}, meeting one track ${c.meetingOne}, ${c.newTracks} new; new tracks left ready: ${r.first} then ${r.second})`;
  }
  console.log(line);
  rows.push(row);
}
if (rows.length > 1) {
  const mean = (k) => rows.reduce((s, r) => s + r[k], 0) / rows.length;
  const min = (k) => Math.min(...rows.map((r) => r[k]));
  const keys = quick ? ['ari', 'ami', 'oldAri', 'oldAmi'] : ['ari', 'ami', 'oldAri', 'oldAmi', 'inc', 'sub', 'churn'];
  console.log(`mean  ${keys.map((k) => `${k} ${f3(mean(k))}`).join('  ')}`);
  console.log(`min   ${keys.map((k) => `${k} ${f3(min(k))}`).join('  ')}`);
}
if (process.argv.includes('--show')) {
  const a = agreement(head, { ...extra, seed: seeds[0] });
  const top = topOf(a.p);
  const leaf = new Map(a.p.assignments.map((x) => [x.wo, x.track]));
  for (const t of a.p.tracks.filter((t) => !t.parent)) {
    const ids = [...leaf].filter(([, s]) => top(s) === t.slug).map(([id]) => id);
    const by = new Map();
    for (const id of ids) by.set(refOf.get(id) ?? '-', (by.get(refOf.get(id) ?? '-') ?? 0) + 1);
    console.log(`${t.name} (${t.slug}, ${ids.length}): ${[...by].sort((x, y) => y[1] - x[1]).map(([g, n]) => `${g} ${n}`).join(', ')}`);
    for (const s of a.p.tracks.filter((s) => s.parent === t.slug)) console.log(`    ${s.name} (${[...leaf.values()].filter((x) => x === s.slug).length})`);
  }
}
