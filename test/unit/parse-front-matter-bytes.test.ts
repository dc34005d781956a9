/**
 * A work order is decoded only up to the end of its front matter: that must
 * read exactly like decoding the whole file, on every real file, on real
 * files with a few bytes changed, and on generated ones.
 */
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { decode, decodeFrontMatter, readSource } from '../../src/parse/document.js';
import type { Diagnostic } from '../../src/model/types.js';
import { corpusFiles, workOrderFile } from '../fixtures/parse/arbitraries.js';

const corpus = corpusFiles();

function read(bytes: Uint8Array, prefix: boolean) {
  const problems: Diagnostic[] = [];
  const text = (prefix ? decodeFrontMatter : decode)(bytes, 'w.md', problems);
  const { doc } = readSource('w.md', text, 'h');
  return { problems, doc: { ...doc, problems: [...problems, ...doc.problems] } };
}

const same = (bytes: Uint8Array) => expect(read(bytes, true)).toEqual(read(bytes, false));

describe('decodeFrontMatter reads like decode', () => {
  test('on every real work order', () => {
    for (const [, text] of corpus) same(Buffer.from(text));
  });

  const piece = fc.constantFrom('---', '...', '--- ', '---\t', '----', '---x', '\r', '\n', '\r\n', '\n---\n', '\n...\r\n', '\n--- \r\n', ' ', 'a: b', '\ufeff', '\xff', '\u00e9', '#');
  test.prop([fc.nat(), fc.array(fc.tuple(fc.nat(), fc.constantFrom('insert', 'delete', 'replace'), piece), { minLength: 1, maxLength: 5 })], { numRuns: 400 })(
    'on real work orders with a few pieces changed (fences, line ends, bad bytes)',
    (which, edits) => {
      let bytes = Buffer.from(corpus[which % corpus.length]![1]);
      for (const [at, kind, what] of edits) {
        const i = at % (bytes.length + 1);
        const p = what === '\xff' ? Buffer.from([0xff]) : Buffer.from(what);
        const before = bytes.subarray(0, i);
        const after = bytes.subarray(kind === 'insert' ? i : Math.min(bytes.length, i + (kind === 'delete' ? 1 + (at % 4) : p.length)));
        bytes = Buffer.concat(kind === 'delete' ? [before, after] : [before, p, after]);
      }
      same(bytes);
    },
  );

  test.prop([workOrderFile(), fc.string()], { numRuns: 300 })('on generated work orders with any body', (file, body) => {
    same(Buffer.from(`${file}${body}`));
  });
});
