/**
 * text → SourceDoc: front matter as data with positions, plus every problem
 * met while reading. Pure: bytes in, value out.
 */
import { isUtf8 } from 'node:buffer';
import { LineCounter, parseDocument, isMap, isSeq, isPair, isScalar, isNode, visit, type Document } from 'yaml';
import type { Diagnostic, Pos, SourceDoc } from '../model/types.js';
import { fastParseYaml, type FastYaml } from './fastyaml.js';
import { splitFrontMatter } from './frontmatter.js';

/** Front matter larger than this is refused: it is not a work order, and YAML on it is slow. */
export const MAX_FRONT_MATTER_BYTES = 1024 * 1024;

export interface ReadResult {
  doc: SourceDoc;
  /** The markdown body (only when asked for). */
  body: string;
}

export function decode(bytes: Uint8Array, path: string, problems: Diagnostic[]): string {
  if (isUtf8(bytes)) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  // Name the line and column of the first bad byte; the text keeps U+FFFD in its place
  // (and its BOM, like the valid path) so offsets after it stay meaningful.
  const bad = firstInvalidUtf8(bytes);
  let lineStart = 0;
  let line = 1;
  for (let i = 0; i < bad; i++) {
    if (bytes[i] === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  const col = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(lineStart, bad)).length + 1;
  problems.push({
    file: path,
    line,
    col,
    severity: 'error',
    code: 'file/encoding',
    message: `file is not valid UTF-8 (byte 0x${bytes[bad]!.toString(16).padStart(2, '0')} at offset ${bad})`,
    hint: 'Re-save the file as UTF-8.',
  });
  return new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(bytes);
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence (bytes.length if none). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0; // overlong
      if (b === 0xed) hi = 0x9f; // surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90; // overlong
      if (b === 0xf4) hi = 0x8f; // above U+10FFFF
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined) return i;
      if (k === 1 ? c < lo || c > hi : c < 0x80 || c > 0xbf) return i;
    }
    i += need + 1;
  }
  return n;
}

export function readSource(path: string, text: string, hash: string, withBody = false): ReadResult {
  const problems: Diagnostic[] = [];
  const doc: SourceDoc = {
    path,
    hash,
    data: {},
    // null prototype: a key named "constructor" or "toString" must not find Object.prototype's
    pos: Object.create(null),
    keyPos: Object.create(null),
    start: { line: 1, col: 1 },
    problems,
    ok: false,
  };
  const split = splitFrontMatter(text, MAX_FRONT_MATTER_BYTES);
  const problem = (line: number, col: number, code: string, message: string, hint?: string) =>
    problems.push({ file: path, line, col, severity: 'error', code, message, ...(hint ? { hint } : {}) });
  if (split.kind === 'none') {
    problem(1, 1, 'frontmatter/missing', 'no front matter: the file must start with a "---" line', 'Add a YAML front matter block between two "---" lines at the top of the file.');
    return { doc, body: withBody ? text : '' };
  }
  if (split.kind === 'language') {
    problem(1, 4, 'frontmatter/language', `front matter in "${split.lang}" is not read: only YAML front matter is data`, 'Use a plain "---" fence; front matter is never executed.');
    return { doc, body: '' };
  }
  if (split.kind === 'unclosed') {
    problem(split.line, 1, 'frontmatter/unclosed', 'front matter has no closing "---" line', 'Add a line with just "---" after the last front matter key.');
    return { doc, body: '' };
  }
  if (split.kind === 'too-large') {
    problem(split.line, 1, 'frontmatter/too-large', `front matter is longer than ${MAX_FRONT_MATTER_BYTES} characters`, 'Front matter holds a few keys; move long text into the body, below the closing "---".');
    return { doc, body: '' };
  }
  const fm = split.fm;
  const body = withBody ? text.slice(fm.bodyStart) : '';
  const off = fm.firstLine;
  const fast = fastParseYaml(fm.yaml, off);
  if (fast) {
    doc.data = fast.data;
    doc.pos = fast.pos;
    doc.keyPos = fast.keyPos;
    doc.ok = true;
    return { doc, body };
  }
  const r = exactParseYaml(fm.yaml, off);
  doc.data = r.data;
  for (const k in r.pos) doc.pos[k] = { line: r.pos[k]!.line + off, col: r.pos[k]!.col };
  for (const k in r.keyPos) doc.keyPos[k] = { line: r.keyPos[k]!.line + off, col: r.keyPos[k]!.col };
  for (const e of r.errors) {
    if (e.severity === 'warning') problems.push({ file: path, line: e.line + off, col: e.col, severity: 'warning', code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) });
    else problem(e.line + off, e.col, e.code, e.message, e.hint);
  }
  doc.ok = !r.errors.some((e) => e.severity !== 'warning') && r.mapping;
  return { doc, body };
}

export interface YamlProblem {
  /** 0-based line within the YAML text. */
  line: number;
  col: number;
  /** Absent: an error. A warning leaves the front matter readable. */
  severity?: 'warning';
  code: string;
  message: string;
  hint?: string;
}

export interface ExactYaml extends FastYaml {
  /** Problems, positioned like `pos`. With YAML errors, `data` is what the parser recovered. */
  errors: YamlProblem[];
  /** False when the front matter is something other than a mapping (then `data` is empty). */
  mapping: boolean;
}

/**
 * The `yaml` package path: exact, slower, and the source of YAML error
 * messages. Same shape as `fastParseYaml`, so the two can be compared.
 */
export function exactParseYaml(yaml: string, firstLine = 1): ExactYaml {
  const out: ExactYaml = { data: {}, pos: Object.create(null), keyPos: Object.create(null), errors: [], mapping: true };
  const lc = new LineCounter();
  const at = (offset: number): Pos => {
    const p = lc.linePos(offset);
    return { line: p.line - 1, col: p.col };
  };
  const tooComplex = yamlComplexity(yaml);
  if (tooComplex) {
    out.errors.push({ line: 0, col: 1, code: 'yaml/too-complex', message: tooComplex, hint: 'Front matter is a few plain keys; anchors, aliases and deep nesting are not needed.' });
    out.mapping = false;
    return out;
  }
  let parsed: Document.Parsed;
  try {
    parsed = parseDocument(yaml, { lineCounter: lc, prettyErrors: false, uniqueKeys: true, strict: true, logLevel: 'error' });
  } catch (e) {
    // e.g. a stack overflow on absurdly deep nesting
    out.errors.push({ line: 0, col: 1, code: 'yaml/syntax', message: `front matter could not be read (${(e as Error).message})` });
    out.mapping = false;
    return out;
  }
  const lines = yaml.split('\n');
  for (const e of parsed.errors) {
    const p = at(e.pos[0]);
    if (e.code === 'DUPLICATE_KEY') {
      out.errors.push({ ...p, ...duplicateKey(parsed, e.pos[0], (o) => at(o).line + firstLine) });
      continue;
    }
    if (/Maximum call stack/.test(e.message)) {
      out.errors.push({ ...p, code: 'yaml/too-complex', message: 'front matter is nested too deeply to read' });
      continue;
    }
    const text = (lines[p.line] ?? '').replace(/\r$/, '');
    // `assignee: @MrLesk` (Backlog.md writes it): YAML reserves @ and ` at the start of a plain
    // value, but the value can only mean its text, and the parser reads it as that text.
    if (e.code === 'BAD_SCALAR_START' && /reserved character [@`]/.test(e.message)) {
      const value = reservedValue(text, p.col);
      out.errors.push({
        ...p,
        severity: 'warning',
        code: 'yaml/reserved-indicator',
        message: `${value ? `"${value}"` : 'this value'} starts with ${text[p.col - 1] ?? '@'}, which YAML reserves: tracks reads it as text, strict YAML readers reject the file`,
        hint: value ? `Quote it: '${value.replace(/'/g, "''")}'` : 'Quote the value.',
      });
      continue;
    }
    // The corpora's one kind of invalid YAML: `- "Filter by Track" dropdown in the header`.
    const quoted = /^(\s*-\s+)("[^"]*"|'[^']*')[ \t]+[^\s#]/.exec(text);
    if (quoted && e.code === 'UNEXPECTED_TOKEN') {
      const item = text.slice(quoted[1]!.length).trimEnd();
      out.errors.push({
        ...p,
        code: 'yaml/syntax',
        message: 'this list item goes on after its closing quote, which YAML does not allow',
        hint: `Quote the whole item: ${quoted[1]!.trimStart()}'${item.replace(/'/g, "''")}'`,
      });
      continue;
    }
    out.errors.push({
      ...p,
      code: 'yaml/syntax',
      message: firstSentence(e.message),
      hint: 'Quote the value if it contains ": " or starts with a quote, bracket or other YAML indicator.',
    });
  }
  const contents = parsed.contents;
  if (contents == null) return out;
  if (!isMap(contents)) {
    out.mapping = false;
    if (!out.errors.length) {
      out.errors.push({ ...at(contents.range?.[0] ?? 0), code: 'frontmatter/not-mapping', message: `front matter must be a mapping of keys to values, not ${isSeq(contents) ? 'a list' : 'a single value'}`, hint: 'Write one "key: value" per line.' });
    }
    return out;
  }
  let data: unknown;
  try {
    data = parsed.toJS({ maxAliasCount: 100 });
  } catch (e) {
    out.errors.push({ line: 0, col: 1, code: 'yaml/syntax', message: firstSentence((e as Error).message), hint: 'Do not use YAML aliases (*name) in front matter.' });
    return out;
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return out;
  out.data = data as Record<string, unknown>;
  const walk = (node: unknown, ptr: string) => {
    if (!isNode(node)) return;
    if (node.range && ptr !== '') out.pos[ptr] = at(node.range[0]);
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        const kp = `${ptr}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
        if (ptr === '' && pair.key.range) out.keyPos[key] = at(pair.key.range[0]);
        if (pair.value) walk(pair.value, kp);
        else if (pair.key.range) out.pos[kp] = at(pair.key.range[0]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item, `${ptr}/${i}`));
    }
  };
  walk(contents, '');
  return out;
}

/** The `yaml` package is slow on thousands of anchors (quadratic) and deep flow nesting; refuse those up front. */
export const MAX_ANCHORS = 100;
export const MAX_FLOW_DEPTH = 64;

export function yamlComplexity(yaml: string): string | undefined {
  let depth = 0;
  let maxDepth = 0;
  let anchors = 0;
  for (let i = 0; i < yaml.length; i++) {
    const c = yaml.charCodeAt(i);
    if (c === 91 || c === 123) {
      if (++depth > maxDepth) maxDepth = depth;
    } else if (c === 93 || c === 125) {
      if (depth > 0) depth--;
    } else if (c === 38 /* & */) {
      const p = i === 0 ? 32 : yaml.charCodeAt(i - 1);
      if (p === 32 || p === 9 || p === 10 || p === 91 || p === 123 || p === 44) anchors++;
    }
  }
  // counted generously (quoted text included): only absurd front matter reaches these limits
  if (maxDepth > MAX_FLOW_DEPTH) return `front matter nests brackets ${maxDepth} deep; more than ${MAX_FLOW_DEPTH} is not read`;
  if (anchors > MAX_ANCHORS) return `front matter defines ${anchors} anchors (&name); more than ${MAX_ANCHORS} is not read`;
  return undefined;
}

/** "duplicate key" with the key's name and the line of its first occurrence. */
function duplicateKey(doc: Document.Parsed, offset: number, lineAt: (o: number) => number): { code: string; message: string; hint: string } {
  let found: { key: string; first: number } | undefined;
  visit(doc, {
    Map(_, map) {
      const seen = new Map<string, number>();
      for (const pair of map.items) {
        if (!isScalar(pair.key) || !pair.key.range) continue;
        const k = String(pair.key.value);
        if (pair.key.range[0] === offset && seen.has(k)) {
          found = { key: k, first: lineAt(seen.get(k)!) };
          return visit.BREAK;
        }
        if (!seen.has(k)) seen.set(k, pair.key.range[0]);
      }
      return undefined;
    },
  });
  if (!found) return { code: 'yaml/duplicate-key', message: 'duplicate key', hint: 'Remove one of the two keys.' };
  return {
    code: 'yaml/duplicate-key',
    message: `duplicate key "${found.key}": it is already set on line ${found.first}`,
    hint: 'Remove one of the two keys.',
  };
}

/** The plain value starting at `col` (1-based) of a line, without a trailing comment. */
function reservedValue(line: string, col: number): string {
  const rest = line.slice(col - 1);
  const end = rest.search(/\s#|,\s|\]|\}/);
  return (end < 0 ? rest : rest.slice(0, end)).trim();
}

function firstSentence(msg: string): string {
  const line = msg.split('\n')[0]!;
  return line.replace(/ at line \d+, column \d+:?$/, '');
}

/** Position for a JSON pointer: the deepest known prefix, else the key, else the fence. */
export function posOf(doc: SourceDoc, pointer: string): Pos {
  let p = pointer;
  for (;;) {
    const hit = doc.pos[p];
    if (hit) return hit;
    const cut = p.lastIndexOf('/');
    if (cut <= 0) break;
    p = p.slice(0, cut);
  }
  const top = pointer.split('/')[1];
  if (top !== undefined) {
    const k = doc.keyPos[top.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (k) return k;
  }
  return doc.start;
}
