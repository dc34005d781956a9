/**
 * text → SourceDoc: front matter as data with positions, plus every problem
 * met while reading. Pure: bytes in, value out.
 */
import { isUtf8 } from 'node:buffer';
import { LineCounter, parseDocument, isMap, isSeq, isPair, isScalar, type Node } from 'yaml';
import type { Diagnostic, Pos, SourceDoc } from '../model/types.js';
import { fastParseYaml } from './fastyaml.js';
import { splitFrontMatter, lineOf } from './frontmatter.js';

/** Front matter larger than this is refused: it is not a work order, and YAML on it is slow. */
export const MAX_FRONT_MATTER_BYTES = 1024 * 1024;

export interface ReadResult {
  doc: SourceDoc;
  /** The markdown body (only when asked for). */
  body: string;
}

export function decode(bytes: Uint8Array, path: string, problems: Diagnostic[]): string {
  if (isUtf8(bytes)) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  // Find the first bad byte so the message can name a line.
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const bad = text.indexOf('\uFFFD');
  const line = bad === -1 ? 1 : lineOf(text, bad);
  problems.push({
    file: path,
    line,
    col: 1,
    severity: 'error',
    code: 'file/encoding',
    message: 'file is not valid UTF-8',
    hint: 'Re-save the file as UTF-8.',
  });
  return text;
}

export function readSource(path: string, text: string, hash: string, withBody = false): ReadResult {
  const problems: Diagnostic[] = [];
  const doc: SourceDoc = {
    path,
    hash,
    data: {},
    pos: {},
    keyPos: {},
    start: { line: 1, col: 1 },
    problems,
    ok: false,
  };
  const split = splitFrontMatter(text);
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
  const fm = split.fm;
  const body = withBody ? text.slice(fm.bodyStart) : '';
  if (fm.yaml.length > MAX_FRONT_MATTER_BYTES) {
    problem(fm.firstLine, 1, 'frontmatter/too-large', `front matter is ${fm.yaml.length} bytes; the limit is ${MAX_FRONT_MATTER_BYTES}`);
    return { doc, body };
  }
  doc.start = { line: 1, col: 1 };
  const fast = fastParseYaml(fm.yaml);
  if (fast) {
    doc.data = fast.data;
    doc.ok = true;
    const off = fm.firstLine;
    for (const k in fast.pos) doc.pos[k] = { line: fast.pos[k]!.line + off, col: fast.pos[k]!.col };
    for (const k in fast.keyPos) doc.keyPos[k] = { line: fast.keyPos[k]!.line + off, col: fast.keyPos[k]!.col };
    return { doc, body };
  }
  slowParse(doc, fm.yaml, fm.firstLine);
  return { doc, body };
}

/** The `yaml` package path: exact, slower, and the source of YAML error messages. */
function slowParse(doc: SourceDoc, yaml: string, firstLine: number): void {
  const lc = new LineCounter();
  const parsed = parseDocument(yaml, { lineCounter: lc, prettyErrors: false, uniqueKeys: true, strict: true });
  const at = (offset: number): Pos => {
    const p = lc.linePos(offset);
    return { line: p.line + firstLine - 1, col: p.col };
  };
  for (const e of parsed.errors) {
    const p = at(e.pos[0]);
    doc.problems.push({
      file: doc.path,
      line: p.line,
      col: p.col,
      severity: 'error',
      code: e.code === 'DUPLICATE_KEY' ? 'yaml/duplicate-key' : 'yaml/syntax',
      message: firstSentence(e.message),
      hint:
        e.code === 'DUPLICATE_KEY'
          ? 'Remove one of the two keys.'
          : 'Quote the value if it contains ": " or starts with a quote, bracket or other YAML indicator.',
    });
  }
  if (parsed.errors.length) return;
  const contents = parsed.contents;
  if (contents == null) {
    doc.ok = true;
    return;
  }
  if (!isMap(contents)) {
    const p = at(contents.range?.[0] ?? 0);
    doc.problems.push({
      file: doc.path,
      line: p.line,
      col: p.col,
      severity: 'error',
      code: 'frontmatter/not-mapping',
      message: 'front matter must be a mapping of keys to values',
    });
    return;
  }
  let data: unknown;
  try {
    data = parsed.toJS({ maxAliasCount: 100 });
  } catch (e) {
    doc.problems.push({
      file: doc.path,
      line: firstLine,
      col: 1,
      severity: 'error',
      code: 'yaml/syntax',
      message: firstSentence((e as Error).message),
    });
    return;
  }
  doc.data = (data ?? {}) as Record<string, unknown>;
  doc.ok = true;
  const walk = (node: Node | null | undefined, ptr: string) => {
    if (!node) return;
    if (node.range) doc.pos[ptr || '/'] = at(node.range[0]);
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const kp = `${ptr}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
        if (ptr === '' && isScalar(pair.key) && pair.key.range) doc.keyPos[key] = at(pair.key.range[0]);
        if (pair.value) walk(pair.value as Node, kp);
        else if (isScalar(pair.key) && pair.key.range) doc.pos[kp] = at(pair.key.range[0]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item as Node, `${ptr}/${i}`));
    }
  };
  walk(contents, '');
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
