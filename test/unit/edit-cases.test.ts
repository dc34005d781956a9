import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { editYaml, renderInline, setFrontMatterKey } from '../../src/parse/edit.js';
import { readSource } from '../../src/parse/document.js';
import { CORPUS_DIRS } from '../fixtures/parse/corpus.js';
import { refusal } from '../helpers/errors.js';

const set = (text: string, value: Parameters<typeof setFrontMatterKey>[2], key = 'track') => setFrontMatterKey(text, key, value, 'work_orders/x.md');

describe('setFrontMatterKey: the line rule', () => {
  test('absent: one line after the last key, before trailing top-level comments', () => {
    const t = '---\nid: WO-1\ntags:\n  - a\n# trailing note\n---\nbody\n';
    expect(set(t, 'runner')).toBe('---\nid: WO-1\ntags:\n  - a\ntrack: runner\n# trailing note\n---\nbody\n');
  });

  test('absent: after comment lines indented under the last key (they belong to it)', () => {
    const t = '---\ntags:\n  - a\n  # more later\n---\n';
    expect(set(t, 'x')).toBe('---\ntags:\n  - a\n  # more later\ntrack: x\n---\n');
    expect(set(set(t, 'x'), undefined)).toBe(t);
  });

  test('one-line value: only the value changes; quoting, spacing and the comment stay', () => {
    expect(set('---\ntrack:   old   # why\n---\n', 'new')).toBe('---\ntrack:   new   # why\n---\n');
    expect(set("---\n'track': 'old'\n---\n", 'new')).toBe("---\n'track': new\n---\n");
    expect(set('---\ntrack: [a, b]  # two\n---\n', 'c')).toBe('---\ntrack: c  # two\n---\n');
  });

  test('empty value with a comment: the comment is not glued to the value', () => {
    // was `track:   x# note`, which reads as "x# note"
    const out = set('---\nid: 1\ntrack:   # note\n---\n', 'x');
    expect(out).toBe('---\nid: 1\ntrack:   x # note\n---\n');
    expect(parse(out.split('---\n')[1]!).track).toBe('x');
    expect(set('---\ntrack:\n---\n', 'x')).toBe('---\ntrack: x\n---\n');
  });

  test('a value over several lines (block list, block scalar) becomes one line; lines after it stay', () => {
    const t = '---\nid: 1\ntrack:\n  - a   # first\n  # between\n  - b\n# about status\nstatus: done\n---\n';
    expect(set(t, 'c')).toBe('---\nid: 1\ntrack: c\n# about status\nstatus: done\n---\n');
    expect(set('---\ntrack: |\n  a\n  b\n\nnext: 1\n---\n', 'c')).toBe('---\ntrack: c\n\nnext: 1\n---\n');
  });

  test('a list value renders as a flow list on one line', () => {
    expect(set('---\nid: 1\n---\n', ['a', 'b', '123'])).toBe('---\nid: 1\ntrack: [a, b, "123"]\n---\n');
  });

  test('removal takes the key line and the indented comments under it, nothing else', () => {
    expect(set('---\nid: 1\n# assigned by hand\ntrack: x  # note\n  # more about x\n\nstatus: done\n---\n', undefined)).toBe('---\nid: 1\n# assigned by hand\n\nstatus: done\n---\n');
    expect(set('---\nid: 1\n---\n', undefined)).toBe('---\nid: 1\n---\n');
  });

  test('line endings: CRLF kept, a new line copies the ending of the line above, even in empty front matter', () => {
    expect(set('---\r\nid: 1\r\n---\r\n', 'x')).toBe('---\r\nid: 1\r\ntrack: x\r\n---\r\n');
    expect(set('---\r\n---\r\n', 'x')).toBe('---\r\ntrack: x\r\n---\r\n');
    expect(set('---\r\nid: 1\nstatus: a\r\n---\n', 'x')).toBe('---\r\nid: 1\nstatus: a\r\ntrack: x\r\n---\n');
    expect(set('---\ntrack:\r\n  - a\r\n---\n', 'x')).toBe('---\ntrack: x\r\n---\n');
  });

  test('BOM, body and a missing final newline are kept', () => {
    expect(set('\uFEFF---\nid: 1\n---\nbody without newline', 'x')).toBe('\uFEFF---\nid: 1\ntrack: x\n---\nbody without newline');
    expect(set('---\nid: 1\n---', 'x')).toBe('---\nid: 1\ntrack: x\n---');
  });

  test('YAML without a final line break (editYaml on its own)', () => {
    expect(editYaml('a: 1', 'track', 'x')).toBe('a: 1\ntrack: x\n');
    expect(editYaml('', 'track', 'x', 'f', { eol: '\r\n' })).toBe('track: x\r\n');
  });

  test('strings that need quoting, and multi-line strings, stay on one line and read back', () => {
    for (const v of ['yes', 'true', '123', 'a: b', '#x', ' padded ', 'two\nlines', "it's", '"q"', '日本']) {
      const out = set('---\nid: 1\n---\n', v, 'goal');
      expect(out.split('\n')).toHaveLength(5);
      expect(readSource('x.md', out, 'h').doc.data.goal).toBe(v);
    }
  });

  test('renderInline: slugs plain, anything YAML would misread quoted', () => {
    expect(renderInline('runner-core')).toBe('runner-core');
    expect(renderInline('1e3')).toBe('"1e3"');
    expect(renderInline('null')).toBe('"null"');
    expect(renderInline(['a', 'true'])).toBe('[a, "true"]');
    expect(renderInline(3)).toBe('3');
    expect(renderInline(null)).toBe('null');
  });
});

describe('setFrontMatterKey: refusals are clear and change nothing', () => {
  test('track set twice: names the second line', () => {
    const e = refusal(() => set('---\ntrack: a\nid: 1\ntrack: b\n---\n', 'c'));
    expect(e.code).toBe('EDIT_REFUSED');
    expect(e.message).toBe('work_orders/x.md:4: "track" is set more than once');
    expect(e.unchanged).toBe(true);
  });

  test('no front matter, unclosed, executable or not a block mapping', () => {
    expect(refusal(() => set('# just markdown\n', 'x')).message).toMatch(/no readable front matter/);
    expect(refusal(() => set('---\nid: 1\n', 'x')).message).toMatch(/no readable front matter/);
    expect(refusal(() => set('---js\n({})\n---\n', 'x')).message).toMatch(/"js", not YAML/);
    expect(refusal(() => set('---\n- a\n---\n', 'x')).message).toMatch(/:2: front matter is not a block mapping/);
    expect(refusal(() => set('---\n{id: 1}\n---\n', 'x')).message).toMatch(/not a block mapping/);
  });

  test('a YAML error in the track value itself, or right where the line would go', () => {
    expect(refusal(() => set('---\nid: 1\ntrack: "a" b\n---\n', 'x')).message).toMatch(/:3: front matter is not valid YAML here/);
    expect(refusal(() => set('---\npriority: [ # open\n---\n', 'x')).message).toMatch(/YAML error is right there|not valid YAML/);
  });

  test('an anchored track value that another key aliases', () => {
    expect(refusal(() => set('---\ntrack: &t a\nother: *t\n---\n', 'b')).message).toMatch(/without changing anything else/);
  });

  test('front matter too complex for the yaml package', () => {
    const anchors = Array.from({ length: 200 }, (_, i) => `k${i}: &a${i} v`).join('\n');
    expect(refusal(() => set(`---\n${anchors}\n---\n`, 'x')).message).toMatch(/anchors/);
  });
});

describe('setFrontMatterKey on corpus files the yaml package rejects', () => {
  const name = 'WO-2026-117-track-visualization-wo-list.md';
  const text = readFileSync(join(CORPUS_DIRS[1]!, name), 'utf8');
  test('the edit goes around the broken list items: one line added, the same errors before and after', () => {
    const out = set(text, 'track-ui');
    const before = readSource(name, text, 'h').doc;
    const after = readSource(name, out, 'h').doc;
    expect(after.data.track).toBe('track-ui');
    expect(after.problems.map((p) => [p.code, p.message])).toEqual(before.problems.map((p) => [p.code, p.message]));
    expect(out.split('\n').length).toBe(text.split('\n').length + 1);
    expect(set(out, undefined)).toBe(text);
  });
});
