/**
 * Lossless front matter edits: splice the original text at the node ranges
 * that `yaml.parseDocument` reports. `Document.toString()` would re-render the
 * whole block (comment spacing, flow padding, folding, sequence indentation),
 * so it is never used to write a file.
 */
import { Document, parseDocument, isMap, isScalar, isPair } from 'yaml';
import { TracksError } from '../errors/index.js';
import { splitFrontMatter } from './frontmatter.js';

export type KeyValue = string | number | boolean | string[] | null;

/** YAML text for a value, on one line, quoted only when needed. */
export function renderInline(value: KeyValue): string {
  if (Array.isArray(value)) return `[${value.map((v) => renderInline(v)).join(', ')}]`;
  if (value === null) return 'null';
  return new Document(value).toString({ lineWidth: 0, flowCollectionPadding: false }).replace(/\n$/, '');
}

function editError(path: string, message: string, hint?: string): TracksError {
  return new TracksError('EDIT_REFUSED', `${path}: ${message}`, { hint, exitCode: 2, unchanged: true });
}

/**
 * Set (or, with `value === undefined`, remove) one top-level key in the front
 * matter of `text`. Every other byte stays as it was.
 */
export function setFrontMatterKey(text: string, key: string, value: KeyValue | undefined, path = 'file'): string {
  const split = splitFrontMatter(text);
  if (split.kind !== 'ok') {
    throw editError(path, 'has no readable front matter block', 'The file must start with a "---" line and close the block with another "---" line.');
  }
  const { yaml, yamlStart, yamlEnd } = split.fm;
  const next = editYaml(yaml, key, value, path);
  return text.slice(0, yamlStart) + next + text.slice(yamlEnd);
}

export function editYaml(yaml: string, key: string, value: KeyValue | undefined, path = 'file'): string {
  const doc = parseDocument(yaml, { keepSourceTokens: false });
  if (doc.errors.length) {
    throw editError(path, `front matter is not valid YAML (${doc.errors[0]!.message.split('\n')[0]})`, 'Fix the YAML first; `tracks check` shows where.');
  }
  const eol = yaml.includes('\r\n') ? '\r\n' : '\n';
  const contents = doc.contents;
  if (contents != null && (!isMap(contents) || contents.flow)) {
    throw editError(path, 'front matter is not a block mapping');
  }
  const pair = contents ? contents.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key) : undefined;

  if (value === undefined) {
    if (!pair) return yaml;
    const [start, end] = pairLines(yaml, pair as never);
    return yaml.slice(0, start) + yaml.slice(end);
  }

  const rendered = renderInline(value);
  if (pair) {
    const v = (pair as { value: unknown }).value;
    const keyNode = (pair as { key: { range: [number, number, number] } }).key;
    if (isScalar(v) && v.range && !(v.type === 'BLOCK_LITERAL' || v.type === 'BLOCK_FOLDED')) {
      const [start, end] = v.range;
      const lead = start === end && yaml[start - 1] === ':' ? ' ' : '';
      return yaml.slice(0, start) + lead + rendered + yaml.slice(end);
    }
    // Null without a node, a list or a map: rewrite the whole pair on one line.
    const [start, end] = pairLines(yaml, pair as never);
    const keyText = yaml.slice(keyNode.range[0], keyNode.range[1]);
    return yaml.slice(0, start) + `${keyText}: ${rendered}${eol}` + yaml.slice(end);
  }
  // Append after the last pair, before any trailing comment lines.
  let end = contents?.range ? contents.range[2] : 0;
  if (!contents) end = yaml.length;
  const needsEol = end > 0 && yaml[end - 1] !== '\n';
  return yaml.slice(0, end) + (needsEol ? eol : '') + `${key}: ${rendered}${eol}` + yaml.slice(end);
}

/** [start, end) offsets of the whole lines a pair occupies (key line through its value). */
function pairLines(yaml: string, pair: { key: { range: [number, number, number] }; value?: { range?: [number, number, number] } | null }): [number, number] {
  const keyStart = pair.key.range[0];
  const start = yaml.lastIndexOf('\n', keyStart - 1) + 1;
  let valueEnd = pair.value?.range ? pair.value.range[1] : pair.key.range[2];
  valueEnd = Math.max(valueEnd, pair.key.range[1]);
  // extend to the end of the line holding the value's last character (keeps an inline comment with it)
  let end = yaml.indexOf('\n', Math.max(valueEnd - 1, keyStart));
  if (valueEnd > 0 && yaml[valueEnd - 1] === '\n') end = valueEnd - 1;
  end = end === -1 ? yaml.length : end + 1;
  return [start, end];
}
