/** Loads a repository (config, work orders, tracks) from the work tree (fs adapter) or the index (git adapter). */
import { posix } from 'node:path';
import { CONFIG_FILE, DEFAULT_CONFIG, parseConfig } from '../config/config.js';
import type { Config, Diagnostic, Repo } from '../model/types.js';
import { decode } from '../parse/document.js';
import { badName, linkDiagnostic, listMarkdown, MAX_FILE_BYTES, notRegular, readChecked, tooLarge, type SourceFile } from '../fs/source.js';
import { blobSizes, listIndexMarkdown, listTreeMarkdown, readBlobs, readIndexFile, type IndexEntry } from '../git/staged.js';

export interface LoadOptions {
  /** Read what is staged in the git index instead of the work tree. */
  staged?: boolean;
  /** Read a commit's tree (e.g. HEAD) instead of the work tree. */
  rev?: string;
}

/**
 * A file known by path, whose content is read on demand: bytes are never all
 * held at once (50,000 work orders are ~250 MB of text), and a cache hit on the
 * index path never reads the blob at all.
 */
export interface FileRef {
  path: string;
  /** Blob id when known without reading (index); otherwise computed by read(). */
  hash?: string;
  read(): SourceFile | undefined;
  /** Set when read() found a file it does not read (not a regular file, too large): why. */
  problem?: Diagnostic;
}

export interface RawRepo {
  root: string;
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
  /** Fetches the contents of index refs in one batch (no-op for the work tree). */
  prefetch(refs: FileRef[]): Promise<void>;
}

export function loadConfigText(text: string | undefined, path: string | undefined) {
  if (text === undefined) return { config: DEFAULT_CONFIG, problems: [] as Diagnostic[] };
  return parseConfig(text, path ?? CONFIG_FILE);
}

/** Lists the repository's files; contents are read lazily through the refs. */
export async function readRepoFiles(root: string, opts: LoadOptions = {}): Promise<RawRepo> {
  if (opts.staged || opts.rev) {
    // The config decides the directories, so read it first from the index (or the commit) too.
    const configFile = await readIndexFile(root, CONFIG_FILE, opts.rev, MAX_FILE_BYTES);
    const configIssue = configFile && indexProblem(configFile, configFile.size, configFile.bytes);
    const configText = configFile && !configIssue ? decode(configFile.bytes, CONFIG_FILE, []) : undefined;
    const { config, problems } = configIssue ? { config: DEFAULT_CONFIG, problems: [configIssue] } : loadConfigText(configText, CONFIG_FILE);
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
    return {
      root,
      config,
      configPath: configFile ? CONFIG_FILE : undefined,
      configProblems: problems,
      workOrderFiles: regular(wos),
      trackFiles: regular(tracks),
      fileProblems,
      prefetch: async (refs) => {
        let want = [...new Set(refs.map((r) => r.hash!).filter((h) => !blobs.has(h) && !oversized.has(h)))];
        if (!want.length) return;
        // Sizes first, so a huge staged blob is refused without being read.
        const sizes = await blobSizes(root, want);
        for (const [h, n] of sizes) if (n > MAX_FILE_BYTES) oversized.set(h, n);
        want = want.filter((h) => !oversized.has(h));
        for (const [h, b] of await readBlobs(root, want)) blobs.set(h, b);
      },
    };
  }
  // The config is held to the same rules as every other file: a link, a FIFO
  // or a huge file is a config error, never followed, waited on or read whole.
  const configRead = readChecked(root, CONFIG_FILE);
  const configText = configRead && 'file' in configRead ? decode(configRead.file.bytes, CONFIG_FILE, []) : undefined;
  const { config, problems } = configRead && 'problem' in configRead ? { config: DEFAULT_CONFIG, problems: [configRead.problem] } : loadConfigText(configText, CONFIG_FILE);
  const ref = (path: string): FileRef => {
    const r: FileRef = {
      path,
      read: () => {
        const got = readChecked(root, path);
        if (got && 'problem' in got) r.problem = got.problem;
        return got && 'file' in got ? got.file : undefined;
      },
    };
    return r;
  };
  const wos = config.workOrderDirs.map((d) => listMarkdown(root, d.path));
  const tracks = listMarkdown(root, config.tracksDir);
  return {
    root,
    config,
    configPath: configRead === undefined ? undefined : CONFIG_FILE,
    configProblems: problems,
    workOrderFiles: wos.flatMap((l) => l.files).map(ref),
    trackFiles: tracks.files.map(ref),
    fileProblems: [...wos.flatMap((l) => l.problems), ...tracks.problems],
    prefetch: async () => {},
  };
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

export { parseTrackFile, parseWorkOrderFile } from '../parse/source-file.js';
import { parseTrackFile, parseWorkOrderFile } from '../parse/source-file.js';

/** The whole repository as values. */
export async function loadRepo(root: string, opts: LoadOptions = {}): Promise<Repo> {
  const raw = await readRepoFiles(root, opts);
  await raw.prefetch([...raw.workOrderFiles, ...raw.trackFiles]);
  const parseAll = <T>(refs: FileRef[], parse: (f: SourceFile) => T): T[] => {
    const out: T[] = [];
    for (const r of refs) {
      const f = r.read();
      if (f) out.push(parse(f));
    }
    return out;
  };
  return {
    root,
    config: raw.config,
    configPath: raw.configPath,
    configProblems: raw.configProblems,
    workOrders: parseAll(raw.workOrderFiles, (f) => parseWorkOrderFile(f, raw.config)),
    tracks: parseAll(raw.trackFiles, parseTrackFile),
    fileProblems: skippedFiles(raw),
  };
}

/** Every file of the repository that was not read, and why: listing problems, then read problems. Call after reading. */
export function skippedFiles(raw: RawRepo): Diagnostic[] {
  return [...raw.fileProblems, ...[...raw.workOrderFiles, ...raw.trackFiles].flatMap((r) => (r.problem ? [r.problem] : []))];
}
