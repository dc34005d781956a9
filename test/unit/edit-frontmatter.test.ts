import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { parseDocument } from 'yaml';
import { setFrontMatterKey as setFast, editYaml, renderInline, type KeyValue } from '../../src/parse/edit.js';
import { fastParseYaml } from '../../src/parse/fastyaml.js';
import { splitFrontMatter } from '../../src/parse/frontmatter.js';
import { TracksError } from '../../src/errors/index.js';
import { backlogMdFiles, corpusFiles, trackValue, workOrderFile, slug } from '../fixtures/parse/arbitraries.js';

const SCALE = Number(process.env.PARSE_RUNS ?? 1);

type Set = (text: string, key: string, value: KeyValue | undefined) => string;

/** The same edit through the `yaml` package's node ranges only, to hold the fallback path to the same rules. */
const setExact: Set = (text, key, value) => {
  const split = splitFrontMatter(text);
  if (split.kind !== 'ok') return setFast(text, key, value);
  const { yaml, yamlStart, yamlEnd } = split.fm;
  const eol = text.charCodeAt(yamlStart - 2) === 13 ? '\r\n' : '\n';
  return text.slice(0, yamlStart) + editYaml(yaml, key, value, 'file', { exact: true, eol }) + text.slice(yamlEnd);
};
let setFrontMatterKey: Set = setFast;

/** Lines with their line endings, so a changed CRLF shows as a changed line. */
const linesOf = (s: string): string[] => s.match(/[^\n]*\n|[^\n]+$/g) ?? [];

function lineDiff(a: string, b: string) {
  const x = linesOf(a);
  const y = linesOf(b);
  let p = 0;
  while (p < x.length && p < y.length && x[p] === y[p]) p++;
  let s = 0;
  while (s < x.length - p && s < y.length - p && x[x.length - 1 - s] === y[y.length - 1 - s]) s++;
  return { removed: x.slice(p, x.length - s), added: y.slice(p, y.length - s), before: y[p - 1] };
}

const ending = (line: string | undefined) => (line === undefined ? undefined : line.endsWith('\r\n') ? '\r\n' : line.endsWith('\n') ? '\n' : '');

interface Read {
  data: Record<string, unknown>;
  errors: string;
  yaml: string;
}

/** What a file's front matter reads as, errors included (recovered data when there are some). */
function read(text: string): Read {
  const split = splitFrontMatter(text);
  if (split.kind !== 'ok') throw new Error(`no front matter: ${split.kind}`);
  // the fast reader is held to yaml.parse by parse-fastyaml.test.ts; here it only saves time
  const fast = fastParseYaml(split.fm.yaml);
  if (fast) return { data: fast.data, errors: '', yaml: split.fm.yaml };
  const doc = parseDocument(split.fm.yaml, { uniqueKeys: true, prettyErrors: false, logLevel: 'error' });
  const js = doc.toJS({ maxAliasCount: 100 }) ?? {};
  return { data: js as Record<string, unknown>, errors: doc.errors.map((e) => `${e.code} ${e.message}`).join('\n'), yaml: split.fm.yaml };
}

const without = (d: Record<string, unknown>, key: string) => Object.fromEntries(Object.entries(d).filter(([k]) => k !== key));

/** The shape of `key` in the original: absent, on the key's line, or over several lines. */
function shapeOf(yaml: string, key: string): 'absent' | 'one-line' | 'multi-line' {
  const doc = parseDocument(yaml, { logLevel: 'error' });
  const map = doc.contents as { items?: { key?: { value?: unknown; range?: number[] }; value?: { range?: number[]; type?: string } | null }[] } | null;
  const pair = map?.items?.find((p) => p.key?.value === key);
  if (!pair) return 'absent';
  const v = pair.value;
  if (!v?.range) return 'multi-line';
  if (v.type === 'BLOCK_LITERAL' || v.type === 'BLOCK_FOLDED') return 'multi-line';
  return yaml.slice(pair.key!.range![0], v.range[1]).includes('\n') ? 'multi-line' : 'one-line';
}

/**
 * Everything the issue asks of a set: reads back as the value, nothing else
 * reads differently, only the line rule's lines differ, line endings are
 * copied, idempotent, and removal gives back what removing from the original gives.
 */
function checkSet(text: string, key: string, value: KeyValue): void {
  let before: Read;
  try {
    before = read(text);
  } catch {
    // unreadable even to the yaml package (e.g. an alias to nothing): the edit must refuse
    expect(() => setFrontMatterKey(text, key, value)).toThrow(TracksError);
    return;
  }
  const shape = shapeOf(before.yaml, key);
  const out = setFrontMatterKey(text, key, value);
  const after = read(out);
  expect(after.errors).toBe(before.errors);
  expect(isDeepStrictEqual(after.data[key], value), `${key} reads back as ${JSON.stringify(after.data[key])}`).toBe(true);
  expect(isDeepStrictEqual(without(after.data, key), without(before.data, key)), 'other keys unchanged').toBe(true);

  const { removed, added, before: prevLine } = lineDiff(text, out);
  if (out === text) {
    // already set, written the same way: nothing to do
    expect(isDeepStrictEqual(before.data[key], value)).toBe(true);
    return;
  }
  expect(added).toHaveLength(1);
  expect(added[0]).toContain(renderInline(value));
  if (shape === 'absent') {
    expect(removed).toEqual([]);
    expect(added[0]).toMatch(new RegExp(`^${key}: `));
    expect(ending(added[0])).toBe(ending(prevLine)); // copies the line ending of the line above
  } else if (shape === 'one-line') {
    expect(removed).toHaveLength(1);
    expect(ending(added[0])).toBe(ending(removed[0]));
  } else {
    // The rule for a value over several lines: the pair's lines become one line.
    expect(removed.length).toBeGreaterThanOrEqual(1);
    expect(removed[0]).toMatch(new RegExp(`^\\s*["']?${key}["']?\\s*:`));
    expect(ending(added[0])).toBe(ending(removed[0]));
    // the removed lines are exactly the pair: swapping them for another key changes that key and nothing else
    // (in a file with YAML errors, how the parser recovers depends on the swapped-in value: not comparable)
    if (before.errors) return;
    const lines = linesOf(text);
    const at = lines.indexOf(removed[0]!);
    const swapped = [...lines.slice(0, at), `zz_placeholder: "0"${ending(removed[0])}`, ...lines.slice(at + removed.length)].join('');
    const { data, errors } = read(swapped);
    expect(errors).toBe(before.errors);
    expect(isDeepStrictEqual(without(data, 'zz_placeholder'), without(before.data, key))).toBe(true);
  }

  expect(setFrontMatterKey(out, key, value), 'idempotent').toBe(out);
  const removedFromOriginal = setFrontMatterKey(text, key, undefined);
  expect(setFrontMatterKey(out, key, undefined)).toBe(removedFromOriginal);
  if (shape === 'absent') expect(removedFromOriginal, 'removing restores the original bytes').toBe(text);
}

/** Whether the edit is allowed to refuse this file (it must not refuse plain, valid front matter). */
function mayRefuse(text: string, key: string): boolean {
  const split = splitFrontMatter(text);
  if (split.kind !== 'ok') return true;
  const doc = parseDocument(split.fm.yaml, { uniqueKeys: true, logLevel: 'error' });
  if (doc.errors.length) return true; // edited around when possible, refused when the key itself is broken
  const c = doc.contents as { flow?: boolean; items?: unknown[] } | null;
  if (c && (!c.items || c.flow)) return true;
  // Anchors and aliases tie values together, and tags (`!x`) change what a value reads as; explicit `? key` entries can hide content from node ranges;
  // a kept block scalar (`|+`) takes the blank lines after it, so removing the pair under it would change it;
  // yaml 2.9 rejects a blank line before a flow-collection key (`[a]: 1`), so removals next to one are refused,
  // and reads `track: [x] : y` as two pairs on one line, which no edit of the value can keep.
  return /[&*]|(?:^|[\s[,])!|^[ -]*\?[ \t]|[|>][1-9]?\+|^[[{]|[\]}][ \t]*:(?:\s|$)/m.test(split.fm.yaml) || new RegExp(`^\\s*${key}\\s*:.*\\n?(?:.*\\n)*^\\s*${key}\\s*:`, 'm').test(split.fm.yaml);
}

function trySet(text: string, key: string, value: KeyValue): boolean {
  try {
    checkSet(text, key, value);
    return true;
  } catch (e) {
    if (e instanceof TracksError && e.code === 'EDIT_REFUSED' && mayRefuse(text, key)) return false;
    throw e;
  }
}

describe('setFrontMatterKey (generated files)', () => {
  test.prop([workOrderFile({ track: true, duplicates: true }), trackValue], { numRuns: 200 * SCALE })('set track: one line, nothing else, idempotent, reversible', (text, value) => {
    trySet(text, 'track', value);
  });

  test.prop([workOrderFile({ track: true, duplicates: true }), trackValue], { numRuns: 80 * SCALE })('the same through yaml node ranges (the path for files outside the fast subset)', (text, value) => {
    setFrontMatterKey = setExact;
    try {
      trySet(text, 'track', value);
    } finally {
      setFrontMatterKey = setFast;
    }
  });

  test.prop([workOrderFile({ track: true }), slug, slug], { numRuns: 120 * SCALE })('changing a set track changes exactly one line', (text, a, b) => {
    let once: string;
    let twice: string;
    try {
      once = setFrontMatterKey(text, 'track', a);
      twice = setFrontMatterKey(once, 'track', b);
    } catch (e) {
      // in a file with YAML errors, whether an edit is safe can depend on the value (plain or quoted)
      if (e instanceof TracksError && mayRefuse(text, 'track')) return;
      throw e;
    }
    const { removed, added } = lineDiff(once, twice);
    expect(removed.length).toBe(a === b ? 0 : 1);
    expect(added.length).toBe(a === b ? 0 : 1);
  });

  test.prop([workOrderFile({ track: false }), fc.constantFrom('status', 'id', 'tags', 'context', 'goal')], { numRuns: 80 * SCALE })('the same holds for other keys (track files set status, updated_at)', (text, key) => {
    trySet(text, key, 'active');
  });

  test('the generator reaches the interesting cases', () => {
    const counts = { absent: 0, 'one-line': 0, 'multi-line': 0, refused: 0 };
    for (const [text, value] of fc.sample(fc.tuple(workOrderFile({ track: true }), trackValue), { numRuns: 100, seed: 3 })) {
      const split = splitFrontMatter(text);
      if (split.kind !== 'ok') continue;
      const shape = shapeOf(split.fm.yaml, 'track');
      if (trySet(text, 'track', value)) counts[shape]++;
      else counts.refused++;
    }
    expect(counts.absent).toBeGreaterThan(15);
    expect(counts['one-line']).toBeGreaterThan(15);
    expect(counts['multi-line']).toBeGreaterThan(10);
  });
});

describe('setFrontMatterKey on every corpus file', () => {
  const files = corpusFiles();
  test(`set, change and remove track on all ${files.length} files`, () => {
    files.forEach(([name, text], i) => {
      const hadTrack = /^track:/m.test(read(text).yaml);
      checkSet(text, 'track', 'runner-core');
      const once = setFrontMatterKey(text, 'track', 'runner-core', name);
      const changed = setFrontMatterKey(once, 'track', i % 4 ? 'live-demo' : ['a', 'b'], name);
      const d = lineDiff(once, changed);
      expect([d.removed.length, d.added.length], name).toEqual([1, 1]);
      const back = setFrontMatterKey(changed, 'track', undefined, name);
      if (!hadTrack) expect(back, name).toBe(text);
    });
  });

  const edit = fc.tuple(fc.nat(), fc.constantFrom('insert', 'delete'), fc.constantFrom(' ', ':', ': ', '#', ' #', '- ', '"', "'", '\n', '\n  ', '|', '[', '&', 'track: x\n', 'track:\n  - a\n', '\r\n'));
  test.prop([fc.nat(), fc.array(edit, { minLength: 1, maxLength: 3 }), trackValue], { numRuns: 50 * SCALE })('the same on corpus files with a few characters changed', (which, edits, value) => {
    const [, text] = files[which % files.length]!;
    const split = splitFrontMatter(text);
    if (split.kind !== 'ok') throw new Error('corpus file without front matter');
    let yaml = split.fm.yaml;
    for (const [at, op, ch] of edits) {
      const i = at % (yaml.length + 1);
      yaml = op === 'insert' ? yaml.slice(0, i) + ch + yaml.slice(i) : yaml.slice(0, i) + yaml.slice(i + ch.length);
    }
    if (!yaml.endsWith('\n')) yaml += '\n';
    trySet(text.slice(0, split.fm.yamlStart) + yaml + text.slice(split.fm.yamlEnd), 'track', value);
  });

  test('the three files with track data in other shapes keep it', () => {
    const withTrack = files.filter(([, t]) => /^track(_id)?:/m.test(t));
    expect(withTrack.length).toBeGreaterThanOrEqual(3);
    for (const [name, text] of withTrack) {
      const out = setFrontMatterKey(text, 'track', 'x', name);
      if (/^track_id:/m.test(text)) expect(read(out).data.track_id).toBe(read(text).data.track_id);
    }
  });
});

describe('setFrontMatterKey on every Backlog.md task', () => {
  // Another tool's files: quoted dates, empty lists, `assignee: @name` (invalid YAML that tracks edits around).
  const files = backlogMdFiles();
  test(`set, change and remove track on all ${files.length} tasks`, () => {
    expect(files.length).toBe(673);
    files.forEach(([name, text], i) => {
      checkSet(text, 'track', 'runner-core');
      const once = setFrontMatterKey(text, 'track', 'runner-core', name);
      expect(lineDiff(text, once), name).toMatchObject({ removed: [], added: ['track: runner-core\n'] });
      const changed = setFrontMatterKey(once, 'track', i % 4 ? 'live-demo' : ['a', 'b'], name);
      const d = lineDiff(once, changed);
      expect([d.removed.length, d.added.length], name).toEqual([1, 1]);
      expect(setFrontMatterKey(changed, 'track', undefined, name), name).toBe(text);
    });
  });

  const edit = fc.tuple(fc.nat(), fc.constantFrom('insert', 'delete'), fc.constantFrom(' ', ':', ': ', '#', ' #', '- ', '"', "'", '\n', '\n  ', '|', '[', '&', '@', 'track: x\n', 'track:\n  - a\n', '\r\n'));
  test.prop([fc.nat(), fc.array(edit, { minLength: 1, maxLength: 3 }), trackValue], { numRuns: 50 * SCALE })('the same on tasks with a few characters changed', (which, edits, value) => {
    const [, text] = files[which % files.length]!;
    const split = splitFrontMatter(text);
    if (split.kind !== 'ok') throw new Error('task without front matter');
    let yaml = split.fm.yaml;
    for (const [at, op, ch] of edits) {
      const i = at % (yaml.length + 1);
      yaml = op === 'insert' ? yaml.slice(0, i) + ch + yaml.slice(i) : yaml.slice(0, i) + yaml.slice(i + ch.length);
    }
    if (!yaml.endsWith('\n')) yaml += '\n';
    trySet(text.slice(0, split.fm.yamlStart) + yaml + text.slice(split.fm.yamlEnd), 'track', value);
  });
});

// As applying writes a work order: front matter decoded and re-encoded, the body copied as bytes.
describe('a work order edit as bytes', () => {
  it('decodes only the front matter of a UTF-8 file and writes what editing the whole text writes, on every real work order', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { setKeyBytes } = await import('../../src/plan/verify.js');
    const { setFrontMatterKey } = await import('../../src/parse/edit.js');
    const { CORPUS_HEAD, CORPORA } = await import('../helpers/repo.js');
    const dirs = [CORPUS_HEAD, join(CORPORA, 'backlog-md-2026-08-20', 'backlog', 'tasks')];
    let n = 0;
    for (const dir of dirs) {
      for (const name of readdirSync(dir).filter((f) => f.endsWith('.md'))) {
        const bytes = readFileSync(join(dir, name));
        const text = bytes.toString('utf8');
        for (const value of ['economy', undefined, ['a', 'b']] as const) {
          let whole: string | Error;
          try {
            whole = setFrontMatterKey(text, 'track', value as never, name);
          } catch (e) {
            whole = e as Error;
          }
          if (whole instanceof Error) {
            expect(() => setKeyBytes(bytes, 'track', value as never, name)).toThrow(whole.message);
            continue;
          }
          const got = setKeyBytes(bytes, 'track', value as never, name);
          expect(got === null ? text : Buffer.from(got).toString('utf8'), name).toBe(whole);
          n++;
        }
      }
    }
    expect(n).toBeGreaterThan(600);
  });
});
