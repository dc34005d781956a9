/**
 * The check cache: per-file results keyed by path + git blob id (+ tool version
 * and config), stored in .git/tracks/check-cache.json. A missing or corrupt
 * cache is simply rebuilt; it is never required for correctness.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CacheEntry, CheckCache } from '../validate/check.js';

const FILE = 'check-cache.json';

/** path → [size, mtimeMs, blob id]: lets an unchanged file skip being read, as git's index does. */
type StatRow = [number, number, string];

export class FileCache implements CheckCache {
  private entries = new Map<string, CacheEntry>();
  private stats = new Map<string, StatRow>();
  private savedAt = 0;
  private used = new Set<string>();
  private dirty = false;
  /**
   * `salt` names everything besides content that the entries depend on (tool
   * version, config); a cache written under another salt is discarded whole.
   */
  constructor(
    private readonly dir: string | undefined,
    private readonly salt = '',
  ) {
    if (!dir) return;
    try {
      const raw = JSON.parse(readFileSync(join(dir, FILE), 'utf8')) as { v: number; salt: string; at: number; e: [string, CacheEntry][]; s: [string, StatRow][] };
      if (raw.v === 3 && raw.salt === salt) {
        this.entries = new Map(raw.e);
        this.stats = new Map(raw.s);
        this.savedAt = raw.at;
      }
    } catch {
      // no cache yet, or unreadable: start empty
    }
  }
  /**
   * The blob id recorded for a file with this size and mtime. Files modified
   * within 2 s of the last save are "racy" (same mtime, new content) and must
   * be read.
   */
  hashFromStat(path: string, size: number, mtimeMs: number): string | undefined {
    const row = this.stats.get(path);
    if (!row || row[0] !== size || row[1] !== mtimeMs || mtimeMs >= this.savedAt - 2000) return undefined;
    return row[2];
  }
  rememberStat(path: string, size: number, mtimeMs: number, hash: string) {
    const row = this.stats.get(path);
    if (row && row[0] === size && row[1] === mtimeMs && row[2] === hash) return;
    this.stats.set(path, [size, mtimeMs, hash]);
    this.dirty = true;
  }
  has(key: string) {
    return this.entries.has(key);
  }
  get(key: string) {
    const e = this.entries.get(key);
    if (e) this.used.add(key);
    return e;
  }
  set(key: string, entry: CacheEntry) {
    this.entries.set(key, entry);
    this.used.add(key);
    this.dirty = true;
  }
  /** Writes back only the entries used in this run, so the cache never grows stale. */
  save() {
    if (!this.dir) return;
    // Rewrite when something changed, when entries went unused, or to move the
    // racy-file horizon forward so recently written files get the stat shortcut.
    if (!this.dirty && this.used.size === this.entries.size && Date.now() - this.savedAt < 60_000) return;
    try {
      mkdirSync(this.dir, { recursive: true });
      const e = [...this.entries].filter(([k]) => this.used.has(k));
      const live = new Set(e.map(([k]) => k.slice(0, k.indexOf('\0'))));
      const s = [...this.stats].filter(([p]) => live.has(p));
      const tmp = join(this.dir, `${FILE}.${process.pid}.tmp`);
      writeFileSync(tmp, JSON.stringify({ v: 3, salt: this.salt, at: Date.now(), e, s }));
      renameSync(tmp, join(this.dir, FILE));
    } catch {
      // a read-only .git must not fail a check
    }
  }
}

/** .git/tracks for a normal repository; undefined elsewhere (no cache). */
export function cacheDir(root: string, env: Record<string, string | undefined>): string | undefined {
  if (env.TRACKS_NO_CACHE) return undefined;
  const git = join(root, '.git');
  try {
    if (existsSync(git) && statSync(git).isDirectory()) return join(git, 'tracks');
  } catch {
    return undefined;
  }
  return undefined;
}
