/**
 * The whole check as a function of file contents: per-file diagnostics (cacheable
 * by content) plus cross-file rules. Pure apart from the cache object passed in.
 */
import type { Config, Diagnostic, Pos, SourceDoc, Track, WorkOrder } from '../model/types.js';
import { toTrack, toWorkOrder } from '../parse/entities.js';
import { trackDiagnostics, workOrderDiagnostics } from './files.js';
import { crossFileDiagnostics, type RuleOptions } from './rules.js';

/**
 * What cross-file rules need of a work order, and so all that is cached of it
 * (per-file diagnostics are cached whole): data and positions of these fields,
 * under the keys the config maps them to.
 */
const CORE_FIELDS = ['id', 'status', 'track', 'depends_on', 'parent'] as const;

function coreKeys(config: Config): string[] {
  return CORE_FIELDS.map((f) => config.fields[f]);
}

/** Compact, JSON-friendly: 10,000 of these are loaded on every cached run. */
export interface CacheEntry {
  /** core data */
  d: Record<string, unknown>;
  /** positions of the pointers rules anchor at: pointer → [line, col] */
  p: Record<string, [number, number]>;
  /** per-file diagnostics, without the file (it is the key) */
  x: Omit<Diagnostic, 'file'>[];
  ok: boolean;
}

export interface CheckCache {
  has(key: string): boolean;
  get(key: string): CacheEntry | undefined;
  set(key: string, entry: CacheEntry): void;
}

/** A work order known by path; its content is loaded only on a cache miss (or to learn its hash). */
export interface WorkOrderSource {
  path: string;
  /** Known up front when read from the git index. */
  hash?: string;
  load(): { hash: string; parse(): WorkOrder } | undefined;
}

export interface CheckInput {
  config: Config;
  configProblems: Diagnostic[];
  workOrders: WorkOrderSource[];
  tracks: Track[];
}

export function cacheKey(path: string, hash: string): string {
  return `${path}\0${hash}`;
}

function slim(doc: SourceDoc, diagnostics: Diagnostic[], keys: string[]): CacheEntry {
  const d: Record<string, unknown> = {};
  const p: Record<string, [number, number]> = {};
  const keep = (ptr: string) => {
    const q = doc.pos[ptr];
    if (q) p[ptr] = [q.line, q.col];
  };
  for (const key of keys) {
    if (!(key in doc.data)) continue;
    const value = doc.data[key];
    d[key] = copyValue(value);
    const ptr = `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    keep(ptr);
    if (Array.isArray(value)) for (let i = 0; i < value.length; i++) keep(`${ptr}/${i}`);
  }
  const x = diagnostics.length ? (JSON.parse(JSON.stringify(diagnostics.map(({ file: _file, ...rest }) => rest))) as CacheEntry['x']) : [];
  return { d, p, x, ok: doc.ok };
}

/**
 * Values and messages kept from a file are copied on purpose: V8 substrings
 * (13+ chars) and concatenations point into the whole file text and keep it
 * alive (measured: 405 MB peak for 50,000 work orders). `(' ' + s).slice(1)`
 * flattens into a fresh string of s's own length.
 */
function copyValue(v: unknown): unknown {
  if (typeof v === 'string') return v.length < 13 ? v : (' ' + v).slice(1);
  if (Array.isArray(v)) return v.map(copyValue);
  if (v && typeof v === 'object') return JSON.parse(JSON.stringify(v));
  return v;
}

function unslim(path: string, hash: string, e: CacheEntry): { doc: SourceDoc; diagnostics: Diagnostic[] } {
  const pos: Record<string, Pos> = {};
  for (const ptr in e.p) pos[ptr] = { line: e.p[ptr]![0], col: e.p[ptr]![1] };
  const diagnostics = e.x.map((x) => ({ file: path, ...x }));
  // Reading problems stay with the document: whether it is usable (src/core/counts.ts) depends on its encoding.
  const problems = diagnostics.filter((d) => d.code === 'file/encoding');
  return { doc: { path, hash, data: e.d, pos, keyPos: {}, start: { line: 1, col: 1 }, problems, ok: e.ok }, diagnostics };
}

/** Everything `check` keeps of one parsed work order. */
export function entryFor(wo: WorkOrder, config: Config): CacheEntry {
  return slim(wo, workOrderDiagnostics(wo, config), coreKeys(config));
}

export function runCheck(input: CheckInput, opts: RuleOptions & { cache?: CheckCache } = {}): { diagnostics: Diagnostic[]; workOrders: WorkOrder[] } {
  const diagnostics: Diagnostic[] = [...input.configProblems];
  const workOrders: WorkOrder[] = [];
  for (const f of input.workOrders) {
    let hash = f.hash;
    let entry = hash !== undefined ? opts.cache?.get(cacheKey(f.path, hash)) : undefined;
    if (!entry) {
      const loaded = f.load();
      if (!loaded) continue; // vanished since it was listed
      hash = loaded.hash;
      const key = cacheKey(f.path, hash);
      entry = opts.cache?.get(key);
      if (!entry) {
        entry = entryFor(loaded.parse(), input.config);
        opts.cache?.set(key, entry);
      }
    }
    const { doc, diagnostics: own } = unslim(f.path, hash!, entry);
    workOrders.push(toWorkOrder(doc, input.config));
    for (const x of own) diagnostics.push(x);
  }
  for (const t of input.tracks) diagnostics.push(...trackDiagnostics(t, input.config));
  diagnostics.push(...crossFileDiagnostics(workOrders, input.tracks, input.config, opts));
  return { diagnostics, workOrders };
}

export { toTrack };

/** Bump when CacheEntry or the per-file rules change shape. */
export const CACHE_FORMAT = 5;
