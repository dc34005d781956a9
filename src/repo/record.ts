/**
 * A work order as the cache keeps it: its WorkOrder fields, the few raw
 * front-matter values and positions the cross-file rules and the organizer
 * read, and check's per-file diagnostics. Everything else of the file (the
 * rest of the front matter, the body) is read again only if a command asks
 * for it. Pure: reading the file again is a function passed in.
 */
import type { Diagnostic, Pos, WorkOrder } from '../model/types.js';
import { toWorkOrder } from '../parse/entities.js';

/**
 * Raw front-matter keys kept in the record: what rules read of `data` (track,
 * depends_on, with positions for their diagnostics) and what the organizer
 * and the LLM request read of every work order (goal). Any other key of
 * `data` makes that one file be read again.
 */
export const DATA_KEYS = ['id', 'status', 'track', 'depends_on', 'goal'] as const;
const DATA_KEY_SET: ReadonlySet<string> = new Set(DATA_KEYS);
/** Keys whose positions (and their items') are kept: where the cross-file rules point. */
const POS_KEYS = ['id', 'status', 'track', 'depends_on'];

const SOURCE_DOC_KEYS = new Set(['path', 'hash', 'data', 'pos', 'keyPos', 'start', 'problems', 'ok', 'kind']);

/**
 * WorkOrder's own fields (id, title, tracks, …), in the order toWorkOrder makes
 * them, so that work orders from the cache have the same shape (for V8 and for
 * anyone comparing them) as freshly parsed ones. Taken from toWorkOrder itself:
 * a field added there is cached without touching this file.
 */
export const WORK_ORDER_FIELDS: readonly string[] = Object.keys(
  toWorkOrder({ path: '', hash: '', data: {}, pos: {}, keyPos: {}, start: { line: 1, col: 1 }, problems: [], ok: false }),
).filter((k) => !SOURCE_DOC_KEYS.has(k));

export interface WorkOrderRecord {
  /** WORK_ORDER_FIELDS values in order; null stands for undefined (WorkOrder fields are never null). */
  f: unknown[];
  /** DATA_KEYS the file has, with their raw values. */
  d: Record<string, unknown>;
  /** pointer → [line, col] for the values of POS_KEYS and their items. */
  p: Record<string, [number, number]>;
  /** key → [line, col] for POS_KEYS. */
  k: Record<string, [number, number]>;
  /** Per-file diagnostics without the file; the first `n` are the reading problems (WorkOrder.problems). */
  x: Omit<Diagnostic, 'file'>[];
  n: number;
  ok: boolean;
}

/**
 * Values kept from a file are copied on purpose: V8 substrings (13+ chars) and
 * concatenations point into the whole file text and keep it alive (measured:
 * 405 MB peak for 50,000 work orders). `(' ' + s).slice(1)` flattens into a
 * fresh string of s's own length.
 */
export function own<T>(v: T): T {
  if (typeof v === 'string') return (v.length < 13 ? v : (' ' + v).slice(1)) as T;
  if (Array.isArray(v)) return v.map(own) as T;
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[own(k)] = own((v as Record<string, unknown>)[k]);
    return out as T;
  }
  return v;
}

const pair = (p: Pos): [number, number] => [p.line, p.col];

/** What the cache keeps of one parsed work order and its per-file diagnostics. */
export function toRecord(wo: WorkOrder, diagnostics: Diagnostic[]): WorkOrderRecord {
  const w = wo as unknown as Record<string, unknown>;
  const f: unknown[] = [];
  for (const k of WORK_ORDER_FIELDS) f.push(w[k] === undefined ? null : own(w[k]));
  const d: Record<string, unknown> = {};
  for (const k of DATA_KEYS) if (Object.prototype.hasOwnProperty.call(wo.data, k)) d[k] = own(wo.data[k]);
  const p: Record<string, [number, number]> = {};
  const kp: Record<string, [number, number]> = {};
  for (const key of POS_KEYS) {
    if (wo.keyPos[key]) kp[key] = pair(wo.keyPos[key]!);
    const ptr = `/${key}`;
    if (wo.pos[ptr]) p[ptr] = pair(wo.pos[ptr]!);
    const value = wo.data[key];
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const q = wo.pos[`${ptr}/${i}`];
        if (q) p[`${ptr}/${i}`] = pair(q);
      }
    }
  }
  const x = diagnostics.map(({ file: _file, ...rest }) => own(rest));
  const n = Math.min(wo.problems.length, x.length);
  return { f, d, p, k: kp, x, n, ok: wo.ok };
}

/** Per-file diagnostics of a record, for `check`. */
export function recordDiagnostics(path: string, r: WorkOrderRecord): Diagnostic[] {
  return r.x.map((x) => ({ file: path, ...x }));
}

/**
 * The WorkOrder a record stands for. `data` answers DATA_KEYS from the record;
 * any other key (or listing the keys) calls `readData` once for the file's
 * whole front matter.
 */
export function fromRecord(path: string, hash: string, r: WorkOrderRecord, readData: () => Record<string, unknown>): WorkOrder {
  const pos: Record<string, Pos> = Object.create(null);
  for (const ptr in r.p) pos[ptr] = { line: r.p[ptr]![0], col: r.p[ptr]![1] };
  const keyPos: Record<string, Pos> = Object.create(null);
  for (const key in r.k) keyPos[key] = { line: r.k[key]![0], col: r.k[key]![1] };
  const problems: Diagnostic[] = [];
  for (let i = 0; i < r.n; i++) problems.push({ file: path, ...r.x[i]! });
  const wo: Record<string, unknown> = {
    path,
    hash,
    data: lazyData(r.d, readData),
    pos,
    keyPos,
    start: { line: 1, col: 1 },
    problems,
    ok: r.ok,
    kind: 'work-order',
  };
  for (let i = 0; i < WORK_ORDER_FIELDS.length; i++) wo[WORK_ORDER_FIELDS[i]!] = r.f[i] ?? undefined;
  return wo as unknown as WorkOrder;
}

/**
 * Front matter that answers the kept keys at once and reads the file for
 * anything else. A Proxy, so that every reader of `data` (rules, the organizer,
 * context packs, code not written yet) sees the file's whole front matter.
 */
function lazyData(kept: Record<string, unknown>, read: () => Record<string, unknown>): Record<string, unknown> {
  let full: Record<string, unknown> | undefined;
  const all = () => (full ??= read());
  const isKept = (k: string | symbol): k is string => typeof k === 'string' && DATA_KEY_SET.has(k);
  return new Proxy({} as Record<string, unknown>, {
    get: (_, k) => (isKept(k) ? (Object.prototype.hasOwnProperty.call(kept, k) ? kept[k] : undefined) : Reflect.get(all(), k)),
    has: (_, k) => (isKept(k) ? Object.prototype.hasOwnProperty.call(kept, k) : Reflect.has(all(), k)),
    ownKeys: () => Reflect.ownKeys(all()),
    getOwnPropertyDescriptor: (_, k) => {
      const desc = Reflect.getOwnPropertyDescriptor(all(), k);
      // the proxy's target is empty, so every property it reports must be configurable
      if (desc) desc.configurable = true;
      return desc;
    },
    set: (_, k, v) => {
      if (isKept(k)) kept[k] = v;
      return Reflect.set(all(), k, v);
    },
    deleteProperty: (_, k) => {
      if (isKept(k)) delete kept[k];
      return Reflect.deleteProperty(all(), k);
    },
    defineProperty: (_, k, desc) => {
      if (isKept(k)) delete kept[k];
      const ok = Reflect.defineProperty(all(), k, desc);
      if (isKept(k) && ok) kept[k] = all()[k];
      return ok;
    },
  });
}
