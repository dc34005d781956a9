/** Loads a repository (config, work orders, tracks) from the work tree or the index. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_FILE, DEFAULT_CONFIG, parseConfig } from '../config/config.js';
import type { Config, Diagnostic, Repo, Track, WorkOrder } from '../model/types.js';
import { decode, readSource } from '../parse/document.js';
import { toTrack, toWorkOrder } from '../parse/entities.js';
import { listMarkdown, readIndex, readWorktree, type SourceFile } from './source.js';

export interface LoadOptions {
  /** Read what is staged in the git index instead of the work tree. */
  staged?: boolean;
}

export interface RawRepo {
  root: string;
  config: Config;
  configPath: string | undefined;
  configProblems: Diagnostic[];
  workOrderFiles: SourceFile[];
  trackFiles: SourceFile[];
}

export function loadConfigText(text: string | undefined, path: string | undefined) {
  if (text === undefined) return { config: DEFAULT_CONFIG, problems: [] as Diagnostic[] };
  return parseConfig(text, path ?? CONFIG_FILE);
}

/** Reads bytes only; parsing is left to the caller (so `check` can use its cache). */
export async function readRepoFiles(root: string, opts: LoadOptions = {}): Promise<RawRepo> {
  if (opts.staged) {
    // The config decides the directories, so read it first from the index too.
    const first = await readIndex(root, []);
    const configText = first.config ? decode(first.config.bytes, CONFIG_FILE, []) : undefined;
    const { config, problems } = loadConfigText(configText, CONFIG_FILE);
    const { files } = await readIndex(root, [config.workOrdersDir, config.tracksDir]);
    const inDir = (f: SourceFile, d: string) => f.path.startsWith(d.replace(/\/$/, '') + '/');
    return {
      root,
      config,
      configPath: first.config ? CONFIG_FILE : undefined,
      configProblems: problems,
      workOrderFiles: files.filter((f) => inDir(f, config.workOrdersDir)),
      trackFiles: files.filter((f) => inDir(f, config.tracksDir)),
    };
  }
  let configText: string | undefined;
  try {
    configText = decode(readFileSync(join(root, CONFIG_FILE)), CONFIG_FILE, []);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const { config, problems } = loadConfigText(configText, CONFIG_FILE);
  return {
    root,
    config,
    configPath: configText === undefined ? undefined : CONFIG_FILE,
    configProblems: problems,
    workOrderFiles: readWorktree(root, listMarkdown(root, config.workOrdersDir)),
    trackFiles: readWorktree(root, listMarkdown(root, config.tracksDir)),
  };
}

export function parseWorkOrderFile(f: SourceFile): WorkOrder {
  const problems: Diagnostic[] = [];
  const text = decode(f.bytes, f.path, problems);
  const { doc } = readSource(f.path, text, f.hash);
  doc.problems.unshift(...problems);
  return toWorkOrder(doc);
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
  return {
    root,
    config: raw.config,
    configPath: raw.configPath,
    configProblems: raw.configProblems,
    workOrders: raw.workOrderFiles.map(parseWorkOrderFile),
    tracks: raw.trackFiles.map(parseTrackFile),
  };
}
