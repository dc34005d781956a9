/**
 * The offline organizer: no network, same input → same proposal. Work orders
 * become TF-IDF vectors over tags and the words of titles and goals, smoothed
 * along depends_on links. Bisecting spherical k-means splits them into at most
 * `top_level_limit` top-level groups (the most typical of a few seeded runs is
 * kept), and splits big groups again into sub-tracks. Names come from the tags
 * and title words that are frequent inside a group and rare outside it.
 */
import { dependencyResolver, type ResolveConfig } from '../core/deps.js';
import type { Repo, Track, WorkOrder } from '../model/types.js';
import { slugify } from '../parse/entities.js';
import type { Assignment, Mode, Proposal, ProposedTrack, Provider, ProviderResult } from './types.js';
import { bisect, refine, silhouette, dotDense, normalize, prune, sumOf, tfidf, vocabulary, addScaled, type Sparse } from './cluster.js';
import { features, titlePhrases, words, stem, WEIGHTS, type Weights } from './text.js';
import { isAssigned, isRetired, organizable } from './scope.js';
import { adjustedRand } from './metrics.js';
import { RESERVED_SLUGS } from './validate.js';

export interface LocalOptions {
  weights: Weights;
  /** Weight of the mean of linked work orders' vectors added to each vector. */
  depSmoothing: number;
  /** Terms kept per vector after smoothing. */
  maxTerms: number;
  /** Seeded 2-means trials per split (the best is kept). */
  trials: number;
  /** Whole clusterings (different seeds) to choose the most typical one from. */
  runs: number;
  /** A group at least this big is split into sub-tracks. */
  splitAt: number;
  /** Smallest sub-track, and smallest new track in incremental mode. */
  minGroup: number;
  seed: number;
}

/**
 * Chosen on the hand-made reference grouping of pcc-head (see
 * test/fixtures/organize/): across seeds and nearby settings the adjusted Rand
 * index stays around 0.5, so these are not tuned to one lucky value.
 */
export const LOCAL_DEFAULTS: LocalOptions = {
  weights: WEIGHTS,
  depSmoothing: 0.5,
  maxTerms: 48,
  trials: 5,
  runs: 5,
  splitAt: 16,
  minGroup: 3,
  seed: 20260115,
};

const TYPE_WORDS: [string, string[]][] = [
  ['FIX', ['fix', 'bug', 'bugfix', 'flaky', 'hotfix', 'regression', 'broken', 'crash']],
  ['RESEARCH', ['research', 'spike', 'explore', 'investigate', 'investigation', 'evaluation', 'concept']],
  ['REFACTOR', ['refactor', 'refactoring', 'cleanup', 'migration', 'migrate', 'legacy']],
  ['CHORE', ['chore', 'ci', 'devops', 'docs', 'documentation', 'upgrade', 'dependency', 'dependencies', 'lint']],
  ['EXP', ['experiment', 'prototype', 'exploration']],
];

interface Doc {
  w: WorkOrder;
  id: string;
  title: string;
  feats: Map<string, number>;
  /** The track type its tags or title suggest (FIX for "flaky", RESEARCH for "spike"…), if any. */
  typeHint: string | undefined;
  /** What a name can be made of: whole tags, title words, title phrases. */
  nameKeys: Set<string>;
  vec: Sparse;
}

interface Corpus {
  docs: Doc[];
  dim: number;
  byId: Map<string, number>;
  /** Surface forms per stem ("runs" → {runs: 3, run: 1}), for readable names. */
  surface: Map<string, Map<string, number>>;
  vecs: Sparse[];
  /** Mixed-case spellings seen in titles ("elevenlabs" → "ElevenLabs", "sqlite" → "SQLite"). */
  cased: Map<string, string>;
  vocab: ReturnType<typeof vocabulary>;
  neighbours: number[][];
}

function buildCorpus(workOrders: WorkOrder[], opts: LocalOptions, config: ResolveConfig): Corpus {
  const surface = new Map<string, Map<string, number>>();
  const casedCount = new Map<string, Map<string, number>>();
  for (const w of workOrders) {
    for (const tok of (w.title ?? '').split(/[^A-Za-z0-9]+/)) {
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
    const feats = features({ title, goal: w.goal ?? '', tags: w.tags }, surface, opts.weights);
    const nameKeys = new Set<string>([
      ...w.tags.map((t) => `t:${t.toLowerCase().trim()}`).filter((t) => t.length > 2),
      ...words(title).map(stem),
      ...titlePhrases(title).map((p) => `p:${p}`),
    ]);
    const ws = new Set([...w.tags.flatMap((t) => words(t)), ...words(title)]);
    const typeHint = TYPE_WORDS.find(([, keys]) => keys.some((k) => ws.has(k)))?.[0];
    return { w, id: w.id!, title, feats, nameKeys, typeHint };
  });
  const vocab = vocabulary(raw.map((r) => r.feats));
  const base = raw.map((r) => tfidf(r.feats, vocab));
  const byId = new Map(raw.map((r, i) => [r.id, i]));
  const neighbours: number[][] = raw.map(() => []);
  // Dependencies, and a sub-task's parent, link work orders that belong together.
  const resolve = dependencyResolver(workOrders, config);
  raw.forEach((r, i) => {
    for (const dep of r.w.parent === undefined ? r.w.dependsOn : [...r.w.dependsOn, r.w.parent]) {
      const id = resolve(dep)?.id;
      const j = id === undefined ? undefined : byId.get(id);
      if (j === undefined || j === i) continue;
      neighbours[i]!.push(j);
      neighbours[j]!.push(i);
    }
  });
  const docs = raw.map((r, i) => {
    const ns = [...new Set(neighbours[i])];
    let vec = base[i]!;
    if (ns.length && opts.depSmoothing > 0) {
      for (const j of ns) vec = addScaled(vec, base[j]!, opts.depSmoothing / ns.length);
      vec = prune(normalize(vec), opts.maxTerms);
    }
    return { ...r, vec };
  });
  return { docs, vecs: docs.map((d) => d.vec), dim: vocab.terms.length, byId, surface, cased, vocab, neighbours: neighbours.map((n) => [...new Set(n)]) };
}

interface Group {
  members: number[];
  subs: number[][];
}

/** Above this many work orders the tree is grown on an evenly spread sample and the rest join the nearest branch. */
const SAMPLE = 2500;

/** At most `topK` groups; groups of `splitAt` or more keep sub-groups. */
function clusterTree(c: Corpus, members: number[], topK: number, opts: LocalOptions): Group[] {
  if (members.length === 0) return [];
  const step = Math.ceil(members.length / SAMPLE);
  const sample = step > 1 ? members.filter((_, i) => i % step === 0) : members;
  const vecs = sample.map((i) => c.docs[i]!.vec);
  const n = sample.length;
  // Repetitions remove seed luck, which matters less the more work orders there are; keep the cost flat.
  const runs = n > 1000 ? 1 : opts.runs;
  const trials = n > 1000 ? Math.min(opts.trials, 3) : opts.trials;
  const candidates: number[][][] = [];
  for (let r = 0; r < runs; r++) {
    // Grow up to the limit, then keep the number of groups that separates best:
    // twelve work orders in three themes make three tracks, not eight.
    const steps: number[][][] = [];
    const all = bisect(vecs, vecs.map((_, i) => i), c.dim, topK, { seed: opts.seed + n + 65537 * r, trials, onStep: (g) => steps.push(g) });
    if (!steps.length) steps.push(all);
    let best: number[][] = [];
    let bs = -Infinity;
    // A top-level track of one or two work orders is a sub-track that got lost.
    const minSize = members.length >= 2 * opts.minGroup ? opts.minGroup : 1;
    for (const step of steps) {
      const g = refine(vecs, step, c.dim);
      if (g.some((x) => x.length * Math.ceil(members.length / n) < minSize)) continue;
      const s = silhouette(vecs, g, c.dim);
      if (s > bs + 1e-9) {
        bs = s;
        best = g;
      }
    }
    candidates.push(bs > 0 ? best : [vecs.map((_, i) => i)]);
  }
  const groups = medoid(candidates, n).map((g) => {
    let subs: number[][] = [];
    // Sub-tracks by the size the group will have once everything is placed.
    if (g.length * step >= opts.splitAt) {
      const want = Math.max(2, Math.min(8, Math.round((g.length * step) / 10)));
      subs = foldSmall(bisect(vecs, g, c.dim, want, { seed: opts.seed + g.length, trials }), vecs, c.dim, Math.max(2, Math.ceil(opts.minGroup / step)));
      if (subs.length < 2) subs = [];
    }
    return { members: g.map((i) => sample[i]!), subs: subs.map((s) => s.map((i) => sample[i]!)) };
  });
  if (step > 1) placeRest(c, members, new Set(sample), groups);
  return groups.sort((a, b) => b.members.length - a.members.length || a.members[0]! - b.members[0]!);
}

/** Work orders outside the sample join the most similar group, then its most similar sub-group. */
function placeRest(c: Corpus, members: number[], sampled: Set<number>, groups: Group[]): void {
  const all = c.vecs;
  const unit = (ms: number[]) => {
    const s = sumOf(all, ms, c.dim);
    let q = 0;
    for (let i = 0; i < s.length; i++) q += s[i]! * s[i]!;
    if (q > 0) for (let i = 0; i < s.length; i++) s[i]! /= Math.sqrt(q);
    return s;
  };
  const tops = groups.map((g) => unit(g.members));
  const subs = groups.map((g) => g.subs.map(unit));
  const best = (v: Sparse, cents: Float64Array[]) => {
    let bi = 0;
    let bs = -Infinity;
    cents.forEach((cent, i) => {
      const s = dotDense(v, cent);
      if (s > bs) {
        bs = s;
        bi = i;
      }
    });
    return bi;
  };
  for (const i of members) {
    if (sampled.has(i)) continue;
    const v = all[i]!;
    const g = best(v, tops);
    groups[g]!.members.push(i);
    if (subs[g]!.length) groups[g]!.subs[best(v, subs[g]!)]!.push(i);
  }
}

/** The clustering that agrees most (adjusted Rand) with the others: the typical outcome, not a lucky or unlucky seed. */
function medoid(cands: number[][][], n: number): number[][] {
  if (cands.length === 1) return cands[0]!;
  const labels = cands.map((g) => {
    const l = new Array<string>(n);
    g.forEach((ms, gi) => ms.forEach((i) => (l[i] = String(gi))));
    return l;
  });
  let best = 0;
  let bs = -Infinity;
  labels.forEach((a, i) => {
    const s = labels.reduce((acc, b, j) => (i === j ? acc : acc + adjustedRand(a, b)), 0);
    if (s > bs + 1e-12) {
      bs = s;
      best = i;
    }
  });
  return cands[best]!;
}

/** Groups smaller than `min` join the most similar other group. */
function foldSmall(groups: number[][], vecs: Sparse[], dim: number, min: number): number[][] {
  const out = groups.map((g) => [...g]).sort((a, b) => b.length - a.length || a[0]! - b[0]!);
  for (;;) {
    const small = out.findIndex((g) => g.length < min);
    if (small === -1 || out.length < 2) return out;
    const g = out.splice(small, 1)[0]!;
    const s = sumOf(vecs, g, dim);
    let best = 0;
    let bs = -Infinity;
    out.forEach((o, i) => {
      const sim = o.reduce((acc, x) => acc + dotDense(vecs[x]!, s), 0) / o.length;
      if (sim > bs) {
        bs = sim;
        best = i;
      }
    });
    out[best]!.push(...g);
  }
}

const ACRONYMS = new Set(['ui', 'ux', 'ci', 'cd', 'vm', 'api', 'llm', 'e2e', 'sms', 'sdk', 'db', 'ai', 'qa', 'sse', 'seo', 'tts', 'stt', 'pr', 'cli', 'pwa', 'css', 'html', 'json', 'yaml', 'sql', 'url', 'wo', 'gcp', 'aws', 'mcp']);

function display(word: string, c?: Corpus): string {
  return c?.cased.get(word) ?? (ACRONYMS.has(word) ? word.toUpperCase() : word);
}

interface Label {
  key: string;
  text: string;
  words: Set<string>;
  score: number;
}

/** Terms frequent in `group` and rare in `among`, best first, as readable labels. */
const countCache = new WeakMap<number[], Map<string, number>>();

function labels(c: Corpus, group: number[], among: number[], exclude: Set<string>): Label[] {
  const count = (docs: number[]) => {
    const m = new Map<string, number>();
    for (const i of docs) for (const k of c.docs[i]!.nameKeys) m.set(k, (m.get(k) ?? 0) + 1);
    return m;
  };
  const inG = count(group);
  let inAll = countCache.get(among);
  if (!inAll) countCache.set(among, (inAll = count(among)));
  const out: Label[] = [];
  for (const [k, g] of inG) {
    if (g < 2 && group.length > 2) continue;
    const total = inAll.get(k) ?? g;
    const recall = g / group.length;
    const precision = g / total;
    let score = (2 * precision * recall) / (precision + recall);
    let text: string;
    let ws: string[];
    if (k.startsWith('t:')) {
      ws = words(k.slice(2));
      text = k
        .slice(2)
        .split(/[-_\s]+/)
        .filter(Boolean)
        .map((w) => display(w, c))
        .join(' ');
      score *= 1.1; // a tag is a label someone chose
    } else if (k.startsWith('p:')) {
      ws = k.slice(2).split(' ');
      text = ws.map((s) => display(surfaceOf(c, s), c)).join(' ');
      score *= 1.05;
    } else {
      ws = [k];
      text = display(surfaceOf(c, k), c);
    }
    if (!ws.length || ws.some((w) => exclude.has(stem(w)))) continue;
    out.push({ key: k, text, words: new Set(ws.map(stem)), score });
  }
  return out.sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : 1));
}

function surfaceOf(c: Corpus, s: string): string {
  const m = c.surface.get(s);
  if (!m) return s;
  return [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].length - b[0].length || (a[0] < b[0] ? -1 : 1))[0]![0];
}

function capital(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1) : s;
}

interface Naming {
  name: string;
  terms: string[];
}

function nameGroup(c: Corpus, group: number[], among: number[], exclude: Set<string>, fallback: string): Naming {
  const ls = labels(c, group, among, exclude);
  if (!ls.length) return { name: fallback, terms: [] };
  // A phrase or tag that contains the best word reads better than the word alone ("Landing page", not "Landing").
  let first = ls[0]!;
  if (first.words.size === 1) {
    const w = [...first.words][0]!;
    const wider = ls.find((l) => l.words.size > 1 && l.words.has(w) && l.score >= 0.6 * first.score);
    if (wider) first = wider;
  }
  const terms = [first.text];
  const used = new Set(first.words);
  // "test" and "testing" are one word to a reader.
  const fresh = (l: Label) => [...l.words].every((w) => ![...used].some((u) => u === w || (Math.min(u.length, w.length) >= 4 && (u.startsWith(w) || w.startsWith(u)))));
  let name = first.text;
  const second = ls.find((l) => l !== first && fresh(l));
  if (second && second.score >= 0.5 * first.score) {
    name = `${first.text} and ${second.text}`;
    terms.push(second.text);
    second.words.forEach((w) => used.add(w));
  }
  for (const l of ls) {
    if (terms.length >= 4) break;
    if (!fresh(l)) continue;
    terms.push(l.text);
    l.words.forEach((w) => used.add(w));
  }
  return { name: capital(name), terms };
}


function typeOf(c: Corpus, group: number[], allowed: string[]): string {
  const votes = new Map<string, number>();
  for (const i of group) {
    const t = c.docs[i]!.typeHint;
    if (t) votes.set(t, (votes.get(t) ?? 0) + 1);
  }
  const [best, n] = [...votes.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0] ?? ['FEAT', 0];
  const type = n * 2 > group.length ? best : 'FEAT';
  return allowed.includes(type) ? type : allowed.includes('FEAT') ? 'FEAT' : allowed[0]!;
}

/** The titles nearest the group's centre: what the group is mostly about. */
function central(c: Corpus, group: number[], k: number): string[] {
  const s = sumOf(c.vecs, group, c.dim);
  return group
    .map((i) => ({ i, sim: dotDense(c.docs[i]!.vec, s) }))
    .sort((a, b) => b.sim - a.sim || a.i - b.i)
    .slice(0, k)
    .map((x) => c.docs[x.i]!.title.trim())
    .filter(Boolean);
}

function goalFor(c: Corpus, group: number[], naming: Naming): string {
  const terms = naming.terms;
  const about = terms.length > 1 ? `${terms.slice(0, -1).join(', ')} and ${terms[terms.length - 1]}` : terms[0] ?? `the rest of ${naming.name.replace(/ \(other\)$/, '')}`;
  const ex = central(c, group, 2).map((t) => `"${t.replace(/"/g, "'")}"`);
  const examples = ex.length === 2 ? `, such as ${ex[0]} and ${ex[1]}` : ex.length === 1 ? `, such as ${ex[0]}` : '';
  return `Work on ${about}${examples}.`;
}

class Slugs {
  private taken: Set<string>;
  constructor(existing: Iterable<string>) {
    this.taken = new Set(existing);
  }
  claim(name: string, prefix?: string): string {
    const base = slugify(name, 40) || 'track';
    const candidates = [base, prefix ? slugify(`${prefix}-${base}`, 48) : undefined].filter(Boolean) as string[];
    for (const s of candidates) {
      if (!this.taken.has(s) && !RESERVED_SLUGS.has(s)) {
        this.taken.add(s);
        return s;
      }
    }
    for (let i = 2; ; i++) {
      const s = `${base}-${i}`;
      if (!this.taken.has(s)) {
        this.taken.add(s);
        return s;
      }
    }
  }
}

interface Built {
  tracks: ProposedTrack[];
  assignments: Assignment[];
}

/** Names, slugs, types and assignments for a fresh tree of groups. */
function buildTracks(c: Corpus, groups: Group[], among: number[], slugs: Slugs, allowed: string[], parentOf?: (g: Group) => string | null): Built {
  const tracks: ProposedTrack[] = [];
  const assignments: Assignment[] = [];
  const names = new Set<string>();
  const uniqueName = (n: string, extra: string[]) => {
    let name = n;
    for (const t of extra) {
      if (!names.has(name.toLowerCase())) break;
      name = `${n}: ${t}`;
    }
    for (let i = 2; names.has(name.toLowerCase()); i++) name = `${n} ${i}`;
    names.add(name.toLowerCase());
    return name;
  };
  groups.forEach((g, gi) => {
    const nm = nameGroup(c, g.members, among, new Set(), `Group ${gi + 1}`);
    const name = uniqueName(nm.name, nm.terms.slice(1));
    const slug = slugs.claim(name);
    const parent = parentOf ? parentOf(g) : null;
    tracks.push({ slug, name, type: typeOf(c, g.members, allowed), goal: goalFor(c, g.members, nm), parent });
    if (!g.subs.length) {
      for (const i of g.members) assignments.push({ wo: c.docs[i]!.id, track: slug });
      return;
    }
    const exclude = new Set(nm.terms.flatMap((t) => words(t).map(stem)));
    g.subs.forEach((s, si) => {
      const sn = nameGroup(c, s, g.members, exclude, `${name} (other)`);
      const subName = uniqueName(sn.name, sn.terms.slice(1));
      const subSlug = slugs.claim(subName, slug);
      tracks.push({ slug: subSlug, name: subName, type: typeOf(c, s, allowed), goal: goalFor(c, s, sn), parent: slug });
      for (const i of s) assignments.push({ wo: c.docs[i]!.id, track: subSlug });
    });
  });
  return { tracks, assignments };
}

function topCount(n: number, limit: number): number {
  return Math.max(1, Math.min(limit, Math.floor(n / 2)));
}

export function organizeLocal(repo: Repo, mode: Mode, options: Partial<LocalOptions> = {}): Proposal {
  const opts = { ...LOCAL_DEFAULTS, ...options };
  const wos = organizable(repo);
  const c = buildCorpus(wos, opts, repo.config);
  const all = c.docs.map((_, i) => i);
  const allowed = repo.config.trackTypes;
  if (mode === 'incremental') return incremental(repo, c, opts);
  const groups = clusterTree(c, all, topCount(all.length, repo.config.topLevelLimit), opts);
  if (mode === 'reorg' && repo.tracks.length) return reorg(repo, c, groups, opts);
  const built = buildTracks(c, groups, all, new Slugs(repo.tracks.map((t) => t.slug)), allowed);
  return { tracks: built.tracks, assignments: built.assignments };
}

/** Profile of a track: its work orders plus its own name and goal. */
function profiles(repo: Repo, c: Corpus, live: Track[]): Map<string, Float64Array> {
  const out = new Map<string, Float64Array>();
  const members = new Map<string, number[]>();
  c.docs.forEach((d, i) => {
    for (const s of d.w.tracks) members.set(s, [...(members.get(s) ?? []), i]);
  });
  const vecs = c.vecs;
  for (const t of live) {
    const sum = sumOf(vecs, members.get(t.slug) ?? [], c.dim);
    const own = tfidf(features({ title: t.name ?? t.slug.replace(/-/g, ' '), goal: t.goal ?? '', tags: [] }), c.vocab);
    for (let j = 0; j < own.idx.length; j++) sum[own.idx[j]!]! += 2 * own.val[j]!;
    let s = 0;
    for (let i = 0; i < sum.length; i++) s += sum[i]! * sum[i]!;
    if (s > 0) for (let i = 0; i < sum.length; i++) sum[i]! /= Math.sqrt(s);
    out.set(t.slug, sum);
  }
  void repo;
  return out;
}

function incremental(repo: Repo, c: Corpus, opts: LocalOptions): Proposal {
  const known = new Set(repo.tracks.map((t) => t.slug));
  const live = repo.tracks.filter((t) => !isRetired(t));
  const todo = c.docs.map((d, i) => (isAssigned(d.w, known) ? -1 : i)).filter((i) => i >= 0);
  if (!todo.length) return { tracks: [], assignments: [] };
  if (!live.length) {
    // Nothing to add to: the new work orders get tracks of their own.
    const groups = clusterTree(c, todo, topCount(todo.length, repo.config.topLevelLimit), opts);
    const built = buildTracks(c, groups, todo, new Slugs(repo.tracks.map((t) => t.slug)), repo.config.trackTypes);
    return { tracks: built.tracks, assignments: built.assignments };
  }
  const prof = profiles(repo, c, live);
  const sizes = new Map<string, number>();
  for (const d of c.docs) for (const s of d.w.tracks) sizes.set(s, (sizes.get(s) ?? 0) + 1);
  const currentTrack = (i: number) => c.docs[i]!.w.tracks.find((s) => prof.has(s));

  // How well do current members fit their own track? New work orders far below that fit nowhere.
  const fits: number[] = [];
  c.docs.forEach((d, i) => {
    const s = currentTrack(i);
    if (s) fits.push(dotDense(d.vec, prof.get(s)!));
  });
  fits.sort((a, b) => a - b);
  const median = fits.length ? fits[Math.floor(fits.length / 2)]! : 0;
  const threshold = Math.max(0.05, 0.4 * median);

  const best = (i: number, extra?: Map<number, string>) => {
    let bs = -Infinity;
    let bt = live[0]!.slug;
    const links = c.neighbours[i]!;
    for (const t of live) {
      let s = dotDense(c.docs[i]!.vec, prof.get(t.slug)!);
      if (links.length) {
        const inT = links.filter((j) => (extra?.get(j) ?? currentTrack(j)) === t.slug).length;
        s += 0.15 * (inT / links.length);
      }
      // A tie (no words in common) goes to the bigger track.
      s += 1e-6 * Math.log1p(sizes.get(t.slug) ?? 0);
      if (s > bs) {
        bs = s;
        bt = t.slug;
      }
    }
    return { slug: bt, sim: bs };
  };
  const placed = new Map<number, string>();
  const orphans: number[] = [];
  for (const i of todo) {
    const b = best(i);
    if (b.sim >= threshold) placed.set(i, b.slug);
    else orphans.push(i);
  }

  const tracks: ProposedTrack[] = [];
  if (orphans.length >= opts.minGroup) {
    const k = Math.max(1, Math.round(orphans.length / 6));
    const vecs = c.vecs;
    const groups = refine(vecs, bisect(vecs, orphans, c.dim, k, { seed: opts.seed + orphans.length, trials: opts.trials }), c.dim);
    const keep = groups.filter((g) => g.length >= opts.minGroup).sort((a, b) => b.length - a.length || a[0]! - b[0]!);
    let freeTop = repo.config.topLevelLimit - live.filter((t) => !t.parent).length;
    const tops = live.filter((t) => !t.parent);
    const slugs = new Slugs(repo.tracks.map((t) => t.slug));
    const among = c.docs.map((_, i) => i);
    const names = new Set(repo.tracks.map((t) => (t.name ?? '').toLowerCase()));
    for (const g of keep) {
      const nm = nameGroup(c, g, among, new Set(), 'New work');
      let parent: string | null = null;
      if (freeTop > 0) freeTop--;
      else {
        // No room at the top: hang it under the closest top-level track (by its whole subtree).
        const s = sumOf(c.vecs, g, c.dim);
        let bs = -Infinity;
        for (const t of tops) {
          const sub = live.filter((x) => x.slug === t.slug || x.parent === t.slug);
          const sim = Math.max(...sub.map((x) => dotDenseDense(s, prof.get(x.slug)!)));
          if (sim > bs) {
            bs = sim;
            parent = t.slug;
          }
        }
      }
      let name = nm.name;
      for (let n = 2; names.has(name.toLowerCase()); n++) name = `${nm.name} ${n}`;
      names.add(name.toLowerCase());
      const slug = slugs.claim(name, parent ?? undefined);
      tracks.push({ slug, name, type: typeOf(c, g, repo.config.trackTypes), goal: goalFor(c, g, nm), parent });
      for (const i of g) placed.set(i, slug);
    }
  }
  for (const i of orphans) if (!placed.has(i)) placed.set(i, best(i, placed).slug);
  const assignments = todo.map((i) => ({ wo: c.docs[i]!.id, track: placed.get(i)! }));
  return { tracks, assignments };
}

function dotDenseDense(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * Reorg: cluster afresh, then keep an existing track wherever a new group is
 * mostly the same work orders (so a second run on an organized repository
 * proposes nothing), merge existing tracks whose work orders all went to one
 * place, retire the ones left empty, and add tracks only for what is new.
 */
function reorg(repo: Repo, c: Corpus, groups: Group[], opts: LocalOptions): Proposal {
  void opts;
  const live = repo.tracks.filter((t) => !isRetired(t));
  const liveSlugs = new Set(live.map((t) => t.slug));
  const direct = new Map<string, Set<number>>();
  c.docs.forEach((d, i) => {
    for (const s of d.w.tracks) if (liveSlugs.has(s)) direct.set(s, (direct.get(s) ?? new Set()).add(i));
  });
  const subtree = (slug: string) => {
    const out = new Set<number>();
    const stack = [slug];
    const seen = new Set<string>();
    while (stack.length) {
      const s = stack.pop()!;
      if (seen.has(s)) continue;
      seen.add(s);
      for (const i of direct.get(s) ?? []) out.add(i);
      for (const t of live) if (t.parent === s) stack.push(t.slug);
    }
    return out;
  };
  // "Mostly the same work orders": the shared part is a majority of both.
  const overlap = (a: number[], b: Set<number>) => {
    let inter = 0;
    for (const x of a) if (b.has(x)) inter++;
    return inter / (Math.max(a.length, b.size) || 1);
  };
  const claimed = new Set<string>();
  const match = (members: number[], candidates: Track[], useSubtree: boolean): Track | undefined => {
    let best: Track | undefined;
    let bs = 0.5;
    for (const t of candidates) {
      if (claimed.has(t.slug)) continue;
      const s = overlap(members, useSubtree ? subtree(t.slug) : direct.get(t.slug) ?? new Set());
      if (s > bs) {
        bs = s;
        best = t;
      }
    }
    if (best) claimed.add(best.slug);
    return best;
  };

  const slugs = new Slugs(repo.tracks.map((t) => t.slug));
  const all = c.docs.map((_, i) => i);
  const tracks: ProposedTrack[] = [];
  const assignments: Assignment[] = [];
  const restate = (t: Track, parent: string | null): ProposedTrack => ({
    slug: t.slug,
    name: t.name ?? t.slug,
    type: t.type ?? t.fileType ?? 'FEAT',
    goal: t.goal ?? '',
    parent,
  });
  const fresh = (g: Group) => buildTracks(c, [{ members: g.members, subs: [] }], all, slugs, repo.config.trackTypes).tracks[0]!;
  for (const g of groups) {
    const leaf = !g.subs.length;
    const top = match(g.members, live, !leaf) ?? match(g.members, live, leaf);
    const topTrack = top ? restate(top, null) : fresh(g);
    tracks.push(topTrack);
    if (leaf) {
      for (const i of g.members) assignments.push({ wo: c.docs[i]!.id, track: topTrack.slug });
      continue;
    }
    for (const s of g.subs) {
      const sub = match(s, live, false);
      let st: ProposedTrack;
      if (sub) st = restate(sub, topTrack.slug);
      else {
        const nm = nameGroup(c, s, g.members, new Set(words(topTrack.name).map(stem)), `${topTrack.name} (other)`);
        st = { slug: slugs.claim(nm.name, topTrack.slug), name: nm.name, type: typeOf(c, s, repo.config.trackTypes), goal: goalFor(c, s, nm), parent: topTrack.slug };
      }
      tracks.push(st);
      for (const i of s) assignments.push({ wo: c.docs[i]!.id, track: st.slug });
    }
  }
  // Existing live tracks no group kept: merge where their work orders went together, else retire.
  const target = new Map(assignments.map((a) => [c.byId.get(a.wo)!, a.track]));
  const merges = new Map<string, string[]>();
  const retire: { slug: string; reason: string }[] = [];
  for (const t of live) {
    if (claimed.has(t.slug)) continue;
    const mine = [...(direct.get(t.slug) ?? [])];
    const where = new Map<string, number>();
    for (const i of mine) where.set(target.get(i)!, (where.get(target.get(i)!) ?? 0) + 1);
    const [into, n] = [...where.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0] ?? ['', 0];
    if (into && n * 2 > mine.length) merges.set(into, [...(merges.get(into) ?? []), t.slug]);
    else retire.push({ slug: t.slug, reason: mine.length ? 'its work orders are spread over other tracks' : 'it has no work orders left' });
  }
  // Sub-tracks of a track that goes away and that no group kept are covered above;
  // kept ones already got their new parent.
  return {
    tracks,
    assignments,
    ...(merges.size ? { merges: [...merges].map(([into, from]) => ({ from, into, reason: `most of their work orders belong with ${into}` })) } : {}),
    ...(retire.length ? { retire } : {}),
  };
}

export function createLocalProvider(options: Partial<LocalOptions> = {}): Provider {
  return {
    name: 'local',
    async propose(repo: Repo, opts): Promise<ProviderResult> {
      const proposal = organizeLocal(repo, opts.mode, options);
      return { proposal, rounds: 0 };
    },
  };
}


