/**
 * A fast reader for the plain subset of YAML that front matter is written in:
 * block mappings and block sequences nested by indentation, one-line and
 * multi-line plain scalars, one-line quoted scalars, one-line flow lists of
 * scalars, and literal or folded block scalars.
 *
 * Why: the `yaml` package needs ~0.5 ms per work order (its lexer alone ~0.25 ms),
 * which makes `tracks check` on 10,000 files take seconds. This reader is ~20x
 * faster on that subset. It is exact or it gives up: whenever it meets anything
 * it is not certain to read exactly as YAML 1.2 (core schema) would, it returns
 * null and the caller uses the `yaml` package. Property tests and the real
 * corpora hold it to `yaml.parse` (data) and to the `yaml` node ranges (positions).
 */
import type { Pos } from '../model/types.js';

export interface FastYaml {
  data: Record<string, unknown>;
  /** pointer → position of the value; lines are 0-based within the YAML text (plus `lineBase`), cols 1-based. */
  pos: Record<string, Pos>;
  keyPos: Record<string, Pos>;
}

// A shared sentinel, not an Error: giving up is the common case and must not pay for a stack trace.
const BAIL = { bail: true };
const bail = (): never => {
  throw BAIL;
};

/**
 * Characters the `yaml` package may treat differently from a plain reading
 * (control characters, NEL/LS/PS, an inner BOM). A bare character class: an
 * alternation here would make V8 scan the text far more slowly.
 */
const ODD = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff]/;

/**
 * Returns the front matter data, or null when the text is outside the subset
 * (or not a mapping). `lineBase` is added to every position's line (readSource
 * passes the file line of the first YAML line, so positions need no copy).
 */
export function fastParseYaml(src: string, lineBase = 0): FastYaml | null {
  try {
    return new Reader(src, false, lineBase).read();
  } catch {
    // BAIL, or anything unexpected (e.g. a stack overflow on absurd nesting): the exact reader decides.
    return null;
  }
}

/**
 * The data alone (positions left empty), or null where fastParseYaml gives
 * up: for reading a front matter back after an edit, where no position is
 * asked for and recording them would be half the work.
 */
export function fastParseData(src: string): Record<string, unknown> | null {
  try {
    return new Reader(src, false, 0, false).read().data;
  } catch {
    // BAIL, or anything unexpected (e.g. a stack overflow on absurd nesting): the exact reader decides.
    return null;
  }
}

/** For tests: like fastParseYaml, but a failure other than giving up is thrown, not hidden. */
export function fastParseYamlStrict(src: string): FastYaml | null {
  try {
    return new Reader(src, false, 0).read();
  } catch (e) {
    if (e === BAIL) return null;
    throw e;
  }
}

/** Where a top-level pair sits, for lossless edits. Lines are 0-based, columns 0-based. */
export interface KeySpan {
  key: string;
  line: number;
  /** Column just past the key's text (before any blanks and the colon). */
  keyEnd: number;
  /** [start, end) columns of the value when all of it sits on the key's line (empty for a null). */
  inline?: [number, number];
  /** Last line holding the value's content (trailing comment and blank lines excluded). */
  last: number;
}

/** `fastParseYaml` plus the line spans of the top-level pairs, in order. */
export function fastKeySpans(src: string, withPositions = true): (FastYaml & { spans: KeySpan[] }) | null {
  try {
    const r = new Reader(src, true, 0, withPositions);
    return { ...r.read(), spans: r.spans };
  } catch {
    return null;
  }
}

/** Where a node starts: right after `key:`, right after `- `, or on a line of its own. */
const Ctx = { MapValue: 0, SeqItem: 1, Node: 2 } as const;
type Ctx = (typeof Ctx)[keyof typeof Ctx];

class Reader {
  private readonly lines: string[];
  private readonly n: number;
  private i = 0;
  // Null-prototype maps: no `constructor` lookalikes, and V8 keeps them in dictionary
  // mode instead of minting a hidden class per new pointer (the reader's main cost).
  private readonly pos: Record<string, Pos> = Object.create(null);
  private readonly keyPos: Record<string, Pos> = Object.create(null);
  readonly spans: KeySpan[] = [];
  /** Last line whose content has been read. */
  private last = -1;
  /** Column just past the value just read, when it was read from one line (else -1). */
  private inlineEnd = -1;

  constructor(
    src: string,
    private readonly withSpans: boolean,
    /** added to every position's line */
    private readonly base = 0,
    /** false: `pos` and `keyPos` stay empty, and no pointer is built */
    private readonly withPos = true,
  ) {
    if (src.indexOf('\r') !== -1) {
      // Only CRLF line ends are tolerated; a lone CR is a line break to nobody.
      if (/\r(?!\n)/.test(src)) bail();
      src = src.replace(/\r\n/g, '\n');
    }
    // odd characters, and tabs used as indentation
    if (ODD.test(src) || src.charCodeAt(0) === 9 || src.indexOf('\n\t') !== -1) bail();
    const lines = src.split('\n');
    if (lines.length && lines[lines.length - 1] === '') lines.pop();
    this.lines = lines;
    this.n = lines.length;
  }

  read(): FastYaml {
    const j = this.nextSig(0);
    if (j >= this.n) return { data: {}, pos: this.pos, keyPos: this.keyPos };
    if (this.indentOf(this.lines[j]!) !== 0) bail();
    this.i = j;
    const data = this.map(0, '', true);
    return { data, pos: this.pos, keyPos: this.keyPos };
  }

  private at(ptr: string, line: number, col0: number): void {
    if (this.withPos) this.pos[ptr] = { line: line + this.base, col: col0 + 1 };
  }

  /** Index of the first line at or after `j` that is neither blank nor a comment. */
  private nextSig(j: number): number {
    const lines = this.lines;
    for (; j < this.n; j++) {
      const line = lines[j]!;
      let k = 0;
      while (k < line.length && (line.charCodeAt(k) === 32 || line.charCodeAt(k) === 9)) k++;
      if (k < line.length && line.charCodeAt(k) !== 35) return j;
    }
    return j;
  }

  private indentOf(line: string): number {
    let k = 0;
    while (k < line.length && line.charCodeAt(k) === 32) k++;
    // a tab after indentation spaces would be a separator in some contexts and an error in others
    if (line.charCodeAt(k) === 9) bail();
    return k;
  }

  /**
   * Moves to the next significant line of a collection at indentation `ind`:
   * false when the collection ends (end of text or a shallower line); deeper
   * lines here are outside the subset.
   */
  private nextAt(ind: number): boolean {
    const j = this.nextSig(this.i);
    this.i = j;
    if (j >= this.n) return false;
    const li = this.indentOf(this.lines[j]!);
    if (li < ind) return false;
    if (li > ind) bail();
    return true;
  }

  /** A block mapping whose keys sit at column `ind` (0-based); the first key is on line `this.i`. */
  private map(ind: number, ptr: string, top: boolean): Record<string, unknown> {
    const lines = this.lines;
    const out: Record<string, unknown> = {};
    if (!top) this.at(ptr, this.i, ind);
    let first = true;
    for (;;) {
      if (!first && !this.nextAt(ind)) break;
      first = false;
      const line = lines[this.i]!;
      if (ind === 0) {
        const c0 = line.charCodeAt(0);
        if (c0 === 37 /* % */ || line.startsWith('---') || line.startsWith('...')) bail();
      }
      const colon = keyColon(line, ind);
      const key = trimEnd(line.slice(ind, colon));
      // A duplicate, or a key Object.prototype already answers to (`__proto__`, `constructor`):
      // values are never undefined, so one lookup covers both; the rare latter case goes to yaml.
      if (out[key] !== undefined || typeof resolvePlain(key) !== 'string') bail();
      if (top && this.withPos) this.keyPos[key] = { line: this.i + this.base, col: 1 };
      let c = colon + 1;
      while (c < line.length && (line.charCodeAt(c) === 32 || line.charCodeAt(c) === 9)) c++;
      const keyLine = this.i;
      this.last = keyLine;
      out[key] = this.value(c, ind, this.withPos ? child(ptr, key) : ptr, Ctx.MapValue);
      if (top && this.withSpans) {
        const span: KeySpan = { key, line: keyLine, keyEnd: ind + key.length, last: this.last };
        if (this.inlineEnd !== -1 && this.last === keyLine) span.inline = [c, this.inlineEnd];
        this.spans.push(span);
      }
    }
    return out;
  }

  /** A block sequence whose dashes sit at column `ind`; the first dash is on line `this.i`. */
  private seq(ind: number, ptr: string): unknown[] {
    const lines = this.lines;
    const out: unknown[] = [];
    this.at(ptr, this.i, ind);
    let first = true;
    for (;;) {
      if (!first && !this.nextAt(ind)) break;
      const line = lines[this.i]!;
      if (!isDash(line, ind)) {
        if (first) bail();
        break; // the next key of the mapping this (unindented) sequence belongs to
      }
      first = false;
      let c = ind + 1;
      while (c < line.length && line.charCodeAt(c) === 32) c++;
      out.push(this.value(c, ind, this.withPos ? child(ptr, out.length) : ptr, Ctx.SeqItem));
    }
    return out;
  }

  /**
   * The node starting at column `c` of line `this.i`, inside a collection at
   * indentation `n`. Leaves `this.i` on the line after the node.
   */
  private value(c: number, n: number, ptr: string, ctx: Ctx): unknown {
    const i = this.i;
    const line = this.lines[i]!;
    this.inlineEnd = -1;
    if (c >= line.length || line.charCodeAt(c) === 35 /* # */) {
      const j = this.nextSig(i + 1);
      if (j < this.n) {
        const next = this.lines[j]!;
        const li = this.indentOf(next);
        if (li > n || (li === n && ctx === Ctx.MapValue && isDash(next, li))) {
          this.i = j;
          return this.value(li, n, ptr, Ctx.Node);
        }
      }
      this.at(ptr, i, c);
      this.i = i + 1;
      this.last = i;
      this.inlineEnd = c;
      return null;
    }
    const ch = line.charCodeAt(c);
    if (ch === 45 /* - */ && isDash(line, c)) {
      if (ctx !== Ctx.Node) bail(); // `key: - x` is an error; `- - x` is out of the subset
      return this.seq(c, ptr);
    }
    if (ch === 124 /* | */ || ch === 62 /* > */) {
      if (ctx === Ctx.Node) bail();
      this.at(ptr, i, c);
      return this.block(c, n);
    }
    if (ch === 34 /* " */ || ch === 39 /* ' */) {
      const q = ch === 34 ? readDouble(line, c) : readSingle(line, c);
      if (!isBlankOrComment(line, q.end)) bail(); // a quoted key, or text after the quote
      this.at(ptr, i, c);
      this.i = i + 1;
      this.last = i;
      this.inlineEnd = q.end;
      return q.value;
    }
    if (ch === 91 /* [ */) {
      this.at(ptr, i, c);
      const v = this.flowSeq(line, c, ptr, i);
      this.i = i + 1;
      this.last = i;
      return v;
    }
    if (isIndicator(ch) || ch === 9 || (ch === 45 && line.charCodeAt(c + 1) === 9)) bail();
    if ((ch === 63 /* ? */ || ch === 58 /* : */) && (c + 1 === line.length || isSpace(line.charCodeAt(c + 1)))) bail();

    // A plain scalar, or the first key of a mapping.
    const end = commentAt(line, c);
    const comment = end !== line.length;
    if (mapColon(line, c, end) !== -1) {
      if (ctx === Ctx.MapValue) bail(); // `key: a: b` is an error for yaml to describe
      return this.map(c, ptr, false);
    }
    const text = trimEnd(line.slice(c, end));
    this.at(ptr, i, c);
    this.i = i + 1;
    this.last = i;
    this.inlineEnd = c + text.length;
    if (comment) return resolvePlain(text);

    // Continuation lines (more indented than the parent) fold into one string.
    let out = text;
    let breaks = 0;
    let multi = false;
    for (let j = i + 1; j < this.n; j++) {
      const l = this.lines[j]!;
      if (isBlankLine(l)) {
        breaks++;
        continue;
      }
      const li = this.indentOf(l);
      if (li <= n) break;
      const x = l.charCodeAt(li);
      if (x === 35) break; // a comment ends the scalar; deeper content after it is an error
      if (isIndicator(x) || x === 45 || x === 63 || x === 58) bail();
      const part = trimEnd(l.slice(li));
      if (/:(?:[ \t]|$)|[ \t]#/.test(part)) bail();
      out += breaks === 0 ? ' ' + part : '\n'.repeat(breaks) + part;
      breaks = 0;
      multi = true;
      this.i = j + 1;
      this.last = j;
    }
    if (multi) this.inlineEnd = -1;
    return multi ? out : resolvePlain(text);
  }

  /** A literal or folded block scalar whose header is at column `c`; `n` is the parent's indentation. */
  private block(c: number, n: number): string {
    const lines = this.lines;
    const i = this.i;
    const hm = /^([|>])([+-]?)(?:[ \t]+#.*)?[ \t]*$/.exec(lines[i]!.slice(c));
    if (!hm) bail(); // explicit indentation indicators and odd headers: leave to yaml
    const folded = hm![1] === '>';
    const chomp = hm![2];
    let j = i + 1;
    let indent = -1;
    const body: string[] = [];
    let maxLeadingBlank = 0;
    while (j < this.n) {
      const line = lines[j]!;
      if (isBlankLine(line)) {
        if (line.indexOf('\t') !== -1) bail();
        if (indent === -1) maxLeadingBlank = Math.max(maxLeadingBlank, line.length);
        body.push('');
        j++;
        continue;
      }
      const li = this.indentOf(line);
      if (indent === -1) {
        if (li <= n) break;
        if (maxLeadingBlank > li) bail();
        indent = li;
      }
      if (li < indent) break;
      body.push(line.slice(indent));
      j++;
    }
    // Trailing blank lines belong to chomping. Lines of spaces longer than the
    // indentation are content (or, after the end, an error): leave those to yaml.
    let end = body.length;
    while (end > 0 && body[end - 1] === '') end--;
    for (let t = 0; t < body.length; t++) {
      if (body[t] === '' && indent !== -1 && lines[i + 1 + t]!.length > indent) bail();
    }
    this.i = j;
    // like yaml's node range: kept trailing blank lines belong to the scalar, clipped ones do not
    this.last = chomp === '+' ? i + body.length : i + end;
    if (indent === -1) return chomp === '+' ? '\n'.repeat(body.length) : '';
    const content = body.slice(0, end);
    let value: string;
    if (folded) {
      value = fold(content);
    } else {
      value = content.join('\n');
    }
    if (chomp === '+') value += '\n' + '\n'.repeat(body.length - end);
    else if (chomp === '' && content.length) value += '\n';
    return value;
  }

  /** `[a, "b", 'c']` of scalars, on one line. */
  private flowSeq(line: string, c: number, ptr: string, lineNo: number): unknown[] {
    const out: unknown[] = [];
    let i = c + 1;
    const skip = () => {
      while (i < line.length && isSpace(line.charCodeAt(i))) i++;
    };
    skip();
    if (line.charCodeAt(i) === 93 /* ] */) {
      i++;
    } else {
      for (;;) {
        skip();
        const ch = line.charCodeAt(i);
        const ip = this.withPos ? child(ptr, out.length) : ptr;
        if (ch === 34 || ch === 39) {
          const q = ch === 34 ? readDouble(line, i) : readSingle(line, i);
          this.at(ip, lineNo, i);
          out.push(q.value);
          i = q.end;
        } else {
          let j = i;
          while (j < line.length) {
            const x = line.charCodeAt(j);
            if (x === 44 || x === 91 || x === 93 || x === 123 || x === 125 || x === 35) break;
            // `a:b` (a URL, a time) is one scalar; `a: b`, `a:,` or `a:]` would make a pair
            if (x === 58) {
              const y = line.charCodeAt(j + 1);
              if (j + 1 === line.length || isSpace(y) || y === 44 || y === 91 || y === 93 || y === 123 || y === 125) break;
            }
            j++;
          }
          const raw = trimEnd(line.slice(i, j));
          if (raw === '' || j === line.length) bail();
          const x0 = raw.charCodeAt(0);
          if (isIndicator(x0) || x0 === 45 || x0 === 63 || x0 === 58 || x0 === 9) {
            // `-a` is a plain scalar, `- a` is not; keep it simple and leave both to yaml
            bail();
          }
          const x = line.charCodeAt(j);
          if (x === 35 || x === 58 || x === 91 || x === 123 || x === 125) bail();
          this.at(ip, lineNo, i);
          out.push(resolvePlain(raw));
          i = j;
        }
        skip();
        if (line.charCodeAt(i) === 44 /* , */) {
          i++;
          skip();
          if (line.charCodeAt(i) === 93) bail(); // a trailing comma: valid YAML, but rare enough to leave to yaml
          continue;
        }
        if (line.charCodeAt(i) === 93) {
          i++;
          break;
        }
        bail();
      }
    }
    if (!isBlankOrComment(line, i)) bail();
    this.inlineEnd = i;
    return out;
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9;
}

/** Characters that cannot start a plain scalar (`-`, `?` and `:` are handled apart: they can). */
function isIndicator(c: number): boolean {
  return (
    c === 35 /* # */ ||
    c === 44 /* , */ ||
    c === 91 /* [ */ ||
    c === 93 /* ] */ ||
    c === 123 /* { */ ||
    c === 125 /* } */ ||
    c === 38 /* & */ ||
    c === 42 /* * */ ||
    c === 33 /* ! */ ||
    c === 124 /* | */ ||
    c === 62 /* > */ ||
    c === 39 /* ' */ ||
    c === 34 /* " */ ||
    c === 37 /* % */ ||
    c === 64 /* @ */ ||
    c === 96 /* ` */
  );
}

function isDash(line: string, at: number): boolean {
  return line.charCodeAt(at) === 45 && (at + 1 === line.length || line.charCodeAt(at + 1) === 32);
}

function isBlankLine(line: string): boolean {
  for (let k = 0; k < line.length; k++) if (!isSpace(line.charCodeAt(k))) return false;
  return true;
}

/** Whether the rest of the line from `at` is blanks, optionally then a ` #comment`. */
function isBlankOrComment(line: string, at: number): boolean {
  let k = at;
  while (k < line.length && isSpace(line.charCodeAt(k))) k++;
  return k === line.length || (k > at && line.charCodeAt(k) === 35);
}

function trimEnd(s: string): string {
  let e = s.length;
  while (e > 0 && isSpace(s.charCodeAt(e - 1))) e--;
  return e === s.length ? s : s.slice(0, e);
}

/** Offset of the first ` #` comment at or after `from` (the line's length if none); `from` is not blank. */
function commentAt(line: string, from: number): number {
  for (let k = line.indexOf('#', from + 1); k !== -1; k = line.indexOf('#', k + 1)) {
    if (isSpace(line.charCodeAt(k - 1))) return k;
  }
  return line.length;
}

/** Offset of a `:` that ends a mapping key (followed by a blank or the end of the text), in [from, to). */
function mapColon(line: string, from: number, to: number): number {
  for (let k = line.indexOf(':', from); k !== -1 && k < to; k = line.indexOf(':', k + 1)) {
    if (k + 1 === to || isSpace(line.charCodeAt(k + 1))) return k;
  }
  return -1;
}

/** Offset of the `:` ending a plain one-line key that starts at `ind`; gives up on anything else. */
function keyColon(line: string, ind: number): number {
  const c0 = line.charCodeAt(ind);
  if (isIndicator(c0) || c0 === 9) bail();
  if ((c0 === 45 || c0 === 63 || c0 === 58) && (ind + 1 === line.length || isSpace(line.charCodeAt(ind + 1)))) bail();
  for (let k = ind; k < line.length; k++) {
    const x = line.charCodeAt(k);
    if (x === 58 && (k + 1 === line.length || isSpace(line.charCodeAt(k + 1)))) {
      // yaml limits implicit keys to 1024 characters
      if (k - ind > 1000) bail();
      return k;
    }
    if (x === 35 && k > ind && isSpace(line.charCodeAt(k - 1))) bail();
  }
  return bail();
}

/** Folds the content lines of a `>` block scalar (indentation already removed). */
function fold(content: string[]): string {
  let out = '';
  let k = 0;
  while (k < content.length && content[k] === '') {
    out += '\n';
    k++;
  }
  let prev = -1;
  let blanks = 0;
  for (; k < content.length; k++) {
    const line = content[k]!;
    if (line === '') {
      blanks++;
      continue;
    }
    if (prev !== -1) {
      const p = content[prev]!;
      const normal = !isSpace(p.charCodeAt(0)) && !isSpace(line.charCodeAt(0));
      out += normal ? (blanks === 0 ? ' ' : '\n'.repeat(blanks)) : '\n'.repeat(blanks + 1);
    }
    out += line;
    prev = k;
    blanks = 0;
  }
  return out;
}

/**
 * `ptr + '/' + segment`, interned: work orders repeat the same pointers, and a
 * string seen before is already flat and hashed when it becomes a key of
 * `pos`, which is most of what recording positions costs. Bounded.
 */
const POINTERS = new Map<string, Map<string | number, string>>();
function child(ptr: string, seg: string | number): string {
  let m = POINTERS.get(ptr);
  if (m === undefined) {
    if (POINTERS.size > 4096) POINTERS.clear();
    m = new Map();
    POINTERS.set(ptr, m);
  }
  let out = m.get(seg);
  if (out === undefined) {
    if (m.size > 4096) m.clear();
    out = `${ptr}/${typeof seg === 'number' ? seg : escapePtr(seg)}`;
    m.set(seg, out);
  }
  return out;
}

function escapePtr(s: string): string {
  if (s.indexOf('~') === -1 && s.indexOf('/') === -1) return s;
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** YAML 1.2 core schema resolution of a plain scalar. */
function resolvePlain(s: string): unknown {
  const c = s.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46) {
    if (/^[-+]?[0-9]+$/.test(s)) {
      const v = Number(s);
      if (!Number.isSafeInteger(v)) bail();
      return v;
    }
    if (/^0o[0-7]+$/.test(s)) return parseInt(s.slice(2), 8);
    if (/^0x[0-9a-fA-F]+$/.test(s)) return parseInt(s.slice(2), 16);
    if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(s)) return parseFloat(s);
    if (/^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$/.test(s)) bail();
    return s;
  }
  if (s === '' || s === '~' || s === 'null' || s === 'Null' || s === 'NULL') return null;
  if (s === 'true' || s === 'True' || s === 'TRUE') return true;
  if (s === 'false' || s === 'False' || s === 'FALSE') return false;
  return s;
}

function readSingle(line: string, at: number): { value: string; end: number } {
  let out = '';
  let i = at + 1;
  for (;;) {
    const q = line.indexOf("'", i);
    if (q === -1) bail(); // multi-line quoted scalars are left to yaml
    out += line.slice(i, q);
    if (line.charCodeAt(q + 1) === 39) {
      out += "'";
      i = q + 2;
      continue;
    }
    return { value: out, end: q + 1 };
  }
}

const ESC: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};

function readDouble(line: string, at: number): { value: string; end: number } {
  let i = at + 1;
  const close = line.indexOf('"', i);
  const slash = line.indexOf('\\', i);
  if (close !== -1 && (slash === -1 || slash > close)) return { value: line.slice(i, close), end: close + 1 };
  let out = '';
  while (i < line.length) {
    const c = line[i]!;
    if (c === '"') return { value: out, end: i + 1 };
    if (c === '\\') {
      const e = line[i + 1];
      if (e === undefined) bail(); // an escaped line break
      if (e === 'x' || e === 'u' || e === 'U') {
        const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = line.slice(i + 2, i + 2 + len);
        if (hex.length !== len || !/^[0-9a-fA-F]+$/.test(hex)) bail();
        const cp = parseInt(hex, 16);
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) bail();
        out += String.fromCodePoint(cp);
        i += 2 + len;
        continue;
      }
      const r = ESC[e!];
      if (r === undefined) bail();
      out += r;
      i += 2;
      continue;
    }
    out += c;
    i++;
  }
  return bail();
}
