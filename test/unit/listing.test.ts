/**
 * Listing a directory of work orders: names are read as UTF-8, and only a
 * name that is not UTF-8 is reported (not one that merely contains U+FFFD).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listMarkdown } from '../../src/fs/source.js';

const root = mkdtempSync(join(tmpdir(), 'tracks-listing-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('listMarkdown', () => {
  it('lists UTF-8 names, U+FFFD included, sorted; reports a name that is not UTF-8; skips README.md and other files', () => {
    const dir = join(root, 'work_orders');
    mkdirSync(dir);
    for (const name of ['b.md', 'a\uFFFD.md', 'README.md', 'notes.txt', 'readme.MD']) writeFileSync(join(dir, name), '---\nid: X\n---\n');
    let r = listMarkdown(root, 'work_orders');
    // without a name that is not UTF-8, the one with U+FFFD is an ordinary name
    expect(r).toEqual({ files: ['work_orders/a\uFFFD.md', 'work_orders/b.md'], problems: [] });
    writeFileSync(Buffer.concat([Buffer.from(`${dir}/c`), Buffer.from([0xff]), Buffer.from('.md')]), '---\nid: Y\n---\n');
    r = listMarkdown(root, 'work_orders');
    expect(r.files).toEqual(['work_orders/a\uFFFD.md', 'work_orders/b.md']);
    expect(r.problems.map((p) => `${p.file} ${p.code}`)).toEqual(['work_orders/c\uFFFD.md file/encoding']);
  });
});
