/**
 * A track's `scope`: globs of the code it touches, `!` for exclusions
 * (`[src/**, '!src/legacy/**']`). Matching is picomatch's; this module only
 * decides which paths to ask it about.
 *
 * Whether two scopes overlap is whether some path matches both. Glob
 * intersection in general is a question about regular languages; here each
 * pair of patterns is unified segment by segment (`**` against anything,
 * `*` against a segment, a literal against a glob) into the pattern both
 * match (`src/**` and `**\/*.test.ts` give `src/**\/*.test.ts`), and a
 * concrete path from that pattern is then checked against both whole scopes,
 * exclusions included, by picomatch. So an overlap is only ever reported with
 * a path picomatch says both scopes match; a pair of exotic patterns whose
 * meeting point the unification cannot find is missed, never invented. Pure.
 */
import { createRequire } from 'node:module';
import type Picomatch from 'picomatch';

const OPTS = { dot: true } as const;

// Loaded on first use: `check` in a pre-commit hook pays for it only when some track has a scope.
let loaded: typeof Picomatch | undefined;
const pm = (): typeof Picomatch => (loaded ??= createRequire(import.meta.url)('picomatch') as typeof Picomatch);

export interface Scope {
  /** The patterns as written. */
  patterns: string[];
  include: string[];
  exclude: string[];
}

export const isGlob = (p: string) => pm().scan(p).isGlob;

/**
 * A pattern as matched: `./` and repeated slashes dropped; a path without any
 * glob (`src/runner`, `src/api/`) means that path and everything under it.
 */
export function normalizePattern(p: string): string {
  let s = p.trim().replace(/\\/g, '/').replace(/\/{2,}/g, '/').replace(/^(\.\/)+/, '');
  if (s === '' || s === '.') return '**';
  if (s.endsWith('/')) return `${s}**`;
  if (!isGlob(s)) return `${s}/**`;
  return s;
}

export function parseScope(patterns: readonly unknown[]): Scope {
  const list = patterns.filter((p): p is string => typeof p === 'string' && p.trim() !== '');
  const include: string[] = [];
  const exclude: string[] = [];
  for (const p of list) {
    const t = p.trim();
    if (t.startsWith('!')) exclude.push(normalizePattern(t.slice(1)));
    else include.push(normalizePattern(t));
  }
  return { patterns: list, include, exclude };
}

/** A track's scope from its front matter (empty when it has none). */
export function scopeOf(data: Record<string, unknown>): Scope {
  const s = data.scope;
  return parseScope(Array.isArray(s) ? s : typeof s === 'string' ? [s] : []);
}

export type PathTest = (path: string) => boolean;

/** Whether a path (relative to the repository root) is in the scope. */
export function scopeMatcher(scope: Scope): PathTest {
  if (!scope.include.length) return () => false;
  const inc = pm()(scope.include, OPTS);
  const exc = scope.exclude.length ? pm()(scope.exclude, OPTS) : () => false;
  return (path) => inc(path) && !exc(path);
}

/** `{a,b}` lists expanded (nested too); ranges and everything else left to picomatch. */
export function expandBraces(p: string, limit = 64): string[] {
  const open = findBrace(p);
  if (!open) return [p];
  const { start, end, parts } = open;
  const out: string[] = [];
  for (const part of parts) {
    for (const e of expandBraces(p.slice(0, start) + part + p.slice(end + 1), limit)) {
      out.push(e);
      if (out.length >= limit) return out;
    }
  }
  return out;
}

function findBrace(p: string): { start: number; end: number; parts: string[] } | undefined {
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '\\') {
      i++;
      continue;
    }
    if (p[i] !== '{') continue;
    let depth = 0;
    const cuts: number[] = [];
    for (let j = i; j < p.length; j++) {
      const c = p[j];
      if (c === '\\') {
        j++;
        continue;
      }
      if (c === '{') depth++;
      else if (c === '}') {
        depth--;
        if (depth === 0) {
          if (!cuts.length) break; // `{x}` or a range: not a list
          const bounds = [i, ...cuts, j];
          const parts = bounds.slice(0, -1).map((b, k) => p.slice(b + 1, bounds[k + 1]));
          return { start: i, end: j, parts };
        }
      } else if (c === ',' && depth === 1) cuts.push(j);
    }
  }
  return undefined;
}

const GLOB_CHAR = /[*?[\]{}()!+@]/;
const prefixOf = (g: string) => {
  const m = GLOB_CHAR.exec(g);
  return m ? g.slice(0, m.index) : g;
};
function suffixOf(g: string): string {
  let i = g.length;
  while (i > 0 && !GLOB_CHAR.test(g[i - 1]!)) i--;
  return g.slice(i);
}

/** Concrete strings a segment glob might match, for picomatch to judge. */
function literals(g: string): string[] {
  const simple = g
    .replace(/\[([!^]?)([^\]]*)\]/g, (_m, neg: string, cls: string) => (neg || !cls ? 'x' : cls[0]!))
    .replace(/[@!+*?]\(([^)|]*)[^)]*\)/g, '$1')
    .replace(/\*+/g, 'x')
    .replace(/\?/g, 'x');
  return [simple, simple.replace(/x/g, '')];
}

/** Segment patterns that both segments match (a literal, or one of them when it is wider). */
function meetSegment(a: string, b: string): string[] {
  if (a === b) return [a];
  if (a === '*') return [b];
  if (b === '*') return [a];
  const ga = isGlob(a);
  const gb = isGlob(b);
  if (!ga && !gb) return [];
  if (!ga) return pm().isMatch(a, b, OPTS) ? [a] : [];
  if (!gb) return pm().isMatch(b, a, OPTS) ? [b] : [];
  const pa = prefixOf(a);
  const pb = prefixOf(b);
  const sa = suffixOf(a);
  const sb = suffixOf(b);
  const candidates = [
    ...literals(a),
    ...literals(b),
    `${pa}${pb}x${sb}${sa}`,
    `${pb}${pa}x${sa}${sb}`,
    `${pa}x${sb}`,
    `${pb}x${sa}`,
    `${pa.length >= pb.length ? pa : pb}x${sa.length >= sb.length ? sa : sb}`,
    `${pa.length >= pb.length ? pa : pb}${sa.length >= sb.length ? sa : sb}`,
  ];
  const hit = candidates.find((c) => c !== '' && pm().isMatch(c, a, OPTS) && pm().isMatch(c, b, OPTS));
  return hit ? [hit] : [];
}

const MAX_RESULTS = 12;

/** Patterns (as segment lists) that match only paths both `a` and `b` match; most general first. */
function unify(a: string[], b: string[]): string[][] {
  const memo = new Map<string, string[][]>();
  const rec = (i: number, j: number): string[][] => {
    const key = `${i},${j}`;
    const known = memo.get(key);
    if (known) return known;
    memo.set(key, []); // a loop through ** ∩ ** ends here
    const out: string[][] = [];
    const add = (head: string[], tails: string[][]) => {
      for (const t of tails) if (out.length < MAX_RESULTS) out.push([...head, ...t]);
    };
    const sa = a[i];
    const sb = b[j];
    if (sa === undefined && sb === undefined) out.push([]);
    else if (sa === '**' && sb === '**') {
      add(['**'], rec(i + 1, j));
      add(['**'], rec(i, j + 1));
      add([], rec(i + 1, j + 1));
    } else if (sa === '**') {
      if (sb !== undefined) add([sb], rec(i, j + 1));
      add([], rec(i + 1, j));
    } else if (sb === '**') {
      if (sa !== undefined) add([sa], rec(i + 1, j));
      add([], rec(i, j + 1));
    } else if (sa !== undefined && sb !== undefined) {
      for (const m of meetSegment(sa, sb)) add([m], rec(i + 1, j + 1));
    }
    const collapsed = out.map((segs) => segs.filter((s, k) => !(s === '**' && segs[k - 1] === '**')));
    memo.set(key, collapsed);
    return collapsed;
  };
  const seen = new Set<string>();
  return rec(0, 0)
    .filter((s) => s.length > 0)
    .sort((x, y) => y.filter((s) => s === '**').length - x.filter((s) => s === '**').length)
    .filter((s) => {
      const k = s.join('/');
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
}

const FILLERS = ['x', 'overlap', 'z9'];

/** Concrete paths from a pattern: `**` as no segment or one, globs as literals picomatch agrees with. */
function examples(segs: string[]): string[] {
  let paths: string[][] = [[]];
  for (const s of segs) {
    const next: string[][] = [];
    const options =
      s === '**'
        ? [[], ...FILLERS.map((f) => [f])]
        : isGlob(s)
          ? [...new Set([...literals(s), ...FILLERS.map((f) => literals(s)[0]!.replace(/x/g, f))])].filter((l) => l && pm().isMatch(l, s, OPTS)).map((l) => [l])
          : [[s]];
    for (const p of paths) for (const o of options) if (next.length < 64) next.push([...p, ...o]);
    paths = next;
  }
  // A pattern that ends in ** also covers files below it: prefer a path with a file name.
  return paths.filter((p) => p.length).map((p) => p.join('/')).sort((x, y) => (segs.at(-1) === '**' ? y.split('/').length - x.split('/').length : 0));
}

export interface Overlap {
  /** The pattern both scopes match (their intersection, as a glob). */
  pattern: string;
  /** A path both scopes match. */
  example: string;
  /** The patterns of each scope it came from. */
  a: string;
  b: string;
}

/** A path pattern both scopes match, with an example path, or undefined when they are disjoint (as far as can be shown). */
export function scopeOverlap(a: Scope, b: Scope): Overlap | undefined {
  if (!a.include.length || !b.include.length) return undefined;
  const inA = scopeMatcher(a);
  const inB = scopeMatcher(b);
  for (const pa of a.include) {
    for (const pb of b.include) {
      for (const ea of expandBraces(pa)) {
        for (const eb of expandBraces(pb)) {
          for (const segs of unify(ea.split('/'), eb.split('/'))) {
            const example = examples(segs).find((p) => inA(p) && inB(p));
            if (example) return { pattern: segs.join('/'), example, a: pa, b: pb };
          }
        }
      }
    }
  }
  return undefined;
}
