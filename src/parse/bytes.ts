/**
 * Edits are computed on text, but written as bytes: the new text replaces
 * only the lines it changed, and every other line keeps its original bytes,
 * invalid UTF-8 included (decoding would have turned those into U+FFFD). Pure.
 */
import { isUtf8 } from 'node:buffer';
import { TracksError } from '../errors/index.js';

function byteLines(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 10) {
      out.push(bytes.subarray(start, i + 1));
      start = i + 1;
    }
  }
  if (start < bytes.length) out.push(bytes.subarray(start));
  return out;
}

function textLines(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', start)) {
    out.push(text.slice(start, i + 1));
    start = i + 1;
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

/**
 * The bytes of `afterText` as an edit of `before` (whose decoding is
 * `beforeText`): lines the edit did not touch keep their original bytes.
 * Refuses, naming the line, when a line the edit changes holds bytes that are
 * not UTF-8 (they cannot be carried over faithfully).
 */
export function spliceLines(before: Uint8Array, beforeText: string, afterText: string, path: string): Uint8Array {
  if (isUtf8(before)) return Buffer.from(afterText, 'utf8');
  const oldBytes = byteLines(before);
  const oldText = textLines(beforeText);
  const newText = textLines(afterText);
  if (oldBytes.length !== oldText.length) throw new TracksError('INTERNAL', `${path}: decoded text does not line up with its bytes`);
  let k = 0;
  while (k < oldText.length && k < newText.length && oldText[k] === newText[k]) k++;
  let m = 0;
  while (m < oldText.length - k && m < newText.length - k && oldText[oldText.length - 1 - m] === newText[newText.length - 1 - m]) m++;
  for (let i = k; i < oldText.length - m; i++) {
    if (!isUtf8(oldBytes[i]!)) {
      throw new TracksError('EDIT_REFUSED', `${path}:${i + 1}: the line to change holds bytes that are not UTF-8, so it cannot be rewritten faithfully`, {
        hint: 'Re-save the file as UTF-8 (`tracks check` shows where), then run the command again.',
        where: { file: path, line: i + 1 },
      });
    }
  }
  return Buffer.concat([...oldBytes.slice(0, k), Buffer.from(newText.slice(k, newText.length - m).join(''), 'utf8'), ...oldBytes.slice(oldText.length - m)]);
}
