/** Agreement between two groupings of the same items (adjusted Rand index, NMI). Pure. */

function contingency(a: string[], b: string[]) {
  const ai = new Map<string, number>();
  const bi = new Map<string, number>();
  for (const x of a) if (!ai.has(x)) ai.set(x, ai.size);
  for (const x of b) if (!bi.has(x)) bi.set(x, bi.size);
  const table: number[][] = Array.from({ length: ai.size }, () => new Array<number>(bi.size).fill(0));
  a.forEach((x, k) => table[ai.get(x)!]![bi.get(b[k]!)!]!++);
  const rows = table.map((r) => r.reduce((s, v) => s + v, 0));
  const cols = Array.from({ length: bi.size }, (_, j) => table.reduce((s, r) => s + r[j]!, 0));
  return { table, rows, cols, n: a.length };
}

const c2 = (n: number) => (n * (n - 1)) / 2;

/** Adjusted Rand index (Hubert & Arabie): 1 = identical, ~0 = chance. */
export function adjustedRand(a: string[], b: string[]): number {
  if (a.length !== b.length) throw new Error('groupings differ in length');
  const { table, rows, cols, n } = contingency(a, b);
  const index = table.flat().reduce((s, v) => s + c2(v), 0);
  const ra = rows.reduce((s, v) => s + c2(v), 0);
  const cb = cols.reduce((s, v) => s + c2(v), 0);
  const expected = (ra * cb) / c2(n);
  const max = (ra + cb) / 2;
  return max === expected ? 1 : (index - expected) / (max - expected);
}

/** Normalised mutual information (arithmetic-mean normalisation). */
export function nmi(a: string[], b: string[]): number {
  if (a.length !== b.length) throw new Error('groupings differ in length');
  const { table, rows, cols, n } = contingency(a, b);
  const h = (xs: number[]) => -xs.reduce((s, v) => (v ? s + (v / n) * Math.log(v / n) : s), 0);
  let mi = 0;
  table.forEach((r, i) =>
    r.forEach((v, j) => {
      if (v) mi += (v / n) * Math.log((n * v) / (rows[i]! * cols[j]!));
    }),
  );
  const ha = h(rows);
  const hb = h(cols);
  return ha + hb === 0 ? 1 : (2 * mi) / (ha + hb);
}

/**
 * Adjusted mutual information (Vinh, Epps & Bailey 2010, arithmetic mean):
 * NMI corrected for chance, so a grouping into many small groups (such as
 * "by first tag") gets no credit just for being fine-grained.
 */
export function adjustedMutualInfo(a: string[], b: string[]): number {
  if (a.length !== b.length) throw new Error('groupings differ in length');
  const { table, rows, cols, n } = contingency(a, b);
  const lf = new Float64Array(n + 1);
  for (let i = 2; i <= n; i++) lf[i] = lf[i - 1]! + Math.log(i);
  let mi = 0;
  table.forEach((r, i) =>
    r.forEach((v, j) => {
      if (v) mi += (v / n) * Math.log((n * v) / (rows[i]! * cols[j]!));
    }),
  );
  let emi = 0;
  for (const ai of rows) {
    for (const bj of cols) {
      const lo = Math.max(1, ai + bj - n);
      const hi = Math.min(ai, bj);
      for (let nij = lo; nij <= hi; nij++) {
        const logP = lf[ai]! + lf[bj]! + lf[n - ai]! + lf[n - bj]! - lf[n]! - lf[nij]! - lf[ai - nij]! - lf[bj - nij]! - lf[n - ai - bj + nij]!;
        emi += (nij / n) * Math.log((n * nij) / (ai * bj)) * Math.exp(logP);
      }
    }
  }
  const h = (xs: number[]) => -xs.reduce((s, v) => (v ? s + (v / n) * Math.log(v / n) : s), 0);
  const mean = (h(rows) + h(cols)) / 2;
  return mean - emi === 0 ? 1 : (mi - emi) / (mean - emi);
}
