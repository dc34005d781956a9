import { describe, expect, it } from 'vitest';
import { test as fcTest, fc } from '@fast-check/vitest';
import { parse } from 'yaml';
import { appendListItem, setBlockMapping } from '../../src/parse/edit-block.js';
import { applyEntry, entryLines, isoSeconds, readHistory, type HistoryEntry } from '../../src/lifecycle/history.js';
import { appendToSection, sectionText } from '../../src/lifecycle/body.js';
import { splitFrontMatter } from '../../src/parse/frontmatter.js';

const fm = (text: string) => {
  const s = splitFrontMatter(text);
  if (s.kind !== 'ok') throw new Error('no front matter');
  return parse(s.fm.yaml) as Record<string, unknown>;
};

/** `after` is `before` with lines inserted and nothing else changed. */
function onlyInserted(before: string, after: string): string {
  let i = 0;
  while (i < before.length && before[i] === after[i]) i++;
  const tail = before.length - i;
  expect(after.slice(after.length - tail)).toBe(before.slice(i));
  return after.slice(i, after.length - tail);
}

const entry: HistoryEntry = {
  at: '2026-11-21T10:00:00Z',
  from: 'active',
  to: 'paused',
  by: 'Ada Lovelace <ada@example.com>',
  reason: 'waiting: on "API" quota # not a comment',
  commit: 'a'.repeat(40),
  progress: { done: 3, total: 10, hours_done: 4.5, hours_total: 20 },
};

const TRACK = `---
name: Runner   # the runner
type: FEAT
status: active
tags: [a,  b]
updated_at: 2026-01-01
---

## Description

Body text.
`;

describe('appending history losslessly', () => {
  it('creates history at the end of the front matter and round-trips the entry', () => {
    const after = appendListItem(TRACK, 'history', entryLines(entry));
    const inserted = onlyInserted(TRACK, after);
    expect(inserted.startsWith('history:\n  - at: 2026-11-21T10:00:00Z\n')).toBe(true);
    expect(readHistory({ data: fm(after) })).toEqual([entry]);
  });

  it('appends after existing items, keeping their comments and indentation', () => {
    const text = `---\nname: X\nhistory:\n- at: 2026-01-01   # first\n  to: draft\n# between\nstatus: draft\n---\nbody\n`;
    const after = appendListItem(text, 'history', entryLines(entry));
    onlyInserted(text, after);
    expect(after).toContain('  to: draft\n- at: 2026-11-21T10:00:00Z\n  from: active\n');
    const h = readHistory({ data: fm(after) });
    expect(h.map((e) => e.to)).toEqual(['draft', 'paused']);
  });

  it('appends to a list that ends the front matter without a final newline before the fence', () => {
    const text = `---\nname: X\nhistory:\n  - at: 2026-01-01\n    to: draft\n---`;
    const after = appendListItem(text, 'history', entryLines(entry));
    expect(readHistory({ data: fm(after) }).length).toBe(2);
    expect(after.endsWith('---')).toBe(true);
  });

  it('fills an empty `history:`, `history: []` and `history: null` (keeping an inline comment)', () => {
    for (const empty of ['history:', 'history: []', 'history: null', 'history: [] # none yet']) {
      const text = `---\nname: X\n${empty}\nstatus: draft\n---\n`;
      const after = appendListItem(text, 'history', entryLines(entry));
      expect(readHistory({ data: fm(after) })).toEqual([entry]);
      expect(fm(after).status).toBe('draft');
      if (empty.includes('#')) expect(after).toContain('history: # none yet\n');
    }
  });

  it('keeps CRLF line ends', () => {
    const text = TRACK.replace(/\n/g, '\r\n');
    const after = applyEntry(text, 't.md', entry);
    expect(after.replace(/\r\n/g, '')).not.toContain('\n');
    expect(readHistory({ data: fm(after) })).toEqual([entry]);
  });

  it('refuses a flow list with items rather than rewriting it', () => {
    const text = `---\nname: X\nhistory: [{at: 2026-01-01, to: draft}]\n---\n`;
    expect(() => appendListItem(text, 'history', entryLines(entry), 't.md')).toThrow(/not a block list/);
  });

  it('applyEntry sets status and updated_at and appends one entry; nothing else moves', () => {
    const after = applyEntry(TRACK, 't.md', entry);
    const data = fm(after);
    expect(data.status).toBe('paused');
    expect(data.updated_at).toBe(entry.at);
    expect(readHistory({ data })).toEqual([entry]);
    const changed = after.split('\n').filter((l) => !TRACK.split('\n').includes(l));
    expect(changed.every((l) => l.startsWith('status:') || l.startsWith('updated_at:') || l.startsWith('history:') || l.startsWith('  '))).toBe(true);
    expect(after).toContain('name: Runner   # the runner\ntype: FEAT\n');
    expect(after).toContain('tags: [a,  b]\n');
    expect(after.endsWith('\n## Description\n\nBody text.\n')).toBe(true);
  });

  fcTest.prop([fc.array(fc.string({ maxLength: 40 }), { maxLength: 4 }), fc.string({ maxLength: 60 })], { numRuns: 60 })(
    'any reason round-trips, and earlier entries stay byte-identical',
    (reasons, last) => {
      let text = TRACK;
      const entries: HistoryEntry[] = [];
      for (const r of [...reasons, last]) {
        const e: HistoryEntry = { at: '2026-11-21T10:00:00Z', from: 'draft', to: 'active', by: 'X <x@y.z>' };
        const one = r.replace(/\s+/g, ' ').trim();
        if (one) e.reason = one;
        const next = applyEntry(text, 't.md', e);
        const h = splitFrontMatter(text);
        if (h.kind === 'ok' && entries.length) {
          // the old history block is still there, verbatim
          const block = text.slice(text.indexOf('history:'), h.fm.yamlEnd);
          expect(next).toContain(block);
        }
        entries.push(e);
        text = next;
      }
      expect(readHistory({ data: fm(text) })).toEqual(entries);
    },
  );

  it('isoSeconds drops milliseconds', () => {
    expect(isoSeconds(new Date(Date.UTC(2026, 10, 21, 9, 8, 7, 654)))).toBe('2026-11-21T09:08:07Z');
  });
});

describe('decision block and body sections', () => {
  it('setBlockMapping appends, then replaces only its own lines', () => {
    const one = setBlockMapping(TRACK, 'decision', ['winner: a', 'reason: "x: y"']);
    onlyInserted(TRACK, one);
    expect(fm(one).decision).toEqual({ winner: 'a', reason: 'x: y' });
    const two = setBlockMapping(one, 'decision', ['winner: b']);
    expect(fm(two).decision).toEqual({ winner: 'b' });
    expect(two.replace('decision:\n  winner: b\n', '')).toBe(TRACK);
  });

  it('appendToSection adds to an existing section, or creates it at the end', () => {
    const text = `---\nname: X\n---\n\n## Decisions\n\n- old\n\n## Notes\n\nn\n`;
    const a = appendToSection(text, 'Decisions', '- new');
    expect(a).toBe(text.replace('- old\n', '- old\n- new\n'));
    expect(sectionText(a.slice(a.indexOf('---\n', 4) + 4), 'Decisions')).toBe('- old\n- new');
    const b = appendToSection(`---\nname: X\n---\n\n## Description\n\nd\n`, 'Decisions', '- new');
    expect(b.endsWith('d\n\n## Decisions\n\n- new\n')).toBe(true);
    const empty = `---\nname: X\n---\n\n## Decisions\n\n`;
    expect(appendToSection(empty, 'Decisions', '- new')).toBe(`---\nname: X\n---\n\n## Decisions\n\n- new\n\n`);
  });

  it('ignores headings inside fenced code', () => {
    const body = '\n```\n## Results\nnot this\n```\n\n## Results\n\nthis\n';
    expect(sectionText(body, 'Results')).toBe('this');
  });
});
