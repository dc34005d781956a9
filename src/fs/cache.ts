/**
 * The check cache: per-file results keyed by path + git blob id (+ tool version
 * and config), stored in .git/tracks/check-cache.json. A missing or corrupt
 * cache is simply rebuilt; it is never required for correctness.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { Diagnostic } from '../model/types.js';
import type { CacheEntry, CheckCache } from '../validate/check.js';

const FILE = 'check-cache.json';
const MEMO = 'check-last';

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
  private loaded = false;
  constructor(
    private readonly dir: string | undefined,
    private readonly salt = '',
  ) {}

  /** Read on first use: a run that the whole-run memo answers never parses the big file. */
  private load() {
    if (this.loaded) return;
    this.loaded = true;
    const dir = this.dir;
    if (!dir) return;
    try {
      const raw = JSON.parse(readFileSync(join(dir, FILE), 'utf8')) as { v: number; salt: string; at: number; e: [string, CacheEntry][]; s: [string, StatRow][] };
      if (raw.v === 3 && raw.salt === this.salt) {
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
    this.load();
    const row = this.stats.get(path);
    if (!row || row[0] !== size || row[1] !== mtimeMs || mtimeMs >= this.savedAt - 2000) return undefined;
    return row[2];
  }
  rememberStat(path: string, size: number, mtimeMs: number, hash: string) {
    this.load();
    const row = this.stats.get(path);
    if (row && row[0] === size && row[1] === mtimeMs && row[2] === hash) return;
    this.stats.set(path, [size, mtimeMs, hash]);
    this.dirty = true;
  }
  has(key: string) {
    this.load();
    return this.entries.has(key);
  }
  get(key: string) {
    this.load();
    const e = this.entries.get(key);
    if (e) this.used.add(key);
    return e;
  }
  set(key: string, entry: CacheEntry) {
    this.load();
    this.entries.set(key, entry);
    this.used.add(key);
    this.dirty = true;
  }
  /** Writes back only the entries used in this run, so the cache never grows stale. */
  save() {
    if (!this.dir || !this.loaded) return;
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

/**
 * <git dir>/tracks: this work tree's own git directory, as git names it (in a
 * linked work tree or a submodule `.git` is a file); undefined outside git.
 */
export function cacheDir(gitDir: string | undefined, env: Record<string, string | undefined>): string | undefined {
  if (env.TRACKS_NO_CACHE || !gitDir) return undefined;
  return join(gitDir, 'tracks');
}

/**
 * The answer of the last whole run, keyed by a fingerprint of every input
 * (paths with size and mtime, or blob ids from the index; config; tool build;
 * options). When nothing changed, `check` is a directory listing and a stat of
 * each file. Files modified within 2 s of the saved run are "racy" (same
 * mtime, new content) and force a real run.
 */
export class RunMemo {
  private data: { v: number; fp: string; at: number; diagnostics: Diagnostic[]; counts?: unknown } | undefined;
  private readonly file: string;
  /** `kind` keeps one memo per source (work tree, index): a hook run must not evict the other. */
  constructor(
    private readonly dir: string | undefined,
    kind: 'worktree' | 'staged' | 'head',
  ) {
    this.file = `${MEMO}-${kind}.json`;
    if (!dir) return;
    try {
      const raw = JSON.parse(readFileSync(join(dir, this.file), 'utf8'));
      if (raw?.v === 1) this.data = raw;
    } catch {
      // none yet
    }
  }
  /** The saved diagnostics when `fp` matches and no file is newer than the save's racy horizon. */
  lookup(fp: string, newestMtimeMs: number): Diagnostic[] | undefined {
    const d = this.data;
    if (!d || d.fp !== fp || newestMtimeMs >= d.at - 2000) return undefined;
    return d.diagnostics;
  }
  /** What was saved with the diagnostics (check's work-order counts), undefined in a memo saved without it. */
  get counts(): unknown {
    return this.data?.counts;
  }
  save(fp: string, diagnostics: Diagnostic[], counts?: unknown) {
    if (!this.dir) return;
    try {
      mkdirSync(this.dir, { recursive: true });
      const tmp = join(this.dir, `${this.file}.${process.pid}.tmp`);
      writeFileSync(tmp, JSON.stringify({ v: 1, fp, at: Date.now(), diagnostics, counts }));
      renameSync(tmp, join(this.dir, this.file));
    } catch {
      // best effort
    }
  }
}

export function fingerprint(parts: string[]): string {
  const h = createHash('sha1');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex');
}
