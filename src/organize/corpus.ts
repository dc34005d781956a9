/**
 * Work orders → what the offline organizer reasons with: one TF-IDF vector per
 * work order (tags in the author's order, title and goal words, era), smoothed
 * along its links (depends_on, parent, and the neighbouring ids of the same
 * batch), and the groups of work orders that must stay together (a parent and
 * its parts; a chain where each step is the only follow-up of the one before).
 * Every work order contributes a bounded amount (see CAPS). Pure.
 */
import type { WorkOrder } from '../model/types.js';
import { dependencyResolver, type ResolveConfig } from '../core/deps.js';
import { dotSparse, normalize, prune, tfidf, vocabulary, type Sparse, type Vocabulary } from './cluster.js';
import { CAPS, features, tagsOf, titlePhrases, titleWords, stem, WEIGHTS, type Weights } from './text.js';

export interface CorpusOptions {
  weights: Weights;
  /** Weight of the mean of linked (depends_on, parent) work orders' vectors added to each vector. */
  depSmoothing: number;
  /** Weight of the mean of neighbouring ids that share words with this one. */
  idSmoothing: number;
  /** Terms kept per vector after smoothing. */
  maxTerms: number;
  /** Term weight = (weighted count)^tfPower × idf; 0 means 1 + log(count). */
  tfPower: number;
}

export interface Doc {
  w: WorkOrder;
  id: string;
  title: string;
  /** Tags considered, in the author's order. */
  tags: string[];
  /** What a name can be made of: whole tags, title words, title phrases. */
  nameKeys: Set<string>;
  /** The track type its tags or title suggest (FIX for "flaky", RESEARCH for "spike"…), if any. */
  typeHint: string | undefined;
  done: boolean;
  started: boolean;
  /** Its own TF-IDF vector. */
  base: Sparse;
  /** Smoothed along its links; shared by every member of its unit. */
  vec: Sparse;
}

export interface Corpus {
  docs: Doc[];
  dim: number;
  byId: Map<string, number>;
  vocab: Vocabulary;
  vecs: Sparse[];
  /** depends_on and parent links, both directions (indices into docs), at most CAPS.links each. */
  links: number[][];
  /** Neighbouring ids (the same batch) that share words. */
  near: number[][];
  /** Index of the unit each document belongs to: documents of one unit always go to the same track. */
  unitOf: Int32Array;
  /** Members of each unit, by unit index (singletons included). */
  units: number[][];
  /** Surface forms per stem ("runs" → {runs: 3, run: 1}), for readable names. */
  surface: Map<string, Map<string, number>>;
  /** Mixed-case spellings seen in titles ("elevenlabs" → "ElevenLabs", "sqlite" → "SQLite"). */
  cased: Map<string, string>;
}

const TYPE_TAGS: [string, RegExp][] = [
  ['FIX', /^(bug|bugs|bugfix|bug-fix|fix|fixes|hotfix|flaky|regression|crash|defect)$/],
  ['RESEARCH', /^(research|spike|investigation|investigate|evaluation|exploration|discovery)$/],
  ['REFACTOR', /^(refactor|refactoring|restructure)$/],
  ['CHORE', /^(chore|chores|ci|ci-cd|cicd|devops|docs|documentation|maintenance|cleanup|clean-up|lint|linting|dependencies|deps|upgrade|tooling|housekeeping)$/],
];
const TYPE_TITLES: [string, RegExp][] = [
  ['FIX', /^\s*(\[[^\]]*\]\s*)?(fix|fixes|hotfix|bug)\b|\bflaky\b/i],
  ['RESEARCH', /\b(research|spike|investigate|investigation)\b/i],
  ['REFACTOR', /^\s*(refactor|restructure)\b/i],
  ['CHORE', /^\s*(\[[^\]]*\]\s*)?(chore|bump|upgrade|update dependencies|clean ?up|remove legacy|revert)\b/i],
];

/** FIX, RESEARCH, REFACTOR or CHORE when the first tag that says so, or the title, says so. */
function typeHint(tags: string[], title: string): string | undefined {
  for (const t of tags) for (const [type, re] of TYPE_TAGS) if (re.test(t)) return type;
  for (const [type, re] of TYPE_TITLES) if (re.test(title)) return type;
  return undefined;
}

const STARTED = new Set(['in progress', 'in_progress', 'in-progress', 'doing', 'started', 'active', 'review', 'in review', 'in_review', 'in-review', 'you_review', 'testing']);

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** `WO-2026-069` → ["WO-2026-", 69]; `BACK-355.01` → ["BACK-", 355]. */
function idKey(id: string): [string, number] | undefined {
  const m = /^(.*?)(\d{1,9})(?:\.\d+)*$/.exec(id);
  return m ? [m[1]!.toUpperCase(), Number(m[2])] : undefined;
}

export function buildCorpus(workOrders: readonly WorkOrder[], doneStatuses: readonly string[], opts: CorpusOptions, config?: ResolveConfig): Corpus {
  const surface = new Map<string, Map<string, number>>();
  const casedCount = new Map<string, Map<string, number>>();
  const done = new Set(doneStatuses.map((s) => s.toLowerCase()));
  for (const w of workOrders) {
    for (const tok of (w.title ?? '').slice(0, CAPS.chars).split(/[^A-Za-z0-9]+/).slice(0, CAPS.titleWords * 2)) {
      // Title Case says nothing; an inner capital or an all-caps word is a spelling worth keeping.
      if (!/[a-z0-9][A-Z]|^[A-Z0-9]{2,5}$/.test(tok) || /^\d+$/.test(tok)) continue;
      const lower = tok.toLowerCase();
      const m = casedCount.get(lower) ?? new Map<string, number>();
      m.set(tok, (m.get(tok) ?? 0) + 1);
      casedCount.set(lower, m);
    }
  }
  const cased = new Map([...casedCount].map(([k, m]) => [k, [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0]]));
  const sorted = [...workOrders].sort((a, b) => (a.id! < b.id! ? -1 : a.id! > b.id! ? 1 : 0));
  const raw = sorted.map((w) => {
    const title = w.title ?? '';
    const tags = tagsOf(w.tags);
    const tw = titleWords(title);
    const feats = features({ title, titleWords: tw, goal: w.goal ?? str(w.data.goal), tags, era: w.era }, surface, opts.weights);
    const nameKeys = new Set<string>([
      ...tags.map((t) => `t:${t}`).filter((t) => t.length > 3),
      ...tw.map(stem),
      ...titlePhrases(title, tw).map((p) => `p:${p}`),
    ]);
    const status = (w.status ?? '').toLowerCase().trim();
    return { w, id: w.id!, title, tags, feats, nameKeys, typeHint: typeHint(tags, title), done: done.has(status), started: STARTED.has(status) };
  });
  const vocab = vocabulary(raw.map((r) => r.feats));
  const base = raw.map((r) => tfidf(r.feats, vocab, opts.tfPower));
  const byId = new Map(raw.map((r, i) => [r.id, i]));
  // References follow the repository's id matching (task-208 for BACK-208) when there is a config.
  const resolve = config ? dependencyResolver(workOrders, config) : undefined;
  const lookup = (id: string) => byId.get(id) ?? byId.get(id.toUpperCase()) ?? (resolve ? byId.get(resolve(id)?.id ?? '') : undefined);

  // Links: depends_on (the first CAPS.deps) and parent, both directions.
  const links: Set<number>[] = raw.map(() => new Set());
  const deps: number[][] = raw.map(() => []);
  const dependents: number[][] = raw.map(() => []);
  raw.forEach((r, i) => {
    for (const dep of r.w.dependsOn.slice(0, CAPS.deps)) {
      const j = lookup(dep);
      if (j === undefined || j === i || deps[i]!.includes(j)) continue;
      deps[i]!.push(j);
      dependents[j]!.push(i);
      links[i]!.add(j);
      links[j]!.add(i);
    }
    if (r.w.parent) {
      const j = lookup(r.w.parent);
      if (j !== undefined && j !== i) {
        links[i]!.add(j);
        links[j]!.add(i);
      }
    }
  });
  // Ids next to each other were usually written together: a weak link when they also share words.
  const near: number[][] = raw.map(() => []);
  const keyed = raw.map((r, i) => ({ i, k: idKey(r.id) })).filter((x): x is { i: number; k: [string, number] } => !!x.k);
  keyed.sort((a, b) => (a.k[0] < b.k[0] ? -1 : a.k[0] > b.k[0] ? 1 : a.k[1] - b.k[1] || a.i - b.i));
  for (let x = 1; x < keyed.length; x++) {
    const a = keyed[x - 1]!;
    const b = keyed[x]!;
    if (a.k[0] !== b.k[0] || b.k[1] - a.k[1] > 1) continue;
    if (dotSparse(base[a.i]!, base[b.i]!) < 0.1) continue;
    near[a.i]!.push(b.i);
    near[b.i]!.push(a.i);
  }

  // A work order's own links first (what it depends on, its parent), then the
  // closest of those pointing at it: a popular work order is not smoothed into mush.
  const capped = raw.map((r, i) => {
    const own = new Set(deps[i]);
    const p = r.w.parent ? lookup(r.w.parent) : undefined;
    if (p !== undefined && p !== i) own.add(p);
    const others = [...links[i]!].filter((j) => !own.has(j)).sort((a, b) => Math.abs(a - i) - Math.abs(b - i) || a - b);
    return [...own, ...others].slice(0, CAPS.links).sort((a, b) => a - b);
  });

  const scratch = new Float64Array(vocab.terms.length);
  const touched: number[] = [];
  const add = (v: Sparse, w: number) => {
    for (let j = 0; j < v.idx.length; j++) {
      const t = v.idx[j]!;
      if (scratch[t] === 0) touched.push(t);
      scratch[t]! += w * v.val[j]!;
    }
  };
  const collect = (): Sparse => {
    const idx = Int32Array.from(touched).sort();
    const val = new Float64Array(idx.length);
    for (let j = 0; j < idx.length; j++) {
      val[j] = scratch[idx[j]!]!;
      scratch[idx[j]!] = 0;
    }
    const v: Sparse = { idx, val };
    touched.length = 0;
    return prune(normalize(v), opts.maxTerms);
  };
  const vecs = raw.map((_, i) => {
    const ls = opts.depSmoothing > 0 ? capped[i]! : [];
    const ns = opts.idSmoothing > 0 ? near[i]! : [];
    if (!ls.length && !ns.length) return base[i]!;
    add(base[i]!, 1);
    for (const j of ls) add(base[j]!, opts.depSmoothing / ls.length);
    for (const j of ns) add(base[j]!, opts.idSmoothing / ns.length);
    return collect();
  });

  // Units: a parent and its parts; a chain step that is the only follow-up of the only step before it.
  const root = Int32Array.from(raw.keys());
  const find = (i: number): number => {
    while (root[i] !== i) i = root[i] = root[root[i]!]!;
    return i;
  };
  const join = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) root[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  raw.forEach((r, i) => {
    if (r.w.parent) {
      const j = lookup(r.w.parent);
      if (j !== undefined && j !== i) join(i, j);
    }
    if (deps[i]!.length === 1) {
      const j = deps[i]![0]!;
      if (dependents[j]!.length === 1 && dotSparse(base[i]!, base[j]!) > 0.05) join(i, j);
    }
  });
  const unitIndex = new Map<number, number>();
  const units: number[][] = [];
  const unitOf = new Int32Array(raw.length);
  raw.forEach((_, i) => {
    const r = find(i);
    let u = unitIndex.get(r);
    if (u === undefined) unitIndex.set(r, (u = units.push([]) - 1));
    units[u]!.push(i);
    unitOf[i] = u;
  });
  for (const members of units) {
    if (members.length < 2) continue;
    for (const i of members) add(vecs[i]!, 1);
    const shared = collect();
    for (const i of members) vecs[i] = shared;
  }

  const docs: Doc[] = raw.map((r, i) => ({ w: r.w, id: r.id, title: r.title, tags: r.tags, nameKeys: r.nameKeys, typeHint: r.typeHint, done: r.done, started: r.started, base: base[i]!, vec: vecs[i]! }));
  return { docs, dim: vocab.terms.length, byId, vocab, vecs, links: capped, near, unitOf, units, surface, cased };
}
