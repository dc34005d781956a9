/**
 * Loads a repository (config, work orders, tracks) from the work tree (fs
 * adapter) or the index or a commit (git adapter), for every command. With a
 * cache directory, a work order whose stat (or, from git, blob id) is known is
 * not read at all: its WorkOrder comes from the per-file cache, and the rest
 * of its front matter is read only if a command asks for it.
 */
import { lstatSync } from 'node:fs';
import { join, posix } from 'node:path';
import { CONFIG_FILE, DEFAULT_CONFIG, parseConfig } from '../config/config.js';
import type { Config, Diagnostic, Repo, Track, WorkOrder } from '../model/types.js';
import { decode } from '../parse/document.js';
import { parseTrackFile, parseWorkOrderDoc, parseWorkOrderFile } from '../parse/source-file.js';
import { workOrderDiagnostics } from '../validate/files.js';
import { badName, linkDiagnostic, listMarkdown, MAX_FILE_BYTES, notRegular, readChecked, readOne, tooLarge, type SourceFile } from '../fs/source.js';
import { FileCache, fileStat, fingerprint, readCacheFile, writeCacheFile, type FileStat } from '../fs/cache.js';
import { blobSizes, listIndexMarkdown, listTreeMarkdown, readBlobs, readBlobSync, readIndexFile, type IndexEntry } from '../git/staged.js';
import { recordDiagnostics, recordFormat, type WorkOrderRecord } from './record.js';
import { BUILD_ID, VERSION } from '../version.js';

/** Bump when WorkOrderRecord or what goes into it (per-file rules, parsing) changes shape. */
export const CACHE_FORMAT = 6;

export interface LoadOptions {
  /** Read what is staged in the git index instead of the work tree. */
  staged?: boolean;
  /** Read a commit's tree (e.g. HEAD) instead of the work tree. */
  rev?: string;
  /** Where the cache lives (<git dir>/tracks); none: every file is read and parsed. */
  cacheDir?: string;
}

/**
 * A file known by path, whose content is read on demand: bytes are never all
 * held at once (50,000 work orders are ~250 MB of text), and a cache hit never
 * reads the file at all.
 */
export interface FileRef {
  path: string;
  /** Blob id when known without reading (index); otherwise computed by read(). */
  hash?: string;
  read(): SourceFile | undefined;
  /** Set when read() found a file it does not read (not a regular file, too large): why. */
  problem?: Diagnostic;
}

/** The repository's files, listed but not read. */
export interface Listing {
  root: string;
  /** Read from git (the index or a commit): every file is known by blob id. */
  staged: boolean;
  config: Config;
  configPath: string | undefined;
  configProblems: Diagnostic[];
  workOrderFiles: FileRef[];
  trackFiles: FileRef[];
  /**
   * Entries in the work-order and track directories that are not read (links,
   * FIFOs, sockets, devices, directories; a directory that is itself a link).
   * Files found too large or not regular when read are on their FileRef.
   */
  fileProblems: Diagnostic[];
  /**
   * Work tree with a cache only: each file's stat, null when it is not a
   * regular file. Taken by statListing before anything is read when a cache
   * or memo could use it; on a first run, from each file as it is read.
   */
  stats: Map<string, FileStat | null> | undefined;
  /** Everything besides content that cached records depend on (format, tool build, config). */
  salt: string;
  cache: FileCache<WorkOrderRecord> | undefined;
  /** Fetches the contents of index refs in one batch (no-op for the work tree). */
  prefetch(refs: FileRef[]): Promise<void>;
  /** The file again, for the rest of a cached work order's front matter. */
  reread(path: string, hash: string): SourceFile | undefined;
}

export interface LoadedRepo extends Repo {
  fileProblems: Diagnostic[];
  /** `check`'s per-file diagnostics of one of this repository's work orders (from the cache when it has them). */
  fileDiagnostics(w: WorkOrder): Diagnostic[];
}

export function loadConfigText(text: string | undefined, path: string | undefined) {
  if (text === undefined) return { config: DEFAULT_CONFIG, problems: [] as Diagnostic[] };
  return parseConfig(text, path ?? CONFIG_FILE);
}

/**
 * The config, remembered by its text in the cache directory: reading it takes
 * the `yaml` package, whose loading alone costs more than the rest of a
 * cached run's start.
 */
function configOf(text: string | undefined, dir: string | undefined, issue?: Diagnostic): { config: Config; problems: Diagnostic[] } {
  if (issue) return { config: DEFAULT_CONFIG, problems: [issue] };
  if (text === undefined || dir === undefined) return loadConfigText(text, CONFIG_FILE);
  const build = `${CACHE_FORMAT}:${VERSION}:${BUILD_ID}`;
  const saved = readCacheFile(join(dir, 'config.json'));
  if (saved !== undefined) {
    try {
      const m = JSON.parse(saved) as { build: string; text: string; config: Config; problems: Diagnostic[] };
      if (m.build === build && m.text === text) return { config: m.config, problems: m.problems };
    } catch {
      // rebuilt below
    }
  }
  const r = loadConfigText(text, CONFIG_FILE);
  writeCacheFile(dir, 'config.json', JSON.stringify({ build, text, config: r.config, problems: r.problems }));
  return r;
}

/** Lists the repository's files (with their stat when there is a cache); contents are read lazily. */
export async function listRepo(root: string, opts: LoadOptions = {}): Promise<Listing> {
  const saltOf = (config: Config) => `${CACHE_FORMAT}:${VERSION}:${BUILD_ID}:${JSON.stringify(config)}`;
  if (opts.staged || opts.rev) {
    // The config decides the directories, so read it first from the index (or the commit) too.
    const configFile = await readIndexFile(root, CONFIG_FILE, opts.rev, MAX_FILE_BYTES);
    const configIssue = configFile && indexProblem(configFile, configFile.size, configFile.bytes);
    const configText = configFile && !configIssue ? decode(configFile.bytes, CONFIG_FILE, []) : undefined;
    const { config, problems } = configOf(configText, opts.cacheDir, configIssue);
    const blobs = new Map<string, Uint8Array>();
    const oversized = new Map<string, number>();
    const ref = (e: { path: string; hash: string }): FileRef => {
      const r: FileRef = {
        path: e.path,
        hash: e.hash,
        read: () => {
          const size = oversized.get(e.hash);
          if (size !== undefined) {
            r.problem = tooLarge(e.path, size, MAX_FILE_BYTES);
            return undefined;
          }
          const bytes = blobs.get(e.hash);
          if (!bytes) throw new Error(`blob ${e.hash} of ${e.path} was not fetched`);
          return { path: e.path, hash: e.hash, bytes };
        },
      };
      return r;
    };
    const list = (dirs: string[]) => (opts.rev ? listTreeMarkdown(root, opts.rev, dirs) : listIndexMarkdown(root, dirs));
    const [wos, tracks] = await Promise.all([list(config.workOrderDirs.map((d) => d.path)), list([config.tracksDir])]);
    // Links and submodules are never read as files; a link's target decides only what is said about it.
    const odd = [...wos, ...tracks].filter((e) => (e.mode !== '100644' && e.mode !== '100755') || e.badName);
    const targets = await readBlobs(root, odd.filter((e) => e.mode === '120000').map((e) => e.hash));
    const fileProblems = odd.map((e) => indexProblem(e, 0, targets.get(e.hash))!);
    const regular = (l: IndexEntry[]) => l.filter((e) => (e.mode === '100644' || e.mode === '100755') && !e.badName).map(ref);
    const salt = saltOf(config);
    return {
      root,
      staged: true,
      config,
      configPath: configFile ? CONFIG_FILE : undefined,
      configProblems: problems,
      workOrderFiles: regular(wos),
      trackFiles: regular(tracks),
      fileProblems,
      stats: undefined,
      salt,
      cache: opts.cacheDir ? new FileCache(opts.cacheDir, salt) : undefined,
      prefetch: async (refs) => {
        let want = [...new Set(refs.map((r) => r.hash!).filter((h) => !blobs.has(h) && !oversized.has(h)))];
        if (!want.length) return;
        // Sizes first, so a huge staged blob is refused without being read.
        const sizes = await blobSizes(root, want);
        for (const [h, n] of sizes) if (n > MAX_FILE_BYTES) oversized.set(h, n);
        want = want.filter((h) => !oversized.has(h));
        for (const [h, b] of await readBlobs(root, want)) blobs.set(h, b);
      },
      reread: (path, hash) => {
        const bytes = blobs.get(hash) ?? readBlobSync(root, hash);
        return bytes && { path, hash, bytes };
      },
    };
  }
  // The config is held to the same rules as every other file: a link, a FIFO
  // or a huge file is a config error, never followed, waited on or read whole.
  const configRead = readChecked(root, CONFIG_FILE);
  const configText = configRead && 'file' in configRead ? decode(configRead.file.bytes, CONFIG_FILE, []) : undefined;
  const { config, problems } = configOf(configText, opts.cacheDir, configRead && 'problem' in configRead ? configRead.problem : undefined);
  const ref = (path: string): FileRef => new WorkTreeRef(root, path);
  const wos = config.workOrderDirs.map((d) => listMarkdown(root, d.path));
  const tracks = listMarkdown(root, config.tracksDir);
  const salt = saltOf(config);
  return {
    root,
    staged: false,
    config,
    configPath: configRead === undefined ? undefined : CONFIG_FILE,
    configProblems: problems,
    workOrderFiles: wos.flatMap((l) => l.files).map(ref),
    trackFiles: tracks.files.map(ref),
    fileProblems: [...wos.flatMap((l) => l.problems), ...tracks.problems],
    stats: undefined,
    salt,
    cache: opts.cacheDir ? new FileCache(opts.cacheDir, salt) : undefined,
    prefetch: async () => {},
    reread: (path) => readOne(root, path),
  };
}

/** A work-tree file, read on demand (a class: a closure per file costs 10,000 contexts on a big repository). */
class WorkTreeRef implements FileRef {
  problem?: Diagnostic;
  constructor(
    private readonly root: string,
    readonly path: string,
  ) {}
  read(): SourceFile | undefined {
    const got = readChecked(this.root, this.path);
    if (got && 'problem' in got) this.problem = got.problem;
    return got && 'file' in got ? got.file : undefined;
  }
}

/** What is wrong with a staged entry that is not a regular file within the size limit (undefined: nothing). */
function indexProblem(e: { path: string; mode: string; badName?: boolean }, size: number, linkTarget?: Uint8Array): Diagnostic | undefined {
  if (e.badName) return badName(e.path);
  if (e.mode === '120000') {
    const target = Buffer.from(linkTarget ?? new Uint8Array()).toString('utf8');
    const resolved = posix.normalize(posix.join(posix.dirname(e.path), target));
    const d = linkDiagnostic(e.path, target, target.startsWith('/') || resolved === '..' || resolved.startsWith('../'));
    return e.path.endsWith('.md') ? d : { ...d, message: `${d.message} (nothing under it is read)` };
  }
  if (e.mode === '160000') return notRegular(e.path, 'a submodule');
  if (e.mode !== '100644' && e.mode !== '100755') return notRegular(e.path, `git mode ${e.mode}`);
  if (size > MAX_FILE_BYTES) return tooLarge(e.path, size, MAX_FILE_BYTES);
  return undefined;
}

/**
 * A fingerprint of everything a whole run reads (tool build, config, each
 * file by blob id or by stat) plus `extra` (options), and the newest change
 * among the files: a run memo answers only when the fingerprint matches and
 * that change is older than the memo's racy window. Undefined when some file
 * cannot be known by its stat (a link, anything but a regular file).
 */
export function runFingerprint(listing: Listing, extra: string[]): { fp: string; newest: number } | undefined {
  // files the listing does not read (links, FIFOs) are inputs too: what is said about them
  const parts = [listing.salt, JSON.stringify(listing.configProblems), JSON.stringify(listing.fileProblems), ...extra];
  let newest = 0;
  for (const r of [...listing.workOrderFiles, ...listing.trackFiles]) {
    if (r.hash !== undefined) {
      parts.push(`${r.path}:${r.hash}`);
      continue;
    }
    const st = listing.stats?.get(r.path);
    if (!st) return undefined;
    parts.push(`${r.path}:${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}`);
    newest = Math.max(newest, st.mtimeMs, st.ctimeMs);
  }
  return { fp: fingerprint(parts), newest };
}

/**
 * lstat of every work-tree file, before any is read: a link or anything but a
 * regular file gets no shortcut (null). Nothing for the index or a commit.
 */
export function statListing(listing: Listing): void {
  if (listing.staged || listing.stats) return;
  const out = new Map<string, FileStat | null>();
  for (const r of [...listing.workOrderFiles, ...listing.trackFiles]) {
    // concatenation, not join(): the paths are already normal, and join() cost 30 ms per 10,000 files
    const st = lstatSync(`${listing.root}/${r.path}`, { throwIfNoEntry: false });
    out.set(r.path, st && st.isFile() ? fileStat(st) : null);
  }
  listing.stats = out;
}

export { parseTrackFile, parseWorkOrderFile };

/**
 * Reads and parses what the cache does not know, and saves the cache. Work
 * orders from the cache and freshly parsed ones are the same values; without
 * a cache every file is parsed whole (the reference the cache is tested against).
 */
export async function loadListed(listing: Listing, opts: { compact?: boolean } = {}): Promise<LoadedRepo> {
  const { config } = listing;
  // Without a cache directory, `compact` still keeps work orders as records (in memory only):
  // check holds 50,000 of them at once, and whole parsed front matter is ten times bigger.
  const cache = listing.cache ?? (opts.compact ? new FileCache<WorkOrderRecord>(undefined, listing.salt) : undefined);
  const tracks: Track[] = [];
  const workOrders: WorkOrder[] = [];
  const records = new Map<WorkOrder, WorkOrderRecord>();
  // With a cache file to compare against, stat every work-tree file first; on a
  // first run there is nothing to compare, and each file's stat comes with its bytes.
  if (cache && cache.present()) statListing(listing);
  const learnt = listing.cache && !listing.staged && !listing.stats ? (listing.stats = new Map<string, FileStat | null>()) : undefined;
  const read = (r: FileRef) => {
    const f = r.read();
    if (f && learnt) learnt.set(r.path, f.stat ?? null);
    return f;
  };

  if (!cache) {
    await listing.prefetch([...listing.workOrderFiles, ...listing.trackFiles]);
    for (const r of listing.workOrderFiles) {
      const f = r.read();
      if (f) workOrders.push(parseWorkOrderFile(f, config));
    }
  } else {
    const format = recordFormat(config);
    const reread = (path: string, hash: string) => {
      const f = listing.reread(path, hash);
      return f && parseWorkOrderFile(f, config);
    };
    // Work-tree files whose stat matches the cache get their blob id without being read.
    const known = listing.workOrderFiles.map((r) => {
      let hash = r.hash;
      if (hash === undefined) {
        const st = listing.stats?.get(r.path);
        hash = st ? cache.hashFromStat(r.path, st) : undefined;
      }
      return hash === undefined ? undefined : { hash, rec: cache.get(r.path, hash) };
    });
    // From the index, fetch only the blobs the cache does not know.
    if (listing.staged) await listing.prefetch([...listing.trackFiles, ...listing.workOrderFiles.filter((_, i) => !known[i]?.rec)]);
    listing.workOrderFiles.forEach((r, i) => {
      let hash = known[i]?.hash;
      let rec = known[i]?.rec;
      if (!rec) {
        const f = read(r);
        if (!f) return; // vanished since it was listed
        hash = f.hash;
        const st = listing.stats?.get(r.path);
        if (st && f.bytes.byteLength === st.size) cache.rememberStat(r.path, st, hash);
        rec = cache.get(r.path, hash);
        if (!rec) {
          // the record is made from the document: the WorkOrder comes from the record, as for a cached file
          const doc = parseWorkOrderDoc(f);
          rec = format.toRecord(doc, workOrderDiagnostics(doc, config));
          cache.set(r.path, hash, rec);
        }
      }
      const wo = format.fromRecord(r.path, hash!, rec, reread);
      records.set(wo, rec);
      workOrders.push(wo);
    });
  }
  for (const r of listing.trackFiles) {
    const f = read(r);
    if (f) tracks.push(parseTrackFile(f));
  }
  cache?.save();
  return {
    root: listing.root,
    config,
    configPath: listing.configPath,
    configProblems: listing.configProblems,
    workOrders,
    tracks,
    fileProblems: skippedFiles(listing),
    fileDiagnostics: (w) => {
      const rec = records.get(w);
      return rec ? recordDiagnostics(w.path, rec) : workOrderDiagnostics(w, config);
    },
  };
}

/** Every file of the repository that was not read, and why: listing problems, then read problems. Call after reading. */
export function skippedFiles(listing: Pick<Listing, 'fileProblems' | 'workOrderFiles' | 'trackFiles'>): Diagnostic[] {
  return [...listing.fileProblems, ...[...listing.workOrderFiles, ...listing.trackFiles].flatMap((r) => (r.problem ? [r.problem] : []))];
}

/** The whole repository as values. */
export async function loadRepo(root: string, opts: LoadOptions = {}): Promise<LoadedRepo> {
  return loadListed(await listRepo(root, opts));
}
