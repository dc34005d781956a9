import { isDeepStrictEqual } from 'node:util';
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { parse } from 'yaml';
import { fastParseYaml as fastParseYamlLenient, fastParseYamlStrict as fastParseYaml } from '../../src/parse/fastyaml.js';
import { exactParseYaml } from '../../src/parse/document.js';
import { splitFrontMatter } from '../../src/parse/frontmatter.js';
import { corpusFiles, frontMatterLines, joinLines, yamlText } from '../fixtures/parse/arbitraries.js';

/** PARSE_RUNS=20 runs every property 20 times longer, to hunt rather than to guard. */
const SCALE = Number(process.env.PARSE_RUNS ?? 1);

/** What the `yaml` package reads, or 'error'. Empty front matter reads as {}. */
function yamlReads(src: string): unknown {
  try {
    return parse(src, { maxAliasCount: 100, logLevel: 'error' }) ?? {};
  } catch {
    return 'error';
  }
}

/**
 * Deep equality as node defines it (-0 ≠ 0, prototypes count). Not vitest's
 * toStrictEqual, which compares `.constructor` and so trips on a key named "constructor".
 */
function same(actual: unknown, expected: unknown, what: string) {
  if (!isDeepStrictEqual(actual, expected)) {
    expect(actual, what).toEqual(expected);
    expect.fail(`${what}: ${JSON.stringify(actual)} !== ${JSON.stringify(expected)}`);
  }
}

/** The property: the fast reader is exact (data and positions) or gives up. */
function expectExactOrNull(src: string, viaParse = true): boolean {
  const fast = fastParseYaml(src);
  if (fast === null) return false;
  const exact = exactParseYaml(src);
  // yaml.parse itself, or (to halve the cost on big inputs) the same parse's toJS inside exactParseYaml
  same(fast.data, viaParse ? yamlReads(src) : exact.data, `data of ${JSON.stringify(src)}`);
  expect(exact.errors).toEqual([]);
  same(fast.pos, exact.pos, `positions in ${JSON.stringify(src)}`);
  same(fast.keyPos, exact.keyPos, `key positions in ${JSON.stringify(src)}`);
  return true;
}

describe('fastParseYaml ≡ yaml.parse', () => {
  test.prop([yamlText({ track: true, duplicates: true })], { numRuns: 600 * SCALE })('on generated front matter: same data and positions, or null', (src) => {
    expectExactOrNull(src);
  });

  test('on every corpus file: same data and positions; gives up only where yaml reports errors', () => {
    const gaveUp: string[] = [];
    for (const [name, text] of corpusFiles()) {
      const split = splitFrontMatter(text);
      if (split.kind !== 'ok') throw new Error(`${name}: ${split.kind}`);
      if (!expectExactOrNull(split.fm.yaml, false)) gaveUp.push(name);
    }
    // the six files the yaml package rejects (see corpora/README.md), nothing else
    expect(gaveUp.sort()).toEqual([
      'pcc-2026-01-15/WO-2026-065-shift-telemetry-research.md',
      'pcc-2026-01-15/WO-2026-099-initiative-decomposition.md',
      'pcc-2026-01-15/WO-2026-116-track-management-ui.md',
      'pcc-2026-01-15/WO-2026-117-track-visualization-wo-list.md',
      'pcc-2026-01-15/WO-2026-118-track-filter-tech-tree.md',
      'pcc-head/WO-2026-252-pipecat-python-service-skeleton.md',
    ]);
  });

  const corpusYaml = corpusFiles().map(([, t]) => {
    const split = splitFrontMatter(t);
    return split.kind === 'ok' ? split.fm.yaml : '';
  });
  const edit = fc.tuple(fc.nat(), fc.constantFrom('insert', 'delete', 'replace'), fc.constantFrom(' ', '  ', ':', ': ', '#', ' #', '-', '- ', '"', "'", '\n', '\n  ', '\t', '|', '>', '[', ']', ',', '&', '*', '?', 'x', '\r\n', '\n\n'));
  test.prop([fc.nat(), fc.array(edit, { minLength: 1, maxLength: 4 })], { numRuns: 300 * SCALE })('on corpus files with a few characters changed', (which, edits) => {
    let src = corpusYaml[which % corpusYaml.length]!;
    for (const [at, op, ch] of edits) {
      const i = at % (src.length + 1);
      src = op === 'insert' ? src.slice(0, i) + ch + src.slice(i) : op === 'delete' ? src.slice(0, i) + src.slice(i + ch.length) : src.slice(0, i) + ch + src.slice(i + ch.length);
    }
    expectExactOrNull(src, false);
  });

  test('the generator is not vacuous: the fast path reads most valid samples', () => {
    // Fixed seed so the figure is stable; if the subset narrows, this fails before the benchmarks notice.
    const samples = fc.sample(yamlText(), { numRuns: 400, seed: 42 });
    let valid = 0;
    let fast = 0;
    for (const s of samples) {
      if (yamlReads(s) === 'error') continue;
      valid++;
      if (expectExactOrNull(s)) fast++;
    }
    expect(valid).toBeGreaterThan(100);
    expect(fast / valid).toBeGreaterThan(0.5);
  });

  test.prop([frontMatterLines(), fc.constantFrom('\n', '\r\n')], { numRuns: 150 * SCALE })('CRLF reads exactly like LF', (lines, eol) => {
    const lf = fastParseYaml(joinLines(lines, 'lf', 0));
    const other = fastParseYaml(lines.map((l) => l + eol).join(''));
    same(other, lf, 'CRLF vs LF');
  });
});

describe('fastParseYaml: shapes of the subset', () => {
  const cases: [string, string][] = [
    ['nested seq under a map item (corpus WO-2026-158)', 'a:\n  - Expand context:\n      - one\n      - two\n  - after\n'],
    ['quoted value in a map item (corpus WO-2026-046)', 'a:\n  - New rule: "Learn - do not repeat."\n'],
    ['unindented list', 'a:\n- x\n- y: z\nb: 1\n'],
    ['multi-line plain scalar', 'goal: Pass previous\n  iteration history\n\n  to the builder\nnext: 1\n'],
    ['plain scalar on the next line', 'goal:\n  Pass previous\n iteration\n'],
    ['folded scalar', 'g: >\n  one\n  two\n\n  three\n    indented\n  four\n'],
    ['literal scalar, keep chomping', 'g: |+\n  one\n\n\nh: 1\n'],
    ['nested map', 'meta:\n  owner: ana\n  tags: [a, "b"]\n  deep:\n    - 1\n'],
    ['compact map in a list, two keys', 'a:\n  - name: x\n    value: 2\n  - name: y\n'],
    ['empty and commented items', 'a:\n  -\n  - # c\n  - x\n'],
    ['flow list positions', 'tags: [a,  "b" , c]   # c\n'],
    ['key with spaces and a dot', 'x y: 1\na.b: 2\n'],
  ];
  for (const [name, src] of cases) {
    test(name, () => {
      expect(expectExactOrNull(src)).toBe(true);
    });
  }

  const giveUp: [string, string][] = [
    ['anchors and aliases', 'a: &x 1\nb: *x\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a tab used as indentation', 'a:\n\t- x\n'],
    ['a lone CR', 'a: 1\rb: 2\n'],
    ['a flow map', 'a: {b: 1}\n'],
    ['a multi-line quoted scalar', 'a: "one\n  two"\n'],
    ['a list at the top level', '- a\n- b\n'],
    ['a scalar at the top level', 'just text\n'],
    ['an explicit indentation indicator', 'a: |2\n   x\n'],
    ['a quoted string followed by text (corpus)', 'a:\n  - "Filter" dropdown\n'],
    ['a nested mapping in a compact value', 'a: b: c\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a __proto__ key', '__proto__: 1\n'],
    ['a second document', 'a: 1\n---\nb: 2\n'],
  ];
  for (const [name, src] of giveUp) {
    test(`gives up on ${name}`, () => {
      expect(fastParseYaml(src)).toBeNull();
    });
  }

  test('the lenient entry point gives up (null) on anything the strict one would throw on', () => {
    expect(fastParseYamlLenient('a: ' + '['.repeat(10))).toBeNull();
    expect(fastParseYamlLenient('a: 1\n', 5)?.pos['/a']).toEqual({ line: 5, col: 4 });
  });

  test('empty and comment-only front matter read as {}', () => {
    expect(fastParseYaml('')?.data).toEqual({});
    expect(fastParseYaml('# only a comment\n\n')?.data).toEqual({});
  });

  test('1.2 core schema: dates and yes/no stay strings, 010 is 10', () => {
    same(fastParseYaml('d: 2026-01-15\ny: yes\no: 010\nn: ~\nf: 1.50\n')?.data, { d: '2026-01-15', y: 'yes', o: 10, n: null, f: 1.5 }, 'data');
  });

  test('data objects are plain objects; keys named like Object.prototype members are left to yaml', () => {
    expect(Object.getPrototypeOf(fastParseYaml('a: 1\n')!.data)).toBe(Object.prototype);
    expect(fastParseYaml('constructor: 1\n')).toBeNull();
    expect(fastParseYaml('a:\n  - toString: x\n')).toBeNull();
    expect(expectExactOrNull('hasOwnProperty: 1\n')).toBe(false);
  });
});
