/**
 * The check cache: per-file results keyed by path + git blob id (+ tool version
 * and config), stored in .git/tracks/check-cache.json. A missing or corrupt
 * cache is simply rebuilt; it is never required for correctness.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CacheEntry, CheckCache } from '../validate/check.js';

const FILE = 'check-cache.json';

export class FileCache implements CheckCache {
  private entries = new Map<string, CacheEntry>();
  private used = new Set<string>();
  private dirty = false;
  constructor(private readonly dir: string | undefined) {
    if (!dir) return;
    try {
      const raw = JSON.parse(readFileSync(join(dir, FILE), 'utf8')) as { v: number; e: [string, CacheEntry][] };
      if (raw.v === 1) this.entries = new Map(raw.e);
    } catch {
      // no cache yet, or unreadable: start empty
    }
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
    if (!this.dirty && this.used.size === this.entries.size) return;
    try {
      mkdirSync(this.dir, { recursive: true });
      const e = [...this.entries].filter(([k]) => this.used.has(k));
      const tmp = join(this.dir, `${FILE}.${process.pid}.tmp`);
      writeFileSync(tmp, JSON.stringify({ v: 1, e }));
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
