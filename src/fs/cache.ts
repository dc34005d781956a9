/**
 * The repository cache, in <git dir>/tracks/: per-file records keyed by path +
 * git blob id (what every command needs of a work order, and check's per-file
 * diagnostics), a stat row per path that lets an unchanged file skip being
 * read, and the whole-run memo of `check`. A missing, corrupt or odd cache is
 * simply rebuilt; it is never required for correctness, and it must never
 * answer for a file that changed.
 */
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import type { Diagnostic } from '../model/types.js';

const FILE = 'cache.json';
const MEMO = 'check-last';
/** A cache file larger than this is not ours (or not worth parsing): ignored. */
const MAX_CACHE_BYTES = 512 * 1024 * 1024;
/**
 * Files changed this close to a save (or later) are "racy": their timestamps
 * may not have moved since the content was read, so they are read again
 * (git's racy-git rule, with room for coarse file-system clocks).
 */
export const RACY_MS = 2000;

/** What the shortcut compares, as git's index does: size, both timestamps and the inode. */
export interface FileStat {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

export function fileStat(st: { size: number; mtimeMs: number; ctimeMs: number; ino: number }): FileStat {
  return { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino };
}

/** path → [size, mtimeMs, ctimeMs, ino, blob id] */
type StatRow = [number, number, number, number, string];

/**
 * Reads a cache file only when it is a regular file: never through a link
 * (O_NOFOLLOW), and a FIFO or device in its place is opened without blocking
 * (O_NONBLOCK) and then ignored. Undefined when absent or not usable.
 */
export function readCacheFile(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch {
    return undefined; // absent, a link (ELOOP), unreadable
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > MAX_CACHE_BYTES) return undefined;
    return readFileSync(fd, 'utf8');
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** The cache directory, when it is a real directory (not a link) or can be made one. */
function usableDir(dir: string, create: boolean): boolean {
  try {
    return lstatSync(dir).isDirectory();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || !create) return false;
  }
  try {
    mkdirSync(dir, { recursive: true });
    return lstatSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Writes `text` as `dir/name` atomically: a fresh temporary file (O_EXCL: never
 * an existing file or link), then a rename over whatever is there. Best effort:
 * a read-only .git must not fail a command.
 */
export function writeCacheFile(dir: string, name: string, text: string): void {
  if (!usableDir(dir, true)) return;
  const tmp = join(dir, `${name}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    const buf = Buffer.from(text, 'utf8');
    for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, join(dir, name));
  } catch {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was created
    }
  }
}

/**
 * Per-file records (any JSON value; the loader decides their shape) and stat
 * rows. Only what a run used is written back, so the cache never grows stale.
 */
export class FileCache<E> {
  private entries = new Map<string, E>();
  private stats = new Map<string, StatRow>();
  private savedAt = 0;
  private used = new Set<string>();
  private dirty = false;
  private loaded = false;
  /**
   * `salt` names everything besides content that the entries depend on (cache
   * format, tool build, config); a cache written under another salt is discarded whole.
   */
  constructor(
    private readonly dir: string | undefined,
    private readonly salt: string,
  ) {}

  get enabled(): boolean {
    return this.dir !== undefined;
  }

  /** Read on first use: a run that the whole-run memo answers never parses the big file. */
  private load() {
    if (this.loaded) return;
    this.loaded = true;
    if (!this.dir || !usableDir(this.dir, false)) return;
    const text = readCacheFile(join(this.dir, FILE));
    if (text === undefined) return;
    try {
      const raw = JSON.parse(text) as { v: number; salt: string; at: number; e: [string, E][]; s: [string, ...StatRow][] };
      if (raw.v !== 5 || raw.salt !== this.salt || !Array.isArray(raw.e) || !Array.isArray(raw.s)) return;
      this.entries = new Map(raw.e);
      for (const r of raw.s) this.stats.set(r[0], [r[1], r[2], r[3], r[4], r[5]]);
      this.savedAt = raw.at;
    } catch {
      // corrupt: start empty
    }
  }

  /** Whether a cache file was there to use (a first run has none). */
  exists(): boolean {
    this.load();
    return this.savedAt > 0;
  }

  /**
   * The blob id recorded for a file with exactly this stat, unless the file
   * was changed so close to the last save that its stat cannot be trusted.
   */
  hashFromStat(path: string, st: FileStat): string | undefined {
    this.load();
    const row = this.stats.get(path);
    if (!row || row[0] !== st.size || row[1] !== st.mtimeMs || row[2] !== st.ctimeMs || row[3] !== st.ino) return undefined;
    if (Math.max(st.mtimeMs, st.ctimeMs) >= this.savedAt - RACY_MS) return undefined;
    return row[4];
  }

  rememberStat(path: string, st: FileStat, hash: string) {
    this.load();
    const row = this.stats.get(path);
    if (row && row[0] === st.size && row[1] === st.mtimeMs && row[2] === st.ctimeMs && row[3] === st.ino && row[4] === hash) return;
    this.stats.set(path, [st.size, st.mtimeMs, st.ctimeMs, st.ino, hash]);
    this.dirty = true;
  }

  get(key: string): E | undefined {
    this.load();
    const e = this.entries.get(key);
    if (e !== undefined) this.used.add(key);
    return e;
  }

  has(key: string): boolean {
    this.load();
    return this.entries.has(key);
  }

  set(key: string, entry: E) {
    this.load();
    this.entries.set(key, entry);
    this.used.add(key);
    this.dirty = true;
  }

  /** Writes back the entries used in this run (and the stat rows of their paths). */
  save(now = Date.now()) {
    if (!this.dir || !this.loaded) return;
    // Rewrite when something changed, when entries went unused, or to move the
    // racy horizon forward so recently written files get the stat shortcut.
    if (!this.dirty && this.used.size === this.entries.size && now - this.savedAt < 60_000) return;
    const e = [...this.entries].filter(([k]) => this.used.has(k));
    const live = new Set(e.map(([k]) => k.slice(0, k.indexOf('\0'))));
    const s = [...this.stats].filter(([p]) => live.has(p)).map(([p, r]) => [p, ...r]);
    writeCacheFile(this.dir, FILE, JSON.stringify({ v: 5, salt: this.salt, at: now, e, s }));
  }
}

/**
 * <git dir>/tracks: this work tree's own git directory, as git names it (in a
 * linked work tree or a submodule `.git` is a file); undefined outside git or
 * with TRACKS_NO_CACHE set.
 */
export function cacheDir(gitDir: string | undefined, env: Record<string, string | undefined>): string | undefined {
  if (env.TRACKS_NO_CACHE || !gitDir) return undefined;
  return join(gitDir, 'tracks');
}

/**
 * The answer of the last whole run, keyed by a fingerprint of every input
 * (paths with their stat, or blob ids from the index; config; tool build;
 * options). When nothing changed, `check` is a directory listing and a stat of
 * each file. Files changed within RACY_MS of the saved run force a real run.
 */
export class RunMemo {
  private data: { v: number; fp: string; at: number; diagnostics: Diagnostic[] } | undefined;
  private readonly file: string;
  /** `kind` keeps one memo per source (work tree, index): a hook run must not evict the other. */
  constructor(
    private readonly dir: string | undefined,
    kind: 'worktree' | 'staged',
  ) {
    this.file = `${MEMO}-${kind}.json`;
    if (!dir || !usableDir(dir, false)) return;
    const text = readCacheFile(join(dir, this.file));
    if (text === undefined) return;
    try {
      const raw = JSON.parse(text);
      if (raw?.v === 2 && typeof raw.fp === 'string' && Array.isArray(raw.diagnostics)) this.data = raw;
    } catch {
      // none yet
    }
  }
  get present(): boolean {
    return this.data !== undefined;
  }
  /** The saved diagnostics when `fp` matches and no file changed within the save's racy window. */
  lookup(fp: string, newestChangeMs: number): Diagnostic[] | undefined {
    const d = this.data;
    if (!d || d.fp !== fp || newestChangeMs >= d.at - RACY_MS) return undefined;
    return d.diagnostics;
  }
  save(fp: string, diagnostics: Diagnostic[], now = Date.now()) {
    if (!this.dir) return;
    writeCacheFile(this.dir, this.file, JSON.stringify({ v: 2, fp, at: now, diagnostics }));
  }
}

export function fingerprint(parts: string[]): string {
  const h = createHash('sha1');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex');
}
