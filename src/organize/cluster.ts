/**
 * Vectors and clustering for the offline organizer: TF-IDF over sparse
 * features, spherical k-means with a seeded k-means++ start (for documents, and
 * for units of documents that move whole), Hartigan's point moves, a two-level
 * search for its optimum, bisecting k-means and the silhouette. Deterministic
 * for a given input. Pure.
 */

export interface Sparse {
  idx: Int32Array;
  val: Float64Array;
}

/** Seeded PRNG (mulberry32): the same input always gives the same tracks. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Vocabulary {
  index: Map<string, number>;
  terms: string[];
  idf: Float64Array;
  /** Documents containing each term. */
  df: Int32Array;
}

/** Terms seen in at least `minDf` documents; rarer ones cannot link two work orders. */
export function vocabulary(docs: Map<string, number>[], minDf = 2): Vocabulary {
  const df = new Map<string, number>();
  for (const d of docs) for (const k of d.keys()) df.set(k, (df.get(k) ?? 0) + 1);
  const terms = [...df.entries()].filter(([, n]) => n >= minDf).map(([k]) => k).sort();
  const index = new Map(terms.map((t, i) => [t, i]));
  const n = docs.length;
  const idf = new Float64Array(terms.length);
  const dfa = new Int32Array(terms.length);
  terms.forEach((t, i) => {
    dfa[i] = df.get(t)!;
    idf[i] = Math.log((n + 1) / (dfa[i]! + 1)) + 1;
  });
  return { index, terms, idf, df: dfa };
}

export function normalize(v: Sparse): Sparse {
  let s = 0;
  for (let i = 0; i < v.val.length; i++) s += v.val[i]! * v.val[i]!;
  if (s === 0) return v;
  const inv = 1 / Math.sqrt(s);
  for (let i = 0; i < v.val.length; i++) v.val[i]! *= inv;
  return v;
}

const tfidfScratch = new WeakMap<Vocabulary, Float64Array>();

/** TF-IDF with sublinear term frequency, L2-normalised. */
export function tfidf(doc: Map<string, number>, vocab: Vocabulary, tfPower = 0): Sparse {
  let w = tfidfScratch.get(vocab);
  if (!w) tfidfScratch.set(vocab, (w = new Float64Array(vocab.terms.length)));
  const ids: number[] = [];
  for (const [k, tf] of doc) {
    const i = vocab.index.get(k);
    if (i === undefined) continue;
    ids.push(i);
    w[i] = (tfPower > 0 ? tf ** tfPower : 1 + Math.log(tf)) * vocab.idf[i]!;
  }
  const idx = Int32Array.from(ids).sort();
  const val = new Float64Array(idx.length);
  for (let j = 0; j < idx.length; j++) {
    val[j] = w[idx[j]!]!;
    w[idx[j]!] = 0;
  }
  return normalize({ idx, val });
}

/** Keeps the `k` largest weights (renormalised): similar documents share their strong terms, and dot products get cheap. */
export function prune(v: Sparse, k: number): Sparse {
  const n = v.idx.length;
  if (n <= k) return v;
  // The k-th largest weight; of the weights equal to it, the lower terms are kept.
  const threshold = Float64Array.from(v.val).sort()[n - k]!;
  let ties = k;
  for (let i = 0; i < n; i++) if (v.val[i]! > threshold) ties--;
  const idx = new Int32Array(k);
  const val = new Float64Array(k);
  let o = 0;
  for (let i = 0; i < n; i++) {
    const x = v.val[i]!;
    if (x > threshold || (x === threshold && ties-- > 0)) {
      idx[o] = v.idx[i]!;
      val[o++] = x;
    }
  }
  return normalize({ idx, val });
}

export function dotDense(v: Sparse, c: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.idx.length; i++) s += v.val[i]! * c[v.idx[i]!]!;
  return s;
}

function unitDense(c: Float64Array): void {
  let s = 0;
  for (let i = 0; i < c.length; i++) s += c[i]! * c[i]!;
  if (s === 0) return;
  const inv = 1 / Math.sqrt(s);
  for (let i = 0; i < c.length; i++) c[i]! *= inv;
}

export interface KMeansResult {
  labels: Int32Array;
  k: number;
  /** Sum over documents of the cosine to their centroid (higher is better). */
  score: number;
}

/** Spherical k-means: k-means++ start, a few seeded restarts, the best kept. */
export function kmeans(vecs: Sparse[], dim: number, k: number, opts: { seed: number; restarts?: number; iterations?: number }): KMeansResult {
  const n = vecs.length;
  k = Math.max(1, Math.min(k, n));
  let best: KMeansResult | undefined;
  const restarts = opts.restarts ?? 3;
  for (let r = 0; r < restarts; r++) {
    const res = kmeansOnce(vecs, dim, k, prng(opts.seed + 7919 * r), opts.iterations ?? 12);
    if (!best || res.score > best.score + 1e-9) best = res;
  }
  return best!;
}

function kmeansOnce(vecs: Sparse[], dim: number, k: number, rand: () => number, iterations: number): KMeansResult {
  const n = vecs.length;
  const centroids: Float64Array[] = [];
  const seedFrom = (i: number) => {
    const c = new Float64Array(dim);
    const v = vecs[i]!;
    for (let j = 0; j < v.idx.length; j++) c[v.idx[j]!] = v.val[j]!;
    return c;
  };
  // k-means++ with cosine distance.
  const nearest = new Float64Array(n).fill(Infinity);
  let pick = Math.floor(rand() * n);
  for (let c = 0; c < k; c++) {
    centroids.push(seedFrom(pick));
    let total = 0;
    for (let i = 0; i < n; i++) {
      const d = 1 - dotDense(vecs[i]!, centroids[c]!);
      if (d < nearest[i]!) nearest[i] = d;
      total += nearest[i]! * nearest[i]!;
    }
    if (c + 1 === k) break;
    if (total <= 0) {
      pick = Math.floor(rand() * n);
      continue;
    }
    let x = rand() * total;
    pick = n - 1;
    for (let i = 0; i < n; i++) {
      x -= nearest[i]! * nearest[i]!;
      if (x <= 0) {
        pick = i;
        break;
      }
    }
  }
  const labels = new Int32Array(n).fill(-1);
  let score = 0;
  for (let it = 0; it < iterations; it++) {
    let changed = 0;
    score = 0;
    const sims = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let bi = 0;
      let bs = -Infinity;
      for (let c = 0; c < k; c++) {
        const s = dotDense(vecs[i]!, centroids[c]!);
        if (s > bs + 1e-12) {
          bs = s;
          bi = c;
        }
      }
      sims[i] = bs;
      score += bs;
      if (labels[i] !== bi) {
        labels[i] = bi;
        changed++;
      }
    }
    // Converged, or close enough: the last few movers barely change the centroids.
    if (it > 0 && changed <= n / 1000) break;
    const sizes = new Int32Array(k);
    for (const c of centroids) c.fill(0);
    for (let i = 0; i < n; i++) {
      const c = centroids[labels[i]!]!;
      sizes[labels[i]!]!++;
      const v = vecs[i]!;
      for (let j = 0; j < v.idx.length; j++) c[v.idx[j]!]! += v.val[j]!;
    }
    // An empty cluster takes the worst-fitting document.
    for (let c = 0; c < k; c++) {
      if (sizes[c] !== 0) continue;
      let worst = 0;
      for (let i = 1; i < n; i++) if (sims[i]! < sims[worst]!) worst = i;
      sims[worst] = Infinity;
      centroids[c] = seedFrom(worst);
      labels[worst] = c;
    }
    for (const c of centroids) unitDense(c);
  }
  return { labels, k, score };
}

/** Dense sum vector of a group of documents. */
export function sumOf(vecs: Sparse[], members: number[], dim: number): Float64Array {
  const s = new Float64Array(dim);
  for (const i of members) {
    const v = vecs[i]!;
    for (let j = 0; j < v.idx.length; j++) s[v.idx[j]!]! += v.val[j]!;
  }
  return s;
}

function norm2(s: Float64Array): number {
  let x = 0;
  for (let i = 0; i < s.length; i++) x += s[i]! * s[i]!;
  return Math.sqrt(x);
}

/**
 * Bisecting spherical k-means (Steinbach, Karypis & Kumar 2000): split the
 * group with the most scatter in two, keep the best of a few seeded 2-means
 * trials, until there are `k` groups. On documents it beats both plain
 * k-means and agglomeration, and its output does not hinge on one lucky seed.
 */
export function bisect(vecs: Sparse[], members: number[], dim: number, k: number, opts: { seed: number; trials?: number; onStep?: (groups: number[][]) => void }): number[][] {
  const groups: { members: number[]; scatter: number }[] = [];
  const scatterOf = (ms: number[]) => ms.length - norm2(sumOf(vecs, ms, dim));
  groups.push({ members: [...members], scatter: scatterOf(members) });
  let round = 0;
  while (groups.length < k) {
    let gi = -1;
    for (let i = 0; i < groups.length; i++) {
      if (groups[i]!.members.length < 2) continue;
      if (gi === -1 || groups[i]!.scatter > groups[gi]!.scatter + 1e-12) gi = i;
    }
    if (gi === -1 || groups[gi]!.scatter <= 1e-9) break;
    const g = groups[gi]!;
    const sub = g.members.map((i) => vecs[i]!);
    const km = kmeans(sub, dim, 2, { seed: opts.seed + 104729 * ++round, restarts: opts.trials ?? 5 });
    const a: number[] = [];
    const b: number[] = [];
    km.labels.forEach((l, j) => (l === 0 ? a : b).push(g.members[j]!));
    if (!a.length || !b.length) {
      g.scatter = 0; // cannot be split; never pick it again
      continue;
    }
    groups.splice(gi, 1, { members: a, scatter: scatterOf(a) }, { members: b, scatter: scatterOf(b) });
    opts.onStep?.(groups.map((g) => g.members));
  }
  return groups.map((g) => g.members);
}

/** A few k-means passes starting from given groups (polishes a bisecting result). */
export function refine(vecs: Sparse[], groups: number[][], dim: number, iterations = 5): number[][] {
  let cur = groups.filter((g) => g.length);
  for (let it = 0; it < iterations; it++) {
    const cents = cur.map((g) => {
      const s = sumOf(vecs, g, dim);
      const n = norm2(s);
      if (n > 0) for (let i = 0; i < s.length; i++) s[i]! /= n;
      return s;
    });
    const next: number[][] = cur.map(() => []);
    let moved = 0;
    cur.forEach((g, gi) => {
      for (const i of g) {
        let bi = gi;
        let bs = dotDense(vecs[i]!, cents[gi]!);
        for (let c = 0; c < cents.length; c++) {
          const s = dotDense(vecs[i]!, cents[c]!);
          if (s > bs + 1e-12) {
            bs = s;
            bi = c;
          }
        }
        if (bi !== gi) moved++;
        next[bi]!.push(i);
      }
    });
    cur = next.filter((g) => g.length).map((g) => g.sort((a, b) => a - b));
    if (!moved) break;
  }
  return cur;
}

/**
 * Mean simplified silhouette (each document against its own centroid and the
 * nearest other one, cosine distance): how well separated the groups are.
 */
export function silhouette(vecs: Sparse[], groups: number[][], dim: number): number {
  if (groups.length < 2) return 0;
  const cents = groups.map((g) => {
    const s = sumOf(vecs, g, dim);
    const n = norm2(s);
    if (n > 0) for (let i = 0; i < s.length; i++) s[i]! /= n;
    return s;
  });
  let total = 0;
  let count = 0;
  groups.forEach((g, gi) => {
    for (const i of g) {
      const a = 1 - dotDense(vecs[i]!, cents[gi]!);
      let b = Infinity;
      cents.forEach((c, ci) => {
        if (ci !== gi) b = Math.min(b, 1 - dotDense(vecs[i]!, c));
      });
      const m = Math.max(a, b);
      total += m > 0 ? (b - a) / m : 0;
      count++;
    }
  });
  return count ? total / count : 0;
}

/** Dot product of two sparse vectors (sorted indices). */
export function dotSparse(a: Sparse, b: Sparse): number {
  let s = 0;
  let i = 0;
  let j = 0;
  while (i < a.idx.length && j < b.idx.length) {
    const x = a.idx[i]!;
    const y = b.idx[j]!;
    if (x === y) s += a.val[i++]! * b.val[j++]!;
    else if (x < y) i++;
    else j++;
  }
  return s;
}

/**
 * Spherical k-means over groups of documents that move as a whole: `sums` are
 * the groups' (unnormalised) sum vectors, so the objective is the documents'
 * total cosine to their centroid. Seeded k-means++ starts and Lloyd's steps,
 * the best of `restarts` kept; the best of many restarts is still a matter of
 * the seed on real backlogs, which is why TwoLevel only starts from it.
 */
export function groupKMeans(sums: Sparse[], dim: number, k: number, opts: { seed: number; restarts: number; iterations?: number }): Int32Array {
  const n = sums.length;
  k = Math.max(1, Math.min(k, n));
  const norms = sums.map((s) => Math.sqrt(s.val.reduce((a, v) => a + v * v, 0)) || 1);
  let best: Int32Array | undefined;
  let bestScore = -Infinity;
  // Centroids term-major (cents[t·k + g]): a point's dot products with every centroid walk memory in order.
  const cents = new Float64Array(dim * k);
  const scratch = new Float64Array(dim);
  const scores = new Float64Array(k);
  for (let r = 0; r < opts.restarts; r++) {
    const rand = prng(opts.seed + 7919 * r);
    // k-means++ on the groups' directions, weighted by their mass.
    const picks: number[] = [];
    const far = new Float64Array(n).fill(Infinity);
    let pick = Math.floor(rand() * n);
    while (picks.length < k) {
      picks.push(pick);
      const p = sums[pick]!;
      for (let j = 0; j < p.idx.length; j++) scratch[p.idx[j]!] = p.val[j]! / norms[pick]!;
      let total = 0;
      for (let i = 0; i < n; i++) {
        const dist = 1 - dotDense(sums[i]!, scratch) / norms[i]!;
        if (dist < far[i]!) far[i] = dist;
        total += far[i]! * far[i]! * norms[i]!;
      }
      for (let j = 0; j < p.idx.length; j++) scratch[p.idx[j]!] = 0;
      if (total <= 1e-12) break;
      pick = drawProportional(n, total, (i) => far[i]! * far[i]! * norms[i]!, rand);
    }
    const kk = picks.length;
    cents.fill(0);
    picks.forEach((i, g) => {
      const p = sums[i]!;
      for (let j = 0; j < p.idx.length; j++) cents[p.idx[j]! * k + g] = p.val[j]! / norms[i]!;
    });
    const labels = new Int32Array(n).fill(-1);
    let score = 0;
    for (let it = 0; it < (opts.iterations ?? 30); it++) {
      let changed = 0;
      score = 0;
      for (let i = 0; i < n; i++) {
        const s = sums[i]!;
        scores.fill(0);
        for (let j = 0; j < s.idx.length; j++) {
          const v = s.val[j]!;
          const base = s.idx[j]! * k;
          for (let g = 0; g < kk; g++) scores[g]! += v * cents[base + g]!;
        }
        let bi = 0;
        let bs = -Infinity;
        for (let g = 0; g < kk; g++) {
          if (scores[g]! > bs + 1e-12) {
            bs = scores[g]!;
            bi = g;
          }
        }
        score += bs;
        if (labels[i] !== bi) {
          labels[i] = bi;
          changed++;
        }
      }
      // Converged, or close enough: the last few movers barely change the centroids.
      if (changed <= n / 1000) break;
      cents.fill(0);
      for (let i = 0; i < n; i++) {
        const s = sums[i]!;
        const g = labels[i]!;
        for (let j = 0; j < s.idx.length; j++) cents[s.idx[j]! * k + g]! += s.val[j]!;
      }
      scores.fill(0);
      for (let t = 0; t < dim; t++) for (let g = 0; g < kk; g++) scores[g]! += cents[t * k + g]! ** 2;
      for (let g = 0; g < kk; g++) scores[g] = scores[g]! > 0 ? 1 / Math.sqrt(scores[g]!) : 0;
      for (let t = 0; t < dim; t++) for (let g = 0; g < kk; g++) cents[t * k + g]! *= scores[g]!;
    }
    if (score > bestScore + 1e-9) {
      bestScore = score;
      best = labels;
    }
  }
  // Labels renumbered by first appearance, so equal partitions look equal.
  const map = new Map<number, number>();
  return Int32Array.from(best!, (l) => map.get(l) ?? map.set(l, map.size).get(l)!);
}

/**
 * Hartigan's moves for spherical k-means (the "first variation" of Dhillon,
 * Guan & Kogan 2002): one point at a time goes to the group where the
 * objective, the sum over groups of the norm of their sum vector, grows most,
 * until no single move helps. Lloyd's batch steps (groupKMeans) stop at
 * partitions where such a move still helps; these stop at a subset of them.
 * `labels` (0 … k-1) change in place; no group is emptied. Returns the objective.
 */
export function hartigan(sums: Sparse[], dim: number, labels: Int32Array, k: number, maxRounds = 50): number {
  const n = sums.length;
  // Group sums term-major (S[t·k + g]), as the centroids in groupKMeans.
  const S = new Float64Array(dim * k);
  const n2 = new Float64Array(k);
  const count = new Int32Array(k);
  const sq = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = sums[i]!;
    const g = labels[i]!;
    count[g]!++;
    for (let j = 0; j < s.idx.length; j++) {
      S[s.idx[j]! * k + g]! += s.val[j]!;
      sq[i]! += s.val[j]! * s.val[j]!;
    }
  }
  for (let t = 0; t < dim; t++) for (let g = 0; g < k; g++) n2[g]! += S[t * k + g]! ** 2;
  const dots = new Float64Array(k);
  for (let round = 0; round < maxRounds; round++) {
    let moved = 0;
    for (let i = 0; i < n; i++) {
      const a = labels[i]!;
      if (count[a]! <= 1) continue;
      const s = sums[i]!;
      dots.fill(0);
      for (let j = 0; j < s.idx.length; j++) {
        const v = s.val[j]!;
        const base = s.idx[j]! * k;
        for (let g = 0; g < k; g++) dots[g]! += v * S[base + g]!;
      }
      const loss = Math.sqrt(n2[a]!) - Math.sqrt(Math.max(0, n2[a]! - 2 * dots[a]! + sq[i]!));
      let best = -1;
      let gain = 1e-10;
      for (let b = 0; b < k; b++) {
        if (b === a) continue;
        const g = Math.sqrt(n2[b]! + 2 * dots[b]! + sq[i]!) - Math.sqrt(n2[b]!) - loss;
        if (g > gain) {
          gain = g;
          best = b;
        }
      }
      if (best < 0) continue;
      for (let j = 0; j < s.idx.length; j++) {
        const base = s.idx[j]! * k;
        S[base + a]! -= s.val[j]!;
        S[base + best]! += s.val[j]!;
      }
      n2[a] = Math.max(0, n2[a]! - 2 * dots[a]! + sq[i]!);
      n2[best] = n2[best]! + 2 * dots[best]! + sq[i]!;
      count[a]!--;
      count[best]!++;
      labels[i] = best;
      moved++;
    }
    // Done, or close enough (as in kmeans): a round costs as much as the first.
    if (moved <= n / 1000) break;
  }
  let total = 0;
  for (let g = 0; g < k; g++) total += Math.sqrt(n2[g]!);
  return total;
}

/** Number of groups in labels 0 … k-1. */
function count(labels: Int32Array): number {
  let k = 0;
  for (const l of labels) if (l >= k) k = l + 1;
  return k;
}

/** The sum of some sparse vectors, sparse. */
function sparseSum(vs: Sparse[], scratch: Float64Array): Sparse {
  const touched: number[] = [];
  for (const v of vs) {
    for (let j = 0; j < v.idx.length; j++) {
      const t = v.idx[j]!;
      if (scratch[t] === 0) touched.push(t);
      scratch[t]! += v.val[j]!;
    }
  }
  touched.sort((a, b) => a - b);
  const out: Sparse = { idx: Int32Array.from(touched), val: Float64Array.from(touched, (t) => scratch[t]!) };
  for (const t of touched) scratch[t] = 0;
  return out;
}

/**
 * Spherical k-means over weighted points (sum vectors, as groupKMeans), its
 * optimum searched on two levels, as multilevel graph partitioners do: the
 * points are first grouped finely (many small groups: one seeded k-means run,
 * polished by Hartigan's moves); then, for any subset of the points and any
 * k, their fine groups, few and heavy, are grouped into k by many seeded
 * restarts (each polished), and the result is polished point by point. Moving
 * a whole fine group escapes the local optima that trap restarts over single
 * points: on real backlogs every seed reaches the same partition, where the
 * best of many restarts over the points themselves changes with the seed.
 */
export class TwoLevel {
  /** Fine group of each point. */
  readonly fine: Int32Array;
  private readonly scratch: Float64Array;
  constructor(
    private readonly sums: Sparse[],
    private readonly dim: number,
    fineK: number,
    seed: number,
  ) {
    this.scratch = new Float64Array(dim);
    this.fine = groupKMeans(sums, dim, Math.max(1, Math.min(fineK, sums.length)), { seed, restarts: 1, iterations: 5 });
    hartigan(sums, dim, this.fine, count(this.fine));
  }

  /** The fine groups among `pts` and their Gram matrix, for the last set of points asked about (the silhouette asks the same one for every k). */
  private last?: { pts: readonly number[]; fineIndex: Map<number, number>; m: number; G: Float64Array };

  /** The points `pts` (indices into the sums) in at most `k` groups, each a list of points in the order given. */
  cluster(pts: readonly number[], k: number, opts: { seed: number; restarts: number }): number[][] {
    if (!pts.length) return [];
    if (this.last?.pts !== pts) {
      const fineIndex = new Map<number, number>();
      const members: number[][] = [];
      for (const p of pts) {
        const f = this.fine[p]!;
        let i = fineIndex.get(f);
        if (i === undefined) fineIndex.set(f, (i = members.push([]) - 1));
        members[i]!.push(p);
      }
      const G = gram(
        members.map((ms) => sparseSum(ms.map((p) => this.sums[p]!), this.scratch)),
        this.scratch,
      );
      this.last = { pts, fineIndex, m: members.length, G };
    }
    const { fineIndex, m, G } = this.last;
    const sums = pts.map((p) => this.sums[p]!);
    let labels: Int32Array;
    if (m >= k || m === pts.length) {
      const top = gramKMeans(G, m, k, opts);
      labels = Int32Array.from(pts, (p) => top[fineIndex.get(this.fine[p]!)!]!);
    } else {
      // Fewer fine groups here than groups wanted: the points themselves, by seeded restarts (as many as stay cheap).
      labels = groupKMeans(sums, this.dim, k, { seed: opts.seed, restarts: Math.max(3, Math.min(opts.restarts, Math.round(6000 / pts.length))) });
    }
    const groups = count(labels);
    hartigan(sums, this.dim, labels, groups);
    const out: number[][] = Array.from({ length: groups }, () => []);
    pts.forEach((p, i) => out[labels[i]!]!.push(p));
    return out.filter((g) => g.length);
  }
}

/** The Gram matrix of some sparse vectors (m × m, row-major). `scratch`: zeros of the vectors' dimension, left as zeros. */
function gram(vs: Sparse[], scratch: Float64Array): Float64Array {
  const m = vs.length;
  const G = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    const a = vs[i]!;
    for (let j = 0; j < a.idx.length; j++) scratch[a.idx[j]!] = a.val[j]!;
    for (let x = i; x < m; x++) {
      const d = dotDense(vs[x]!, scratch);
      G[i * m + x] = d;
      G[x * m + i] = d;
    }
    for (let j = 0; j < a.idx.length; j++) scratch[a.idx[j]!] = 0;
  }
  return G;
}

/**
 * Spherical k-means over m weighted points known only by their Gram matrix
 * (G[i·m + j] = s_i · s_j, the points being sum vectors as in groupKMeans):
 * seeded k-means++ restarts, Lloyd's steps then Hartigan's moves, the best
 * objective kept. Every step costs O(m) or O(m²) whatever the vocabulary, so
 * many restarts are cheap. Labels renumbered by first appearance.
 */
export function gramKMeans(G: Float64Array, m: number, k: number, opts: { seed: number; restarts: number; iterations?: number }): Int32Array {
  k = Math.max(1, Math.min(k, m));
  const norm = Float64Array.from({ length: m }, (_, i) => Math.sqrt(Math.max(0, G[i * m + i]!)) || 1);
  let best: Int32Array | undefined;
  let bestScore = -Infinity;
  const D = new Float64Array(m * k);
  const N = new Float64Array(k);
  const size = new Int32Array(k);
  const tally = (labels: Int32Array) => {
    D.fill(0);
    N.fill(0);
    size.fill(0);
    for (let j = 0; j < m; j++) {
      const g = labels[j]!;
      size[g]!++;
      for (let i = 0; i < m; i++) D[i * k + g]! += G[i * m + j]!;
    }
    for (let i = 0; i < m; i++) N[labels[i]!]! += D[i * k + labels[i]!]!;
  };
  for (let r = 0; r < opts.restarts; r++) {
    const rand = prng(opts.seed + 7919 * r);
    // k-means++ on the points' directions, weighted by their mass.
    const centers: number[] = [];
    const far = new Float64Array(m).fill(Infinity);
    let pick = Math.floor(rand() * m);
    while (centers.length < k) {
      centers.push(pick);
      let total = 0;
      for (let i = 0; i < m; i++) {
        const dist = 1 - G[i * m + pick]! / (norm[i]! * norm[pick]!);
        if (dist < far[i]!) far[i] = dist;
        total += far[i]! * far[i]! * norm[i]!;
      }
      if (total <= 1e-12) break;
      pick = drawProportional(m, total, (i) => far[i]! * far[i]! * norm[i]!, rand);
    }
    const kk = centers.length;
    const labels = new Int32Array(m);
    for (let i = 0; i < m; i++) {
      let bs = -Infinity;
      centers.forEach((p, g) => {
        const s = G[i * m + p]! / norm[p]!;
        if (s > bs + 1e-12) {
          bs = s;
          labels[i] = g;
        }
      });
    }
    // Lloyd's steps: each point to the group whose direction it follows most.
    for (let it = 0; it < (opts.iterations ?? 30); it++) {
      tally(labels);
      let changed = 0;
      for (let i = 0; i < m; i++) {
        let bg = labels[i]!;
        let bs = -Infinity;
        for (let g = 0; g < kk; g++) {
          if (!size[g]) continue;
          const s = D[i * k + g]! / Math.sqrt(N[g]! || 1);
          if (s > bs + 1e-12) {
            bs = s;
            bg = g;
          }
        }
        if (bg !== labels[i]) {
          labels[i] = bg;
          changed++;
        }
      }
      if (!changed) break;
    }
    // Hartigan's moves (see hartigan) on the Gram matrix.
    tally(labels);
    for (let round = 0; round < 50; round++) {
      let moved = 0;
      for (let i = 0; i < m; i++) {
        const a = labels[i]!;
        if (size[a]! <= 1) continue;
        const gii = G[i * m + i]!;
        const loss = Math.sqrt(N[a]!) - Math.sqrt(Math.max(0, N[a]! - 2 * D[i * k + a]! + gii));
        let to = -1;
        let gain = 1e-10;
        for (let b = 0; b < kk; b++) {
          if (b === a) continue;
          const g = Math.sqrt(N[b]! + 2 * D[i * k + b]! + gii) - Math.sqrt(N[b]!) - loss;
          if (g > gain) {
            gain = g;
            to = b;
          }
        }
        if (to < 0) continue;
        N[a] = Math.max(0, N[a]! - 2 * D[i * k + a]! + gii);
        N[to] = N[to]! + 2 * D[i * k + to]! + gii;
        for (let j = 0; j < m; j++) {
          D[j * k + a]! -= G[j * m + i]!;
          D[j * k + to]! += G[j * m + i]!;
        }
        size[a]!--;
        size[to]!++;
        labels[i] = to;
        moved++;
      }
      if (!moved) break;
    }
    let score = 0;
    for (let g = 0; g < kk; g++) score += Math.sqrt(N[g]!);
    if (score > bestScore + 1e-9) {
      bestScore = score;
      best = labels;
    }
  }
  const map = new Map<number, number>();
  return Int32Array.from(best!, (l) => map.get(l) ?? map.set(l, map.size).get(l)!);
}

/** k-means++: the index drawn with probability proportional to its weight (`total`: the weights' sum). */
function drawProportional(n: number, total: number, weight: (i: number) => number, rand: () => number): number {
  let x = rand() * total;
  for (let i = 0; i < n; i++) {
    x -= weight(i);
    if (x <= 0) return i;
  }
  return n - 1;
}
