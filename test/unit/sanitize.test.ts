import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { guardOutput, isSafe, mdCell, mdCode, mdText, sanitize, toJson } from '../../src/render/sanitize.js';

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('sanitize', () => {
  it('makes terminal controls visible and keeps them readable', () => {
    expect(sanitize('\u001b[2J\u001b]0;pwned\u0007 evil\r\bx')).toBe('␛[2J␛]0;pwned␇ evil␍␈x');
    expect(sanitize('del\u007f c1\u009b31m')).toBe('del\\u007f c1\\u009b31m');
    expect(sanitize('txt\u202eexe.md \u2066iso\u2069')).toBe('txt\\u202eexe.md \\u2066iso\\u2069');
  });

  it('one line unless the renderer allows newlines', () => {
    expect(sanitize('a\nb\tc\r\nd')).toBe('a b c d');
    expect(sanitize('a\nb\tc\r\nd\re', { multiline: true })).toBe('a\nb\tc\nd␍e');
  });

  it('leaves ordinary text, including non-Latin scripts and emoji, alone', () => {
    for (const s of ['Runner reliability', 'Économie — 経済 🚀', 'עברית and العربية', 'a -> b']) expect(sanitize(s)).toBe(s);
  });

  test.prop([fc.string({ unit: 'binary' })])('never leaves a control character or bidi override', (s) => {
    expect(CONTROL.test(sanitize(s))).toBe(false);
    expect(/\n/.test(sanitize(s))).toBe(false);
    expect(isSafe(sanitize(s, { multiline: true }))).toBe(true);
  });
});

describe('toJson', () => {
  test.prop([fc.jsonValue(), fc.string({ unit: 'binary' })])('is exact JSON with nothing a terminal acts on', (v, s) => {
    const value = { v, s };
    const text = toJson(value);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
    expect(isSafe(text)).toBe(true);
  });
});

describe('guardOutput', () => {
  it('lets the tool’s own colours through only when colour is on', () => {
    const red = '\u001b[31merror\u001b[39m';
    expect(guardOutput(red, { sgr: true })).toBe(red);
    expect(guardOutput(red, { sgr: false })).toBe('␛[31merror␛[39m');
    expect(guardOutput('\u001b]0;title\u0007\u001b[2J', { sgr: true })).toBe('␛]0;title␇␛[2J');
  });

  test.prop([fc.string({ unit: 'binary' })])('is idempotent and JSON-preserving', (s) => {
    const once = guardOutput(s, { sgr: false });
    expect(guardOutput(once, { sgr: false })).toBe(once);
    expect(isSafe(once)).toBe(true);
    const json = toJson({ s });
    expect(guardOutput(json, { sgr: false })).toBe(json);
    // Even JSON that did not come from toJson keeps its values through the guard.
    expect(JSON.parse(guardOutput(JSON.stringify({ s }), { sgr: true }))).toEqual({ s });
  });
});

describe('markdown', () => {
  it('escapes HTML, keeps plain ampersands readable', () => {
    expect(mdText('<script>alert(1)</script> R&D &amp; &#60;')).toBe('&lt;script&gt;alert(1)&lt;/script&gt; R&D &amp;amp; &amp;#60;');
    expect(mdCell('a | b\nc')).toBe('a \\| b c');
  });

  it('a code span holds backticks without ending early', () => {
    expect(mdCode('slug')).toBe('`slug`');
    expect(mdCode('a`<b>')).toBe('``a`<b>``');
    expect(mdCode('`x`')).toBe('`` `x` ``');
    expect(mdCode('a|b', { cell: true })).toBe('`a\\|b`');
  });
});
