/**
 * A work order as the cache keeps it: the raw front-matter values its
 * WorkOrder is made from (and a few more that rules and the organizer read of
 * every work order), the positions the cross-file rules point at, and check's
 * per-file diagnostics. Anything else of the file (other keys, other
 * positions) is read again only if a command asks for it, so a work order from
 * the cache answers exactly like a freshly parsed one. Tuples of primitives,
 * because 10,000 of them are parsed on every run and objects cost more to
 * parse and to collect. Pure: reading the file again is a function passed in.
 */
import type { Config, Diagnostic, Pos, SourceDoc, WorkOrder } from '../model/types.js';
import { toWorkOrder } from '../parse/entities.js';

/** A diagnostic without its file: [line, col, severity, code, message, hint?]. */
type Diag = [number, number, Diagnostic['severity'], string, string, string?];

/**
 * [ok, which keys the file has (bit i for keys[i]), their values in that
 * order, positions as [pointer, line, col, …], per-file diagnostics, how many
 * of those are reading problems (WorkOrder.problems, listed first)].
 */
export type WorkOrderRecord = [0 | 1, number, unknown[], (string | number)[], Diag[], number];

/** What a re-read of the file gives: its whole front matter with positions. */
export type FullDoc = Pick<SourceDoc, 'data' | 'pos' | 'keyPos'>;

/** Reads a work order's whole front matter again, by path and the blob id its record was made from. */
export type Reread = (path: string, hash: string) => FullDoc | undefined;

/**
 * Values kept from a file are copied on purpose: V8 substrings (13+ chars) and
 * concatenations point into the whole file text and keep it alive (measured:
 * 405 MB peak for 50,000 work orders). `(' ' + s).slice(1)` flattens into a
 * fresh string of s's own length.
 */
export function own<T>(v: T): T {
  // short values (statuses, slugs, tags) repeat: one copy of each; titles and goals rarely do, and interning them costs a hash each
  if (typeof v === 'string') return (v.length < 13 ? v : v.length <= 40 ? interned(v) : (' ' + v).slice(1)) as T;
  if (Array.isArray(v)) return v.map(own) as T;
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[own(k)] = own((v as Record<string, unknown>)[k]);
    return out as T;
  }
  return v;
}

/**
 * One copy of each short string kept (statuses, slugs, tags, rule codes and
 * hints repeat across thousands of records); bounded, so a huge repository of
 * unique titles does not grow it without end.
 */
const INTERNED = new Map<string, string>();
function interned(s: string): string {
  let out = INTERNED.get(s);
  if (out === undefined) {
    if (INTERNED.size >= 65_536) INTERNED.clear();
    out = (' ' + s).slice(1);
    INTERNED.set(out, out);
  }
  return out;
}

/** The front-matter keys `make` reads, found by letting it read a front matter that records what is asked of it. */
export function keysReadBy(make: (doc: SourceDoc) => unknown): string[] {
  const seen: string[] = [];
  const data = new Proxy({} as Record<string, unknown>, {
    get: (_, k) => {
      if (typeof k === 'string' && !seen.includes(k)) seen.push(k);
      return undefined;
    },
  });
  make({ path: '', hash: '', data, pos: {}, keyPos: {}, start: { line: 1, col: 1 }, problems: [], ok: true });
  return seen;
}

// Shared by every cached work order (50,000 of them in memory at once): nothing writes to them.
const NO_PROBLEMS: Diagnostic[] = Object.freeze([]) as unknown as Diagnostic[];
const START: Pos = Object.freeze({ line: 1, col: 1 });

const escapePtr = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');
const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/**
 * How work orders become records and back, for one way of reading them
 * (`make`: toWorkOrder with the repository's config).
 */
export class RecordFormat {
  /** Raw front-matter keys kept: what `make` reads, plus `extraKeys`. */
  readonly keys: readonly string[];
  private readonly keyIndex: ReadonlySet<string>;
  /** "/key" pointers whose value and item positions are kept (complete for those). */
  private readonly posPtrs: readonly string[];

  constructor(
    private readonly make: (doc: SourceDoc) => WorkOrder,
    /** Keys rules point at: their positions are kept. */
    private readonly posKeys: readonly string[],
    /** More keys read of every work order (the organizer's goal). */
    extraKeys: readonly string[] = [],
  ) {
    this.keys = [...new Set([...keysReadBy(make), ...posKeys, ...extraKeys])];
    // which keys a record has is one 31-bit mask
    if (this.keys.length > 31) throw new Error(`a work-order record keeps at most 31 front-matter keys, not ${this.keys.length}`);
    this.keyIndex = new Set(this.keys);
    this.posPtrs = posKeys.map((k) => `/${escapePtr(k)}`);
  }

  /** What the cache keeps of one parsed work order (its document) and its per-file diagnostics. */
  toRecord(wo: SourceDoc, diagnostics: Diagnostic[]): WorkOrderRecord {
    let mask = 0;
    const values: unknown[] = [];
    this.keys.forEach((k, i) => {
      if (!hasOwn(wo.data, k)) return;
      mask |= 1 << i;
      values.push(own(wo.data[k]));
    });
    const pos: (string | number)[] = [];
    const keep = (ptr: string) => {
      const q = wo.pos[ptr];
      if (q) pos.push(ptr, q.line, q.col);
    };
    this.posKeys.forEach((key, k) => {
      const ptr = this.posPtrs[k]!;
      keep(ptr);
      // the items of a list: the only deeper pointers the record answers for (isKeptPtr)
      const value = wo.data[key];
      if (Array.isArray(value)) for (let i = 0; i < value.length; i++) keep(`${ptr}/${i}`);
    });
    const x = diagnostics.map((d): Diag => {
      const out: Diag = [d.line, d.col, d.severity, interned(d.code), own(d.message)];
      // hints repeat across thousands of records
      if (d.hint !== undefined) out.push(d.hint.length <= 200 ? interned(d.hint) : own(d.hint));
      return out;
    });
    return [wo.ok ? 1 : 0, mask, values, pos, x, Math.min(wo.problems.length, x.length)];
  }

  /**
   * The WorkOrder a record stands for, made by `make` itself. Its `data`, `pos`
   * and `keyPos` answer what the record keeps; anything else calls
   * `reread(path, hash)` once for the file's whole front matter (one function
   * for every record: a closure per work order costs more than its record).
   */
  fromRecord(path: string, hash: string, r: WorkOrderRecord, reread: Reread): WorkOrder {
    const [ok, mask, values, p, x, n] = r;
    const kept: Record<string, unknown> = {};
    let v = 0;
    for (let i = 0; i < this.keys.length; i++) if (mask & (1 << i)) kept[this.keys[i]!] = values[v++];
    let problems = NO_PROBLEMS;
    if (n > 0) {
      problems = [];
      for (let i = 0; i < n; i++) problems.push(diagnostic(path, x[i]!));
    }
    const state = new Lazy(this, kept, p, reread, path, hash);
    // through the lazy front matter: a key `make` reads only sometimes is still read right
    return this.make({
      path,
      hash,
      data: new Proxy(state, DATA) as unknown as Record<string, unknown>,
      pos: new Proxy(state, POS) as unknown as Record<string, Pos>,
      keyPos: new Proxy(state, KEY_POS) as unknown as Record<string, Pos>,
      start: START,
      problems,
      ok: ok === 1,
    });
  }

  isKeptKey(k: string | symbol): k is string {
    return typeof k === 'string' && this.keyIndex.has(k);
  }

  /**
   * Whether the record knows everything about this pointer: the value of a
   * kept key, or an item of one whose value is a list (a mapping's keys are not kept).
   */
  isKeptPtr(ptr: string | symbol, kept: Record<string, unknown>): ptr is string {
    if (typeof ptr !== 'string') return false;
    // the document itself has no position of its own (rules fall back to the start)
    if (ptr === '') return true;
    for (let k = 0; k < this.posPtrs.length; k++) {
      const base = this.posPtrs[k]!;
      if (ptr === base) return true;
      if (ptr.length > base.length + 1 && ptr.startsWith(base) && ptr.charCodeAt(base.length) === 47 && /^\d+$/.test(ptr.slice(base.length + 1))) {
        return Array.isArray(kept[this.posKeys[k]!]);
      }
    }
    return false;
  }
}

/**
 * How cached work orders are kept for this config: what toWorkOrder reads,
 * with the positions of the keys the cross-file rules point at, and the goal
 * (the organizer and the LLM request read it of every work order).
 */
export function recordFormat(config: Config): RecordFormat {
  const f = config.fields;
  return new RecordFormat((doc) => toWorkOrder(doc, config), [f.id, f.track, f.depends_on, f.parent]);
}

function diagnostic(path: string, x: Diag): Diagnostic {
  const d: Diagnostic = { file: path, line: x[0], col: x[1], severity: x[2], code: x[3], message: x[4] };
  if (x.length > 5) d.hint = x[5];
  return d;
}

/** Per-file diagnostics of a record, for `check`. */
export function recordDiagnostics(path: string, r: WorkOrderRecord): Diagnostic[] {
  return r[4].map((x) => diagnostic(path, x));
}

/** What one cached work order knows, and the whole front matter once something else is asked. */
class Lazy {
  private full: FullDoc | undefined;
  /** Keys (of data, pos or keyPos) written since: the whole document answers for them from then on. */
  written: Set<string> | undefined;
  constructor(
    readonly format: RecordFormat,
    readonly kept: Record<string, unknown>,
    readonly positions: (string | number)[],
    private readonly reread: Reread,
    private readonly path: string,
    private readonly hash: string,
  ) {}
  doc(): FullDoc {
    return (this.full ??= this.reread(this.path, this.hash) ?? { data: {}, pos: Object.create(null), keyPos: Object.create(null) });
  }
  pos(ptr: string): Pos | undefined {
    const p = this.positions;
    for (let i = 0; i + 2 < p.length; i += 3) if (p[i] === ptr) return { line: p[i + 1] as number, col: p[i + 2] as number };
    return undefined;
  }
}

type Part = 'data' | 'pos' | 'keyPos';

/** What a record answers for one key of one of the maps: NOT_KEPT (ask the whole document), ABSENT, or the value. */
const NOT_KEPT: unique symbol = Symbol('not kept');
const ABSENT: unique symbol = Symbol('absent');
type Kept = unknown | typeof NOT_KEPT | typeof ABSENT;

/**
 * One of the document's maps: what the record keeps is answered from it
 * (`kept` says whether it knows, and what), anything else from the whole
 * document. Writes go to the whole document, which answers for that key from
 * then on. `kept` returns a sentinel rather than an object: every field read
 * of every cached work order goes through here.
 */
function view(part: Part, kept: (t: Lazy, k: string | symbol) => Kept): ProxyHandler<Lazy> {
  const tag = `${part}:`;
  const known = (t: Lazy, k: string | symbol): Kept => (t.written !== undefined && t.written.has(tag + String(k)) ? NOT_KEPT : kept(t, k));
  const write = (t: Lazy, k: string | symbol) => {
    (t.written ??= new Set()).add(tag + String(k));
    return t.doc()[part] as Record<string | symbol, unknown>;
  };
  return {
    get: (t, k) => {
      const h = known(t, k);
      return h === NOT_KEPT ? Reflect.get(t.doc()[part], k) : h === ABSENT ? undefined : h;
    },
    has: (t, k) => {
      const h = known(t, k);
      return h === NOT_KEPT ? Reflect.has(t.doc()[part], k) : h !== ABSENT;
    },
    ownKeys: (t) => Reflect.ownKeys(t.doc()[part]),
    getOwnPropertyDescriptor: (t, k) => {
      const desc = Reflect.getOwnPropertyDescriptor(t.doc()[part], k);
      // what the proxy reports is not the target's own, so it must be configurable
      if (desc) desc.configurable = true;
      return desc;
    },
    getPrototypeOf: (t) => Reflect.getPrototypeOf(t.doc()[part]),
    set: (t, k, v) => Reflect.set(write(t, k), k, v),
    deleteProperty: (t, k) => Reflect.deleteProperty(write(t, k), k),
    defineProperty: (t, k, desc) => Reflect.defineProperty(write(t, k), k, desc),
  };
}

// One handler of each kind for every cached work order: a closure per work order would cost more than its record.
const DATA = view('data', (t, k) => (typeof k === 'string' && hasOwn(t.kept, k) ? t.kept[k] : t.format.isKeptKey(k) ? ABSENT : NOT_KEPT));
const POS = view('pos', (t, k) => {
  if (!t.format.isKeptPtr(k, t.kept)) return NOT_KEPT;
  return t.pos(k) ?? ABSENT;
});
// a kept key the file does not have has no key position either
const KEY_POS = view('keyPos', (t, k) => (t.format.isKeptKey(k) && !hasOwn(t.kept, k) ? ABSENT : NOT_KEPT));
