/** Loads a repository (config, work orders, tracks) from the work tree (fs adapter) or the index (git adapter). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_FILE, DEFAULT_CONFIG, parseConfig } from '../config/config.js';
import type { Config, Diagnostic, Repo, Track, WorkOrder } from '../model/types.js';
import { decode } from '../parse/document.js';
import { listMarkdown, readOne, type SourceFile } from '../fs/source.js';
import { listIndexMarkdown, listTreeMarkdown, readBlobs, readIndexFile } from '../git/staged.js';

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
}

export interface RawRepo {
  root: string;
  config: Config;
  configPath: string | undefined;
  configProblems: Diagnostic[];
  workOrderFiles: FileRef[];
  trackFiles: FileRef[];
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
    const configFile = await readIndexFile(root, CONFIG_FILE, opts.rev);
    const configText = configFile ? decode(configFile.bytes, CONFIG_FILE, []) : undefined;
    const { config, problems } = loadConfigText(configText, CONFIG_FILE);
    const blobs = new Map<string, Uint8Array>();
    const ref = (e: { path: string; hash: string }): FileRef => ({
      path: e.path,
      hash: e.hash,
      read: () => {
        const bytes = blobs.get(e.hash);
        if (!bytes) throw new Error(`blob ${e.hash} of ${e.path} was not fetched`);
        return { path: e.path, hash: e.hash, bytes };
      },
    });
    const list = (dirs: string[]) => (opts.rev ? listTreeMarkdown(root, opts.rev, dirs) : listIndexMarkdown(root, dirs));
    const [wos, tracks] = await Promise.all([list(config.workOrderDirs.map((d) => d.path)), list([config.tracksDir])]);
    return {
      root,
      config,
      configPath: configFile ? CONFIG_FILE : undefined,
      configProblems: problems,
      workOrderFiles: wos.map(ref),
      trackFiles: tracks.map(ref),
      prefetch: async (refs) => {
        const want = [...new Set(refs.map((r) => r.hash!).filter((h) => !blobs.has(h)))];
        for (const [h, b] of await readBlobs(root, want)) blobs.set(h, b);
      },
    };
  }
  let configText: string | undefined;
  try {
    configText = decode(readFileSync(join(root, CONFIG_FILE)), CONFIG_FILE, []);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const { config, problems } = loadConfigText(configText, CONFIG_FILE);
  const ref = (path: string): FileRef => ({ path, read: () => readOne(root, path) });
  return {
    root,
    config,
    configPath: configText === undefined ? undefined : CONFIG_FILE,
    configProblems: problems,
    workOrderFiles: config.workOrderDirs.flatMap((d) => listMarkdown(root, d.path)).map(ref),
    trackFiles: listMarkdown(root, config.tracksDir).map(ref),
    prefetch: async () => {},
  };
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
  };
}
