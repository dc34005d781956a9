/** Loads a repository (config, work orders, tracks) from the work tree (fs adapter) or the index (git adapter). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_FILE, DEFAULT_CONFIG, parseConfig } from '../config/config.js';
import type { Config, Diagnostic, Repo, Track, WorkOrder } from '../model/types.js';
import { decode, readSource } from '../parse/document.js';
import { toTrack, toWorkOrder } from '../parse/entities.js';
import type { FormatConfig } from '../config/fields.js';
import { listMarkdown, readOne, type SourceFile } from '../fs/source.js';
import { listIndexMarkdown, readBlobs, readIndexFile } from '../git/staged.js';

export interface LoadOptions {
  /** Read what is staged in the git index instead of the work tree. */
  staged?: boolean;
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
  if (opts.staged) {
    // The config decides the directories, so read it first from the index too.
    const configFile = await readIndexFile(root, CONFIG_FILE);
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
    const [wos, tracks] = await Promise.all([listIndexMarkdown(root, config.workOrderDirs.map((d) => d.path)), listIndexMarkdown(root, [config.tracksDir])]);
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

export function parseWorkOrderFile(f: SourceFile, config: FormatConfig = DEFAULT_CONFIG): WorkOrder {
  const problems: Diagnostic[] = [];
  const text = decode(f.bytes, f.path, problems);
  const { doc } = readSource(f.path, text, f.hash);
  doc.problems.unshift(...problems);
  return toWorkOrder(doc, config);
}

export function parseTrackFile(f: SourceFile): Track {
  const problems: Diagnostic[] = [];
  const text = decode(f.bytes, f.path, problems);
  const { doc, body } = readSource(f.path, text, f.hash, true);
  doc.problems.unshift(...problems);
  return toTrack(doc, f.path.slice(f.path.lastIndexOf('/') + 1), body);
}

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
