import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { decode, firstInvalidUtf8, posOf, readSource, MAX_FRONT_MATTER_BYTES } from '../../src/parse/document.js';
import { setFrontMatterKey } from '../../src/parse/edit.js';
import { splitFrontMatter } from '../../src/parse/frontmatter.js';
import { parseWorkOrderFile } from '../../src/repo/load.js';
import { CORPUS_DIRS } from '../fixtures/parse/corpus.js';

const read = (text: string, withBody = false) => readSource('work_orders/x.md', text, 'hash', withBody);
const codes = (text: string) => read(text).doc.problems.map((p) => `${p.line}:${p.col} ${p.code}`);

describe('readSource: positions', () => {
  const text = '---\nid: WO-1\ntags:\n  - a\n  - b\ndepends_on: [WO-2, "WO-3"]\n---\n# body\n';
  test('every value has its line and column in the file', () => {
    const { doc } = read(text);
    expect(doc.ok).toBe(true);
    expect(posOf(doc, '/id')).toEqual({ line: 2, col: 5 });
    expect(posOf(doc, '/tags')).toEqual({ line: 4, col: 3 });
    expect(posOf(doc, '/tags/1')).toEqual({ line: 5, col: 5 });
    expect(posOf(doc, '/depends_on/1')).toEqual({ line: 6, col: 20 });
    expect(doc.keyPos.depends_on).toEqual({ line: 6, col: 1 });
  });

  test('a pointer below a scalar falls back to the deepest known node, then the key, then the fence', () => {
    const { doc } = read(text);
    expect(posOf(doc, '/tags/1/deeper')).toEqual({ line: 5, col: 5 });
    expect(posOf(doc, '/missing')).toEqual({ line: 1, col: 1 });
  });

  test('BOM: read as if absent, lines unchanged', () => {
    const { doc } = read('\uFEFF' + text);
    expect(doc.ok).toBe(true);
    expect(doc.data.id).toBe('WO-1');
    expect(posOf(doc, '/tags/1')).toEqual({ line: 5, col: 5 });
  });

  test('CRLF: same data and positions as LF', () => {
    const lf = read(text).doc;
    const crlf = read(text.replace(/\n/g, '\r\n')).doc;
    expect(crlf.data).toEqual(lf.data);
    expect(crlf.pos).toEqual(lf.pos);
    expect(crlf.data.id).toBe('WO-1'); // no stray \r
  });

  test('the slow path (outside the fast subset) reports the same positions', () => {
    const { doc } = read('---\nid: &a WO-1\ntags:\n  - a\n  - b\n---\n');
    expect(doc.ok).toBe(true);
    expect(posOf(doc, '/tags/1')).toEqual({ line: 5, col: 5 });
  });
});

describe('readSource: broken files', () => {
  test('missing closing fence', () => {
    expect(codes('---\nid: x\n# body, no fence\n')).toEqual(['1:1 frontmatter/unclosed']);
    expect(codes('---')).toEqual(['1:1 frontmatter/unclosed']);
  });

  test('empty front matter reads as an empty mapping', () => {
    for (const t of ['---\n---\nbody', '---\n\n# just a comment\n---\n', '---\r\n---\r\n']) {
      const { doc } = read(t);
      expect(doc.ok).toBe(true);
      expect(doc.data).toEqual({});
      expect(doc.problems).toEqual([]);
    }
  });

  test('front matter that is a list or a single value', () => {
    expect(codes('---\n- a\n- b\n---\n')).toEqual(['2:1 frontmatter/not-mapping']);
    expect(codes('---\n\njust text\n---\n')).toEqual(['3:1 frontmatter/not-mapping']);
    expect(read('---\n- a\n---\n').doc.problems[0]!.message).toMatch(/mapping.*not a list/);
  });

  test('duplicate keys: the second one, named, with the line of the first', () => {
    const { doc } = read('---\nid: a\ntitle: t\n\nid: b\n---\n');
    expect(doc.ok).toBe(false);
    expect(doc.problems).toHaveLength(1);
    expect(doc.problems[0]).toMatchObject({ line: 5, col: 1, code: 'yaml/duplicate-key', severity: 'error' });
    expect(doc.problems[0]!.message).toBe('duplicate key "id": it is already set on line 2');
  });

  test('duplicate keys inside a nested mapping', () => {
    const { doc } = read('---\nmeta:\n  a: 1\n  a: 2\n---\n');
    expect(doc.problems[0]).toMatchObject({ line: 4, col: 3, code: 'yaml/duplicate-key', message: 'duplicate key "a": it is already set on line 3' });
  });

  test('not markdown, no front matter', () => {
    expect(codes('# Title\n\ntext\n')).toEqual(['1:1 frontmatter/missing']);
    expect(codes('')).toEqual(['1:1 frontmatter/missing']);
    expect(codes('\n---\nid: x\n---\n')).toEqual(['1:1 frontmatter/missing']); // the fence must be the first line
    expect(codes('{"id": "x"}')).toEqual(['1:1 frontmatter/missing']);
  });

  test('binary and non-UTF-8 bytes: an error naming the line and column of the first bad byte, no crash', () => {
    const latin1 = Buffer.from('---\nid: x\ntitle: caf\xe9 \xe9\n---\n', 'latin1');
    const problems: Parameters<typeof decode>[2] = [];
    const text = decode(latin1, 'work_orders/x.md', problems);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 3, col: 11, code: 'file/encoding', severity: 'error' });
    expect(read(text).doc.data.id).toBe('x'); // the rest is still read

    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);
    const p2: typeof problems = [];
    expect(() => read(decode(png, 'x.md', p2))).not.toThrow();
    expect(p2[0]).toMatchObject({ line: 1, col: 1, code: 'file/encoding' });
  });

  test('a U+FFFD that is really in the text is not mistaken for the bad byte', () => {
    const bytes = Buffer.concat([Buffer.from('---\na: \uFFFD\n'), Buffer.from([0xc3, 0x28]), Buffer.from('\n---\n')]);
    const problems: Parameters<typeof decode>[2] = [];
    decode(bytes, 'x.md', problems);
    expect(problems[0]).toMatchObject({ line: 3, col: 1 });
  });

  test('firstInvalidUtf8 follows the UTF-8 rules (overlongs, surrogates, truncation)', () => {
    const at = (...b: number[]) => firstInvalidUtf8(Uint8Array.from(b));
    expect(at(0x61, 0xc3, 0xa9)).toBe(3); // valid é
    expect(at(0xc0, 0x80)).toBe(0); // overlong
    expect(at(0xe0, 0x80, 0x80)).toBe(0); // overlong
    expect(at(0xed, 0xa0, 0x80)).toBe(0); // surrogate
    expect(at(0xf4, 0x90, 0x80, 0x80)).toBe(0); // > U+10FFFF
    expect(at(0x61, 0xe2, 0x82)).toBe(1); // truncated
    expect(at(0xf0, 0x9f, 0x98, 0x80)).toBe(4); // emoji
  });
});

describe('readSource: invalid YAML in the real corpora', () => {
  const broken = [
    'pcc-head/work_orders/WO-2026-252-pipecat-python-service-skeleton.md',
    'pcc-2026-01-15/work_orders/WO-2026-065-shift-telemetry-research.md',
    'pcc-2026-01-15/work_orders/WO-2026-099-initiative-decomposition.md',
    'pcc-2026-01-15/work_orders/WO-2026-116-track-management-ui.md',
    'pcc-2026-01-15/work_orders/WO-2026-117-track-visualization-wo-list.md',
    'pcc-2026-01-15/work_orders/WO-2026-118-track-filter-tech-tree.md',
  ];
  for (const name of broken) {
    test(`${name.split('/').pop()}: an error on each '- "quoted" then text' line, the rest still read`, () => {
      const text = readFileSync(join(CORPUS_DIRS[0]!, '..', '..', name), 'utf8');
      const { doc } = read(text);
      const lines = text.split('\n');
      const closing = lines.indexOf('---', 1);
      const expected = lines.slice(0, closing).flatMap((l, i) => (/^\s*- "[^"]*"\s+\S/.test(l) ? [i + 1] : []));
      const errorLines = [...new Set(doc.problems.map((p) => p.line))];
      expect(expected.length).toBeGreaterThan(0);
      expect(errorLines).toEqual(expected);
      expect(doc.problems.every((p) => p.code === 'yaml/syntax' && p.severity === 'error' && /^Quote the whole item: - '"/.test(p.hint ?? ''))).toBe(true);
      expect(doc.ok).toBe(false);
      // recovered data: the id and dependencies stay known to cross-file rules
      expect(doc.data.id).toMatch(/^WO-2026-\d{3}$/);
      expect(doc.data.status).toEqual(expect.any(String));
    });
  }
});

describe('readSource: executable front matter is never executed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tracks-js-'));
  const marker = join(dir, 'pwned');
  const payload = `globalThis.__tracksPwned = true; require('fs').writeFileSync(${JSON.stringify(marker)}, 'x'); module.exports = { id: 'WO-1' }`;
  const variants = ['---js', '---javascript', '--- js', '---JS', '---coffee', '---json'];
  for (const fence of variants) {
    test(`"${fence}" is a clear diagnostic, not code`, () => {
      const text = `${fence}\n${payload}\n---\n# body\n`;
      const { doc } = read(text);
      expect(doc.ok).toBe(false);
      expect(doc.data).toEqual({});
      expect(doc.problems).toEqual([
        expect.objectContaining({ line: 1, col: 4, code: 'frontmatter/language', severity: 'error', message: expect.stringMatching(/front matter in ".+" is not read/) }),
      ]);
      expect(() => setFrontMatterKey(text, 'track', 'x', 'x.md')).toThrow(/not YAML; it is never read or changed/);
      expect((globalThis as Record<string, unknown>).__tracksPwned).toBeUndefined();
      expect(existsSync(marker)).toBe(false);
    });
  }

  test('the file-loading pipeline (parseWorkOrderFile) reports it the same way', () => {
    const wo = parseWorkOrderFile({ path: 'work_orders/x.md', hash: 'h', bytes: Buffer.from(`---js\n${payload}\n---\n`) });
    expect(wo.problems.map((p) => p.code)).toEqual(['frontmatter/language']);
    expect(wo.id).toBeUndefined();
    expect((globalThis as Record<string, unknown>).__tracksPwned).toBeUndefined();
    expect(existsSync(marker)).toBe(false);
  });

  test('YAML tags that other loaders execute (!!js/function) stay strings', () => {
    const { doc } = read(`---\na: !!js/function "function () { globalThis.__tracksPwned = true }"\nb: !!js/undefined ''\n---\n`);
    expect(typeof doc.data.a).toBe('string');
    expect((globalThis as Record<string, unknown>).__tracksPwned).toBeUndefined();
    rmSync(dir, { recursive: true, force: true });
  });

  test('"---yaml" and "--- # comment" are plain YAML', () => {
    expect(read('---yaml\nid: x\n---\n').doc.data).toEqual({ id: 'x' });
    expect(read('--- # work order\nid: x\n---\n').doc.data).toEqual({ id: 'x' });
  });
});

describe('readSource: hostile and huge input', () => {
  test('a billion-laughs alias bomb is refused, not expanded', () => {
    const rows = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      const p = String.fromCharCode(96 + i);
      const q = String.fromCharCode(97 + i);
      rows.push(`${q}: &${q} [${Array(9).fill(`*${p}`).join(',')}]`);
    }
    const { doc } = read(`---\n${rows.join('\n')}\n---\n`);
    expect(doc.ok).toBe(false);
    expect(doc.problems[0]).toMatchObject({ code: 'yaml/syntax', message: expect.stringMatching(/alias/i) });
  });

  test('thousands of anchors and deep nesting are refused before the yaml parser sees them', () => {
    const anchors = Array.from({ length: 500 }, (_, i) => `k${i}: &a${i} v`).join('\n');
    expect(codes(`---\n${anchors}\n---\n`)).toEqual(['2:1 yaml/too-complex']);
    expect(codes(`---\na: ${'['.repeat(5000)}${']'.repeat(5000)}\n---\n`)).toEqual(['2:1 yaml/too-complex']);
  });

  test('a 20 MB body: front matter read, body kept', () => {
    const body = '# Notes\n' + 'lorem ipsum dolor sit amet\n'.repeat(800_000);
    const { doc, body: b } = read(`---\nid: WO-1\n---\n${body}`, true);
    expect(doc.data).toEqual({ id: 'WO-1' });
    expect(b.length).toBe(body.length);
  });

  test('front matter beyond the limit, or a huge file with no closing fence, is refused without reading it all', () => {
    const big = 'x: ' + 'y'.repeat(MAX_FRONT_MATTER_BYTES) + '\n';
    expect(codes(`---\n${big}---\n`)).toEqual(['1:1 frontmatter/too-large']);
    const unclosed = `---\nid: x\n${'lorem ipsum\n'.repeat(2_000_000)}`;
    expect(splitFrontMatter(unclosed, MAX_FRONT_MATTER_BYTES).kind).toBe('too-large');
    expect(codes(unclosed)).toEqual(['1:1 frontmatter/too-large']);
  });
});
