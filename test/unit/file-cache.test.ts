/**
 * The per-file cache as a value store: entries by path and blob id, stat rows
 * that name a blob, and what a save keeps (only what the run used).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileCache, RACY_MS } from '../../src/fs/cache.js';

const dirs: string[] = [];
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), 'tracks-file-cache-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

// old enough that a later save trusts it (racy-git rule)
const OLD = Date.now() - 10 * RACY_MS;
const stat = (ino: number) => ({ size: 10, mtimeMs: OLD + 0.25, ctimeMs: OLD + 0.5, ino });

describe('FileCache', () => {
  it('keeps two versions of one path made in one run, and the stat names only the one it was read with', () => {
    const dir = fresh();
    const a = new FileCache<string>(dir, 'salt');
    a.set('w/1.md', 'h1', 'one');
    a.set('w/1.md', 'h2', 'two');
    a.rememberStat('w/1.md', stat(7), 'h2');
    a.set('w/2.md', 'h3', 'three');
    expect([a.get('w/1.md', 'h1'), a.get('w/1.md', 'h2'), a.get('w/2.md', 'h3'), a.get('w/2.md', 'h1')]).toEqual(['one', 'two', 'three', undefined]);
    a.save();

    const b = new FileCache<string>(dir, 'salt');
    expect(b.present()).toBe(true);
    expect(b.hashFromStat('w/1.md', stat(7))).toBe('h2');
    // another inode is another file, whatever its times
    expect(b.hashFromStat('w/1.md', stat(8))).toBeUndefined();
    // no stat was learnt for w/2.md: it is known by blob id only
    expect(b.hashFromStat('w/2.md', stat(7))).toBeUndefined();
    expect([b.get('w/1.md', 'h1'), b.get('w/1.md', 'h2'), b.get('w/2.md', 'h3')]).toEqual(['one', 'two', 'three']);
  });

  it('a save keeps only what the run used; another salt discards the file whole', () => {
    const dir = fresh();
    const a = new FileCache<string>(dir, 'salt');
    a.set('w/1.md', 'h1', 'one');
    a.set('w/2.md', 'h2', 'two');
    a.save();

    const b = new FileCache<string>(dir, 'salt');
    expect(b.get('w/1.md', 'h1')).toBe('one');
    b.save();
    const c = new FileCache<string>(dir, 'salt');
    expect([c.get('w/1.md', 'h1'), c.get('w/2.md', 'h2')]).toEqual(['one', undefined]);

    const other = new FileCache<string>(dir, 'another salt');
    expect(other.present()).toBe(false);
    expect(other.get('w/1.md', 'h1')).toBeUndefined();
  });
});
