/**
 * Lossless front matter edits: splice the original text at the node ranges
 * that `yaml.parseDocument` reports. `Document.toString()` would re-render the
 * whole block (comment spacing, flow padding, folding, sequence indentation),
 * so it is never used to write a file.
 *
 * The line rule: setting a key that is absent adds one line after the last
 * key; changing a value that sits on the key's line replaces that value in
 * place (an inline comment stays); a value spread over several lines (a block
 * list, a block scalar, a multi-line scalar) is replaced, key line through its
 * last line, by the one line `key: value`; removing deletes the key's lines.
 * No other byte moves. Every edit is re-read before it is returned: if the
 * result does not read back as the requested change and nothing else, the
 * edit is refused rather than written.
 */
import type { Document, Node, Pair } from 'yaml';
import { yaml as lib } from './yaml.js';
import { fastKeySpans, fastParseData, fastParseYaml } from './fastyaml.js';
import { yamlComplexity } from './document.js';
import { TracksError } from '../errors/index.js';
import { splitFrontMatter } from './frontmatter.js';

export type KeyValue = string | number | boolean | string[] | null;

/** YAML text for a value, on one line, quoted only when needed. */
export function renderInline(value: KeyValue): string {
  if (Array.isArray(value)) return `[${value.map((v) => renderInline(v)).join(', ')}]`;
  if (value === null) return 'null';
  // The common case, a slug, without building a yaml Document: plain unless it would read as a number, bool or null.
  if (typeof value === 'string' && /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(value) && plainSlug(value)) return value;
  const out = new (lib().Document)(value).toString({ lineWidth: 0, flowCollectionPadding: false }).replace(/\n$/, '');
  // Strings with line breaks come out as block scalars; a JSON string is a valid one-line YAML double-quoted scalar.
  return out.includes('\n') ? JSON.stringify(value) : out;
}

/** Whether a slug reads back as itself unquoted (not a number, bool or null); remembered, since an organize sets the same few slugs thousands of times. */
const PLAIN = new Map<string, boolean>();
function plainSlug(value: string): boolean {
  let plain = PLAIN.get(value);
  if (plain === undefined) {
    if (PLAIN.size >= 1024) PLAIN.clear();
    plain = fastParseYaml(`k: ${value}`)?.data.k === value;
    PLAIN.set(value, plain);
  }
  return plain;
}

function editError(path: string, message: string, hint?: string, line?: number): TracksError {
  return new TracksError('EDIT_REFUSED', `${path}${line ? `:${line}` : ''}: ${message}`, {
    hint,
    exitCode: 2,
    where: { file: path, ...(line ? { line } : {}) },
  });
}

/**
 * Set (or, with `value === undefined`, remove) one top-level key in the front
 * matter of `text`. Every other byte stays as it was.
 */
export function setFrontMatterKey(text: string, key: string, value: KeyValue | undefined, path = 'file'): string {
  const split = splitFrontMatter(text);
  if (split.kind === 'language') {
    throw editError(path, `front matter is marked as "${split.lang}", not YAML; it is never read or changed`, 'Use a plain "---" fence with YAML between the fences.', 1);
  }
  if (split.kind !== 'ok') {
    throw editError(path, 'has no readable front matter block', 'The file must start with a "---" line and close the block with another "---" line.', 1);
  }
  const { yaml, yamlStart, yamlEnd, firstLine } = split.fm;
  const fenceEol = text.charCodeAt(yamlStart - 2) === 13 ? '\r\n' : '\n';
  const next = editYaml(yaml, key, value, path, { eol: fenceEol, firstLine });
  return next === yaml ? text : text.slice(0, yamlStart) + next + text.slice(yamlEnd);
}

export interface EditYamlOptions {
  /** Line ending for a new line when the YAML has none to copy (empty front matter). */
  eol?: string;
  /** File line of the first YAML line, for messages. */
  firstLine?: number;
  /** Use the `yaml` package's node ranges even when the fast reader could (for tests). */
  exact?: boolean;
}

/** Where a top-level pair sits in the YAML text (offsets). */
interface PairAt {
  key: unknown;
  /** start of the key's line */
  start: number;
  /** just past the key's text */
  keyEnd: number;
  /** the value's offsets when all of it sits on the key's line */
  inline?: [number, number];
  /** just past the line break of the value's last content line */
  end: number;
}

interface Layout {
  /** Read by the fast reader: every top-level pair is then read from its own lines alone. */
  fast?: true;
  pairs: PairAt[];
  /** what the YAML reads as, and its problems: an edit must leave both alone except for its key */
  data: Record<string, unknown>;
  errors: string;
  /** offsets of the problems */
  errorAt: number[];
}

export function editYaml(yaml: string, key: string, value: KeyValue | undefined, path = 'file', opts: EditYamlOptions = {}): string {
  const firstLine = opts.firstLine ?? 1;
  const lineAt = (offset: number) => firstLine + countNewlines(yaml, 0, offset);
  const layout = (!opts.exact && fastLayout(yaml)) || exactLayout(yaml, key, path, lineAt);
  const matches = layout.pairs.filter((p) => p.key === key);
  if (matches.length > 1) throw editError(path, `"${key}" is set more than once`, `Remove all but one "${key}:" line.`, lineAt(matches[1]!.start));
  const pair = matches[0];

  // [start, end) of the text replaced, and the length of what replaces it
  let region: [number, number, number];
  const splice = (start: number, end: number, insert: string) => {
    region = [start, end, insert.length];
    return yaml.slice(0, start) + insert + yaml.slice(end);
  };
  let next: string;
  if (value === undefined) {
    if (!pair) return yaml;
    next = splice(pair.start, withIndentedComments(yaml, pair.end), '');
  } else {
    const rendered = renderInline(value);
    if (pair?.inline) {
      const [start, end] = pair.inline;
      const lead = start === end && yaml[start - 1] === ':' ? ' ' : '';
      const trail = start === end && yaml[end] === '#' ? ' ' : ''; // `key:   # note` must not become `key:   v# note`
      next = splice(start, end, lead + rendered + trail);
    } else if (pair) {
      const nl = yaml.indexOf('\n', pair.keyEnd);
      const eol = nl > 0 && yaml[nl - 1] === '\r' ? '\r\n' : '\n';
      next = splice(pair.keyEnd, pair.end, `: ${rendered}${eol}`);
    } else {
      const last = layout.pairs[layout.pairs.length - 1];
      const at = last ? withIndentedComments(yaml, last.end) : yaml.length;
      // copy the line ending of the line we insert after
      const eol = at > 0 && yaml[at - 1] === '\n' ? (yaml[at - 2] === '\r' ? '\r\n' : '\n') : detectEol(yaml, opts.eol);
      const lead = at > 0 && yaml[at - 1] !== '\n' ? eol : '';
      next = splice(at, at, lead + `${renderKey(key)}: ${rendered}${eol}`);
    }
  }
  // Setting a key touches one pair's lines, or adds a line after the last pair: in the fast reader's
  // subset a top-level pair reads the same whatever comes before it, so reading back from the first
  // pair the edit can touch is reading back the whole text. A removal (pairs closing up) reads it all.
  const touched = value === undefined ? undefined : pair ?? layout.pairs[layout.pairs.length - 1];
  verify(layout, next, region!, key, value, path, firstLine, layout.fast && touched ? touched.start : 0);
  return next;
}

/** The layout from the fast reader, when the YAML is in its subset (then there are no errors). */
function fastLayout(yaml: string): Layout | null {
  const fast = fastKeySpans(yaml, false);
  if (!fast) return null;
  const starts = [0];
  for (let i = yaml.indexOf('\n'); i !== -1; i = yaml.indexOf('\n', i + 1)) starts.push(i + 1);
  const lineEnd = (line: number) => (line + 1 < starts.length ? starts[line + 1]! : yaml.length);
  const pairs = fast.spans.map((s): PairAt => {
    const start = starts[s.line]!;
    return { key: s.key, start, keyEnd: start + s.keyEnd, end: lineEnd(s.last), ...(s.inline ? { inline: [start + s.inline[0], start + s.inline[1]] as [number, number] } : {}) };
  });
  return { fast: true, pairs, data: fast.data, errors: '', errorAt: [] };
}

/** The layout from the `yaml` package's node ranges; refuses what cannot be edited safely. */
function exactLayout(yaml: string, key: string, path: string, lineAt: (offset: number) => number): Layout {
  const tooComplex = yamlComplexity(yaml);
  if (tooComplex) throw editError(path, tooComplex, 'Edit this file by hand.', lineAt(0));
  const doc = lib().parseDocument(yaml, { uniqueKeys: true, prettyErrors: false, logLevel: 'error' });
  const contents = doc.contents;
  if (contents != null && (!lib().isMap(contents) || contents.flow)) {
    throw editError(path, 'front matter is not a block mapping of keys to values', 'Write one "key: value" per line between the fences.', lineAt(contents.range?.[0] ?? 0));
  }
  const refuseYaml = (e: { message: string; pos: [number, number] }) =>
    editError(path, `front matter is not valid YAML here (${e.message.split('\n')[0]})`, 'Fix the YAML first; `tracks check` shows where.', lineAt(e.pos[0]));
  if (doc.errors.length && !contents) throw refuseYaml(doc.errors[0]!);
  const pairs: PairAt[] = [];
  for (const p of contents ? (contents.items as Pair<Node | null, Node | null>[]) : []) {
    const k = lib().isNode(p.key) ? p.key.range : undefined;
    const v = p.value;
    const keyStart = k ? k[0] : lib().isNode(v) && v.range ? v.range[0] : 0;
    const start = yaml.lastIndexOf('\n', keyStart - 1) + 1;
    let end = Math.max(contentEnd(v), k ? k[1] : 0);
    // `end` is just past the last character; unless that is the line break, run to the end of the line
    if (!(end > 0 && yaml[end - 1] === '\n')) {
      const nl = yaml.indexOf('\n', end);
      end = nl === -1 ? yaml.length : nl + 1;
    }
    const at: PairAt = { key: lib().isScalar(p.key) ? p.key.value : undefined, start, keyEnd: k ? k[1] : start, end };
    if (k && lib().isNode(v) && v.range && !isBlockScalar(v) && countNewlines(yaml, k[0], v.range[1]) === 0) at.inline = [v.range[0], v.range[1]];
    pairs.push(at);
  }
  // Other keys' mistakes are not ours to fix: edit around them, as long as ours is clean.
  const own = pairs.find((p) => p.key === key);
  const inside = own && doc.errors.find((e) => e.pos[0] >= own.start && e.pos[0] < own.end);
  if (inside) throw refuseYaml(inside);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (e) {
    throw editError(path, `front matter cannot be read safely (${(e as Error).message.split('\n')[0]})`, 'Remove YAML aliases (*name) from the front matter.', lineAt(0));
  }
  if (!isRecord(data)) throw editError(path, 'front matter is not a mapping', undefined, lineAt(0));
  return { pairs, data, errors: errorDigest(doc), errorAt: doc.errors.map((e) => e.pos[0]) };
}

const errorDigest = (doc: Document.Parsed) => doc.errors.map((e) => `${e.code} ${e.message}`).join('\n');

/** Re-reads the edited YAML: it must hold the new value, the same other data and the same problems. */
function verify(before: Layout, yaml: string, region: [number, number, number], key: string, value: KeyValue | undefined, path: string, firstLine: number, from = 0): void {
  const fail = (why: string) =>
    editError(path, `could not change "${key}" without changing anything else (${why}); the file was left as it was`, 'Edit that key by hand, or report this file as a bug.', firstLine);
  if (from > 0) {
    // Only the pairs from `from` on (a line start before the edit, untouched text before it) are read back.
    const tail = fastParseData(yaml.slice(from));
    if (tail) {
      const want = before.pairs.filter((p) => p.start >= from && p.key !== key).map((p) => p.key as string);
      const got = Object.keys(tail).filter((k) => k !== key);
      if (!deepEqual(tail[key], value)) throw fail(`it would read back as ${JSON.stringify(tail[key])}`);
      if (got.length !== want.length || got.some((k, i) => k !== want[i] || !deepEqual(tail[k], before.data[k]))) throw fail('other keys would read differently');
      return;
    }
    // the tail alone outside the subset: read everything back, below
  }
  let data: unknown;
  let errors = '';
  const fast = fastParseData(yaml);
  if (fast) data = fast;
  else {
    const after = lib().parseDocument(yaml, { uniqueKeys: true, prettyErrors: false, logLevel: 'error' });
    errors = errorDigest(after);
    // In a file with YAML errors, only edit well away from them: near one, how the
    // edited line reads depends on how the parser happens to recover.
    const [s, e, len] = region;
    if (before.errorAt.some((at) => at >= s && at <= e) || after.errors.some((err) => err.pos[0] >= s && err.pos[0] <= s + len)) {
      throw fail('a YAML error is right there; fix it first');
    }
    try {
      data = after.toJS({ maxAliasCount: 100 }) ?? {};
    } catch {
      throw fail('the result would not read back');
    }
  }
  if (errors !== before.errors) throw fail('the edit would change how the YAML reads');
  if (!isRecord(data)) throw fail('the result is not a mapping');
  const a = before.data;
  const got = data[key];
  if (value === undefined ? key in data : !deepEqual(got, value)) throw fail(`it would read back as ${JSON.stringify(got)}`);
  const rest = (r: Record<string, unknown>) => Object.keys(r).filter((k) => k !== key);
  const ka = rest(a);
  const kb = rest(data);
  if (ka.length !== kb.length || ka.some((k, i) => kb[i] !== k || !deepEqual(a[k], data[k]))) throw fail('other keys would read differently');
}

/**
 * Extends a pair's end over the indented comment lines and indented blank
 * lines after it (and empty lines between them): they belong to the pair, and
 * a removal that left them behind could hand them to the value before it (a
 * block scalar would take them as content).
 */
function withIndentedComments(yaml: string, end: number): number {
  let out = end;
  let at = end;
  while (at < yaml.length) {
    const nl = yaml.indexOf('\n', at);
    const next = nl === -1 ? yaml.length : nl + 1;
    const line = yaml.slice(at, next);
    if (/^[ \t]+(?:#|\r?\n?$)/.test(line)) out = next;
    else if (!/^[ \t]*\r?\n?$/.test(line)) break;
    at = next;
  }
  return out;
}

/** Offset just past the last character that belongs to a node (trailing comments excluded). */
function contentEnd(node: unknown): number {
  if (lib().isPair(node)) return Math.max(contentEnd(node.key), contentEnd(node.value));
  if (!lib().isNode(node) || !node.range) return 0;
  if ((lib().isMap(node) || lib().isSeq(node)) && !node.flow) {
    // the furthest descendant, not just the last item: `? key` pairs can put content after their value
    let end = 0;
    for (const item of node.items as unknown[]) end = Math.max(end, contentEnd(item));
    return end || node.range[1];
  }
  // yaml ends a clipped or stripped block scalar before its trailing blank lines and a kept (`|+`) one after them
  return node.range[1];
}

function isBlockScalar(node: unknown): boolean {
  return lib().isScalar(node) && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED');
}

function renderKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key) && key !== 'true' && key !== 'false' && key !== 'null' ? key : renderInline(key);
}

function detectEol(yaml: string, fallback = '\n'): string {
  const nl = yaml.indexOf('\n');
  if (nl === -1) return fallback;
  return nl > 0 && yaml[nl - 1] === '\r' ? '\r\n' : '\n';
}

function countNewlines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to && i < s.length; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  if (a instanceof Map || b instanceof Map || a instanceof Set || b instanceof Set) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
