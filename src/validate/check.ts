/**
 * The whole check as a function of file contents: per-file diagnostics (cacheable
 * by content) plus cross-file rules. Pure apart from the cache object passed in.
 */
import type { Config, Diagnostic, Pos, SourceDoc, Track, WorkOrder } from '../model/types.js';
import { toTrack, toWorkOrder } from '../parse/entities.js';
import { trackDiagnostics, workOrderDiagnostics } from './files.js';
import { crossFileDiagnostics, type RuleOptions } from './rules.js';

/** What is kept of a work order for cross-file rules (and cached). */
const CORE_KEYS = ['id', 'title', 'status', 'track', 'depends_on', 'tags', 'priority', 'estimate_hours', 'era'];

export interface CacheEntry {
  /** core data */
  d: Record<string, unknown>;
  /** positions of core pointers */
  p: Record<string, Pos>;
  k: Record<string, Pos>;
  /** per-file diagnostics */
  x: Diagnostic[];
  ok: boolean;
}

export interface CheckCache {
  get(key: string): CacheEntry | undefined;
  set(key: string, entry: CacheEntry): void;
}

export interface CheckInput {
  config: Config;
  configProblems: Diagnostic[];
  workOrders: { path: string; hash: string; parse: () => WorkOrder }[];
  tracks: Track[];
}

function slim(doc: SourceDoc, keys: string[]): CacheEntry {
  const d: Record<string, unknown> = {};
  const p: Record<string, Pos> = {};
  const k: Record<string, Pos> = {};
  for (const key of keys) {
    if (key in doc.data) d[key] = doc.data[key];
    if (doc.keyPos[key]) k[key] = doc.keyPos[key]!;
  }
  for (const ptr in doc.pos) {
    const top = ptr.split('/')[1]!;
    if (keys.includes(top)) p[ptr] = doc.pos[ptr]!;
  }
  return { d, p, k, x: [], ok: doc.ok };
}

export function runCheck(input: CheckInput, opts: RuleOptions & { cache?: CheckCache; cacheSalt?: string } = {}): { diagnostics: Diagnostic[]; workOrders: WorkOrder[] } {
  const diagnostics: Diagnostic[] = [...input.configProblems];
  const workOrders: WorkOrder[] = [];
  for (const f of input.workOrders) {
    const key = `${opts.cacheSalt ?? ''}\0${f.path}\0${f.hash}`;
    let entry = opts.cache?.get(key);
    if (!entry) {
      const wo = f.parse();
      entry = slim(wo, CORE_KEYS);
      entry.x = workOrderDiagnostics(wo, input.config);
      opts.cache?.set(key, entry);
    }
    const doc: SourceDoc = { path: f.path, hash: f.hash, data: entry.d, pos: entry.p, keyPos: entry.k, start: { line: 1, col: 1 }, problems: [], ok: entry.ok };
    workOrders.push(toWorkOrder(doc));
    diagnostics.push(...entry.x);
  }
  for (const t of input.tracks) diagnostics.push(...trackDiagnostics(t, input.config));
  diagnostics.push(...crossFileDiagnostics(workOrders, input.tracks, input.config, opts));
  return { diagnostics, workOrders };
}

export { toTrack };
