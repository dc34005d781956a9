/**
 * The repository cache, in <git dir>/tracks/: per-file records keyed by path +
 * git blob id (what every command needs of a work order, and check's per-file
 * diagnostics), a stat row per path that lets an unchanged file skip being
 * read, and the whole-run memo of `check`. A missing, corrupt or odd cache is
 * simply rebuilt; it is never required for correctness, and it must never
 * answer for a file that changed.
 */
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import type { Diagnostic } from '../model/types.js';

const FILE = 'cache.v8';
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

/** A file's stat and the blob id it names (the stat object is the one the listing holds, not a copy). */
type StatRow = [FileStat, string];
/** [blob id, entry] or, with the stat that names that blob, [blob id, entry, size, mtimeMs, ctimeMs, ino]. */
type Row<E> = [string, E] | [string, E, number, number, number, number];

/**
 * Reads a cache file only when it is a regular file: never through a link
 * (O_NOFOLLOW), and a FIFO or device in its place is opened without blocking
 * (O_NONBLOCK) and then ignored. Undefined when absent or not usable.
 */
export function readCacheFile(path: string): string | undefined {
  return readCacheBytes(path)?.toString('utf8');
}

export function readCacheBytes(path: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch {
    return undefined; // absent, a link (ELOOP), unreadable
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > MAX_CACHE_BYTES) return undefined;
    return readFileSync(fd);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** The cache directory, when it is a real directory (not a link) or can be made one. */
export function usableDir(dir: string, create: boolean): boolean {
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
export function writeCacheFile(dir: string, name: string, text: string | Buffer): void {
  if (!usableDir(dir, true)) return;
  const tmp = join(dir, `${name}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    const buf = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
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
 * Per-file entries (any value v8 can serialize; the loader decides their
 * shape), each with the stat of its file when that stat names its content.
 * Only what a run used is written back, so the cache never grows stale. Kept
 * in V8's serialization format: it reads back three times faster than JSON,
 * and every cached run starts by reading it.
 */
export class FileCache<E> {
  /** As loaded: path → [blob id, entry] or [blob id, entry, size, mtimeMs, ctimeMs, ino]. */
  private rows = new Map<string, Row<E>>();
  /** Other versions of a path (the index's, beside the work tree's): "path\0blob id" → entry. */
  private extra = new Map<string, E>();
  /** Entries made in this run: path → [blob id, entry]; another version of a path made in the same run is in freshMore. */
  private fresh = new Map<string, [string, E]>();
  /** "path\0blob id" → entry: versions of a path beyond the first made in this run (the index's beside the work tree's). */
  private freshMore = new Map<string, E>();
  /** Stats learnt in this run: path → [stat, blob id]. */
  private stats = new Map<string, StatRow>();
  /** What this run used: path → blob ids. */
  private used = new Map<string, string | string[]>();
  private savedAt = 0;
  private dirty = false;
  /** Files whose stat matched but was too recent to trust: saving again lets the next run trust it. */
  private racy = 0;
  private loaded = false;
  /**
   * `salt` names everything besides content that the entries depend on (cache
   * format, tool build, config); a cache written under another salt is discarded whole.
   */
  constructor(
    private readonly dir: string | undefined,
    private readonly salt: string,
  ) {}

  /** Read on first use: a run that the whole-run memo answers never reads the big file. */
  private load() {
    if (this.loaded) return;
    this.loaded = true;
    if (!this.dir || !usableDir(this.dir, false)) return;
    const bytes = readCacheBytes(join(this.dir, FILE));
    if (bytes === undefined) return;
    try {
      const raw = deserialize(bytes) as { v: number; salt: string; at: number; rows: Map<string, Row<E>>; extra: Map<string, E> };
      if (raw?.v !== 7 || raw.salt !== this.salt || !(raw.rows instanceof Map) || !(raw.extra instanceof Map) || typeof raw.at !== 'number') return;
      this.rows = raw.rows;
      this.extra = raw.extra;
      this.savedAt = raw.at;
    } catch {
      // corrupt: start empty
    }
  }

  /** Whether there was a cache file to use (a first run has none). */
  present(): boolean {
    this.load();
    return this.savedAt > 0;
  }

  /**
   * The blob id recorded for a file with exactly this stat, unless the file
   * was changed so close to the last save that its stat cannot be trusted.
   */
  hashFromStat(path: string, st: FileStat): string | undefined {
    this.load();
    const row = this.rows.get(path);
    if (!row || row.length !== 6 || row[2] !== st.size || row[3] !== st.mtimeMs || row[4] !== st.ctimeMs || row[5] !== st.ino) return undefined;
    if (Math.max(st.mtimeMs, st.ctimeMs) >= this.savedAt - RACY_MS) {
      this.racy++;
      return undefined;
    }
    return row[0];
  }

  rememberStat(path: string, st: FileStat, hash: string) {
    this.load();
    const row = this.rows.get(path);
    if (row && row.length === 6 && row[0] === hash && row[2] === st.size && row[3] === st.mtimeMs && row[4] === st.ctimeMs && row[5] === st.ino) return;
    this.stats.set(path, [st, hash]);
    this.dirty = true;
  }

  get(path: string, hash: string): E | undefined {
    this.load();
    const e = this.lookup(path, hash);
    if (e !== undefined) this.use(path, hash);
    return e;
  }

  /** The entry of this version of a path: saved, or made in this run. */
  private lookup(path: string, hash: string): E | undefined {
    const row = this.rows.get(path);
    if (row && row[0] === hash) return row[1];
    const made = this.fresh.get(path);
    if (made && made[0] === hash) return made[1];
    // composite keys only for what is rare: other saved versions, and a second version made in one run
    return this.extra.size || this.freshMore.size ? (this.freshMore.get(`${path}\0${hash}`) ?? this.extra.get(`${path}\0${hash}`)) : undefined;
  }

  set(path: string, hash: string, entry: E) {
    this.load();
    const made = this.fresh.get(path);
    if (made === undefined || made[0] === hash) this.fresh.set(path, [hash, entry]);
    else this.freshMore.set(`${path}\0${hash}`, entry);
    this.use(path, hash);
    this.dirty = true;
  }

  private use(path: string, hash: string) {
    const u = this.used.get(path);
    if (u === undefined) this.used.set(path, hash);
    else if (typeof u === 'string') {
      if (u !== hash) this.used.set(path, [u, hash]);
    } else if (!u.includes(hash)) u.push(hash);
  }

  /** Writes back the entries used in this run, each with the stat of its path when that stat names it. */
  save(now = Date.now()) {
    if (!this.dir || !this.loaded) return;
    // Rewrite when something changed, when entries went unused, or when files were
    // too recent to trust and a later save lets the next run trust them.
    const unused = this.used.size !== this.rows.size || [...this.used.values()].some((u) => typeof u !== 'string');
    if (!this.dirty && !unused && !this.racy) return;
    const rows = new Map<string, Row<E>>();
    const extra = new Map<string, E>();
    for (const [path, u] of this.used) {
      for (const hash of typeof u === 'string' ? [u] : u) {
        const old = this.rows.get(path);
        const e = this.lookup(path, hash)!;
        const learnt = this.stats.get(path);
        const st: [number, number, number, number, string] | undefined = learnt
          ? [learnt[0].size, learnt[0].mtimeMs, learnt[0].ctimeMs, learnt[0].ino, learnt[1]]
          : old && old.length === 6
            ? [old[2], old[3], old[4], old[5], old[0]]
            : undefined;
        if (rows.has(path) && !(st && st[4] === hash)) {
          extra.set(`${path}\0${hash}`, e);
          continue;
        }
        const prev = rows.get(path);
        if (prev) extra.set(`${path}\0${prev[0]}`, prev[1]);
        rows.set(path, st && st[4] === hash ? [hash, e, st[0], st[1], st[2], st[3]] : [hash, e]);
      }
    }
    writeCacheFile(this.dir, FILE, serialize({ v: 7, salt: this.salt, at: now, rows, extra }));
  }
}

/**
 * <git dir>/tracks: this work tree's own git directory, as git names it (in a
 * linked work tree or a submodule `.git` is a file); undefined outside git or
 * with TRACKS_NO_CACHE set. A repository root below the work tree's top (a
 * tracks.config.yaml in a sub-directory) gets a directory of its own in it,
 * so two roots in one work tree do not evict each other's cache.
 */
export function cacheDir(git: { gitDir: string; top: string } | undefined, root: string, env: Record<string, string | undefined>): string | undefined {
  if (env.TRACKS_NO_CACHE || !git) return undefined;
  const base = join(git.gitDir, 'tracks');
  if (resolve(root) === resolve(git.top)) return base;
  return join(base, 'roots', createHash('sha1').update(resolve(root)).digest('hex').slice(0, 12));
}

/**
 * The answer of the last whole run, keyed by a fingerprint of every input
 * (paths with their stat, or blob ids from the index; config; tool build;
 * options). When nothing changed, `check` is a directory listing and a stat of
 * each file. Files changed within RACY_MS of the saved run force a real run.
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
  /** What was saved with the diagnostics (check's work-order counts), undefined in a memo saved without it. */
  get counts(): unknown {
    return this.data?.counts;
  }
  save(fp: string, diagnostics: Diagnostic[], counts?: unknown, now = Date.now()) {
    if (!this.dir) return;
    writeCacheFile(this.dir, this.file, JSON.stringify({ v: 2, fp, at: now, diagnostics, counts }));
  }
}

export function fingerprint(parts: string[]): string {
  const h = createHash('sha1');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex');
}
