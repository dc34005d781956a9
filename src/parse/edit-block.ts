/**
 * Lossless edits for the two non-scalar keys the lifecycle writes into a track
 * file: appending an item to a block list (`history:`) and setting a block
 * mapping (`decision:`). Like src/parse/edit.ts, they splice the original text
 * at the node ranges `yaml.parseDocument` reports, so every byte outside the
 * edited key stays as it was. Pure.
 */
import type { Pair } from 'yaml';
import { yaml as lib } from './yaml.js';
import { TracksError } from '../errors/index.js';
import { splitFrontMatter } from './frontmatter.js';
import { renderInline } from './edit.js';

/** A value that renders on one line: scalars, or a flat map of scalars as a flow map. */
export type Inline = string | number | boolean | null | Record<string, string | number | boolean | null>;

export function inline(v: Inline): string {
  if (v !== null && typeof v === 'object') {
    return `{${Object.entries(v)
      .map(([k, x]) => `${k}: ${renderInline(x)}`)
      .join(', ')}}`;
  }
  return renderInline(v);
}

/** `key: value` lines for a flat record, skipping undefined values, in the record's order. */
export function mappingLines(rec: Record<string, Inline | undefined>): string[] {
  return Object.entries(rec)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${inline(v as Inline)}`);
}

function refuse(path: string, message: string, hint?: string): TracksError {
  return new TracksError('EDIT_REFUSED', `${path}: ${message}`, { hint, exitCode: 2 });
}

interface Parsed {
  yaml: string;
  eol: string;
  splice: (yaml: string) => string;
  pair: Pair | undefined;
  mapEnd: number;
}

function open(text: string, key: string, path: string): Parsed {
  const split = splitFrontMatter(text);
  if (split.kind !== 'ok') throw refuse(path, 'has no readable front matter block', 'The file must start with a "---" line and close the block with another "---" line.');
  const { yaml, yamlStart, yamlEnd } = split.fm;
  const doc = lib().parseDocument(yaml);
  if (doc.errors.length) throw refuse(path, `front matter is not valid YAML (${doc.errors[0]!.message.split('\n')[0]})`, 'Fix the YAML first; `tracks check` shows where.');
  const contents = doc.contents;
  if (contents != null && (!lib().isMap(contents) || contents.flow)) throw refuse(path, 'front matter is not a block mapping');
  const pair = contents ? (contents.items.find((p) => lib().isPair(p) && lib().isScalar(p.key) && p.key.value === key) as Pair | undefined) : undefined;
  return {
    yaml,
    eol: yaml.includes('\r\n') ? '\r\n' : '\n',
    splice: (next) => text.slice(0, yamlStart) + next + text.slice(yamlEnd),
    pair,
    mapEnd: contents?.range ? contents.range[2] : yaml.length,
  };
}

const lineStart = (s: string, i: number) => s.lastIndexOf('\n', i - 1) + 1;
function lineEnd(s: string, i: number): number {
  const n = s.indexOf('\n', i);
  return n === -1 ? s.length : n + 1;
}

/** Inserts `block` (complete lines) at `at`, starting a new line first if needed. */
function insertLines(yaml: string, at: number, block: string, eol: string): string {
  const lead = at > 0 && yaml[at - 1] !== '\n' ? eol : '';
  return yaml.slice(0, at) + lead + block + yaml.slice(at);
}

function itemBlock(lines: string[], indent: number, eol: string): string {
  const pad = ' '.repeat(indent);
  return lines.map((l, i) => `${pad}${i === 0 ? '- ' : '  '}${l}${eol}`).join('');
}

/** Replaces a pair whose value is empty (`key:`, `key: []`, `key: null`) with `key:` + block, keeping an inline comment. */
function replaceEmptyPair(p: Parsed, key: string, block: string): string {
  const { yaml, eol, pair } = p;
  const k = pair!.key as { range: [number, number, number] };
  const v = pair!.value as { range?: [number, number, number] } | null;
  const start = lineStart(yaml, k.range[0]);
  const valueEnd = Math.max(v?.range ? v.range[1] : k.range[1], k.range[1]);
  const end = lineEnd(yaml, valueEnd - (yaml[valueEnd - 1] === '\n' ? 1 : 0));
  const rest = yaml.slice(valueEnd, end).replace(/\r?\n$/, '');
  const comment = /^\s*#/.test(rest) ? rest : '';
  return yaml.slice(0, start) + `${key}:${comment}${eol}` + block + yaml.slice(end);
}

function isEmptyValue(v: unknown): boolean {
  if (v == null) return true;
  if (lib().isScalar(v)) return v.value === null || v.value === '';
  if (lib().isSeq(v) || lib().isMap(v)) return v.items.length === 0 && Boolean(v.flow);
  return false;
}

/**
 * Appends one item (a mapping given as `key: value` lines) to the block list
 * under top-level `key`, creating the key at the end of the front matter when
 * it is absent. Existing items are not touched.
 */
export function appendListItem(text: string, key: string, itemLines: string[], path = 'file'): string {
  const p = open(text, key, path);
  const { yaml, eol, pair } = p;
  if (!pair) return p.splice(insertLines(yaml, p.mapEnd, `${key}:${eol}` + itemBlock(itemLines, 2, eol), eol));
  const v = pair.value;
  if (isEmptyValue(v)) return p.splice(replaceEmptyPair(p, key, itemBlock(itemLines, 2, eol)));
  if (!lib().isSeq(v) || v.flow || !v.range || v.items.length === 0) {
    throw refuse(path, `${key} is not a block list`, `Write ${key} as a block list ("${key}:" then "  - ..." lines) so entries can be appended without rewriting it.`);
  }
  const first = v.items[0] as { range?: [number, number, number] };
  const firstAt = first.range ? first.range[0] : v.range[0];
  const ls = lineStart(yaml, firstAt);
  const dash = yaml.indexOf('-', ls);
  const indent = dash - ls;
  return p.splice(insertLines(yaml, v.range[1], itemBlock(itemLines, indent, eol), eol));
}

/** Sets top-level `key` to a block mapping of `lines`, replacing the whole pair if present. */
export function setBlockMapping(text: string, key: string, lines: string[], path = 'file'): string {
  const p = open(text, key, path);
  const { yaml, eol, pair } = p;
  const block = `${key}:${eol}` + lines.map((l) => `  ${l}${eol}`).join('');
  if (!pair) return p.splice(insertLines(yaml, p.mapEnd, block, eol));
  const k = pair.key as { range: [number, number, number] };
  const v = pair.value as { range?: [number, number, number] } | null;
  const start = lineStart(yaml, k.range[0]);
  const valueEnd = Math.max(v?.range ? v.range[1] : k.range[1], k.range[1]);
  const end = yaml[valueEnd - 1] === '\n' ? valueEnd : lineEnd(yaml, valueEnd);
  return p.splice(yaml.slice(0, start) + block + yaml.slice(end));
}
