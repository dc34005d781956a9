/**
 * The repository across its trees: the track files (and, when asked, the
 * work orders) of every local branch and every other work tree, read from
 * git's object database without checking anything out. Claims, new track
 * numbers and `doctor` look here, so two branches cannot take one number or
 * one track without someone being told.
 *
 * Other work trees are read at their HEAD commit (a detached HEAD is not on
 * any branch) plus the names of the track files in their directory, so a
 * track created there with --no-commit still holds its number.
 */
import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Config, Repo, Track, WorkOrder } from '../model/types.js';
import { parseTrackFile, parseWorkOrderFile } from '../parse/source-file.js';
import { parseTrackFileName } from '../parse/entities.js';
import { workOrderDirs } from '../core/layout.js';
import { toPosix } from '../core/paths.js';
import { currentBranch, filesInDir, listBranches, listWorktrees, readBlobsById, type Branch, type Worktree } from '../git/trees.js';
import type { RepoLocation } from '../git/location.js';

/** Where a version of a file was seen. */
export interface TreeSource {
  kind: 'here' | 'branch' | 'worktree';
  /** A branch name, a work tree's path, or "the work tree" for here. */
  name: string;
  commit?: string;
}

export interface SeenTrack {
  source: TreeSource;
  track: Track;
}

export interface SeenName {
  source: TreeSource;
  path: string;
  number: number;
  type: string;
  slug: string;
}

export interface SeenWorkOrder {
  source: TreeSource;
  workOrder: WorkOrder;
}

export interface Across {
  /** The current work tree's branch (undefined when detached). */
  branch: string | undefined;
  branches: Branch[];
  worktrees: Worktree[];
  /** This work tree, first, then every branch and every other work tree. */
  sources: TreeSource[];
  /** Every track file name seen anywhere (numbers, slugs). */
  names: SeenName[];
  /** Parsed track files (with `tracks: 'parsed'`), one per source and path. */
  tracks: SeenTrack[];
  /** Parsed work orders (with `workOrders: true`). */
  workOrders: SeenWorkOrder[];
}

export interface AcrossOptions {
  /** Parse the track files (claims, doctor), or only list their names (numbers). */
  tracks: 'names' | 'parsed';
  workOrders?: boolean;
}

const HERE: TreeSource = { kind: 'here', name: 'the work tree' };

function nameOf(source: TreeSource, path: string): SeenName | undefined {
  const p = parseTrackFileName(path.slice(path.lastIndexOf('/') + 1));
  return p ? { source, path, ...p } : undefined;
}

/** Reads the repository's other trees; `repo` is this work tree as loaded. */
export async function readAcross(g: RepoLocation & { root: string }, repo: Repo, opts: AcrossOptions): Promise<Across> {
  const config: Config = repo.config;
  const prefix = toPosix(relative(g.top, g.root));
  const fromTop = (p: string) => (prefix ? `${prefix}/${p}` : p).replace(/\/+$/, '');
  const [branch, branches, worktrees] = await Promise.all([currentBranch(g.top), listBranches(g.top), listWorktrees(g.top)]);
  const here = resolve(g.top);
  const sources: TreeSource[] = [HERE];
  const commits: { source: TreeSource; commit: string }[] = [];
  for (const b of branches) {
    const s: TreeSource = { kind: 'branch', name: b.name, commit: b.commit };
    sources.push(s);
    commits.push({ source: s, commit: b.commit });
  }
  const others = worktrees.filter((w) => !w.bare && !w.prunable && resolve(w.path) !== here);
  const names: SeenName[] = [];
  for (const w of others) {
    const s: TreeSource = { kind: 'worktree', name: w.path, ...(w.head ? { commit: w.head } : {}) };
    sources.push(s);
    // A detached HEAD is on no branch: read its commit too.
    if (w.head && !w.branch) commits.push({ source: s, commit: w.head });
    try {
      for (const f of readdirSync(join(w.path, prefix, config.tracksDir))) {
        const n = nameOf(s, `${config.tracksDir.replace(/\/+$/, '')}/${f}`);
        if (n) names.push(n);
      }
    } catch {
      // no tracks directory there (yet)
    }
  }
  for (const t of repo.tracks) {
    const n = nameOf(HERE, t.path);
    if (n) names.push(n);
  }
  const tracksDir = config.tracksDir.replace(/\/+$/, '');
  const trackLists = await filesInDir(g.top, commits.map((c) => c.commit), fromTop(tracksDir));
  const wanted: { source: TreeSource; path: string; blob: string; kind: 'track' | 'wo' }[] = [];
  commits.forEach((c, i) => {
    for (const f of trackLists[i]!) {
      const path = `${tracksDir}/${f.name}`;
      const n = nameOf(c.source, path);
      if (!n) continue;
      names.push(n);
      if (opts.tracks === 'parsed') wanted.push({ source: c.source, path, blob: f.blob, kind: 'track' });
    }
  });
  if (opts.workOrders) {
    for (const dir of workOrderDirs(config)) {
      const d = dir.replace(/\/+$/, '');
      const lists = await filesInDir(g.top, commits.map((c) => c.commit), fromTop(d));
      commits.forEach((c, i) => {
        for (const f of lists[i]!) {
          if (!f.name.endsWith('.md') || f.name.toLowerCase() === 'readme.md') continue;
          wanted.push({ source: c.source, path: d === '.' || d === '' ? f.name : `${d}/${f.name}`, blob: f.blob, kind: 'wo' });
        }
      });
    }
  }
  const blobs = await readBlobsById(g.top, wanted.map((w) => w.blob));
  // One parse per distinct file version: most branches share most files.
  const parsedTracks = new Map<string, Track>();
  const parsedWos = new Map<string, WorkOrder>();
  const tracks: SeenTrack[] = opts.tracks === 'parsed' ? repo.tracks.map((track) => ({ source: HERE, track })) : [];
  const workOrders: SeenWorkOrder[] = opts.workOrders ? repo.workOrders.map((workOrder) => ({ source: HERE, workOrder })) : [];
  for (const w of wanted) {
    const bytes = blobs.get(w.blob);
    if (!bytes) continue;
    const key = `${w.path}\0${w.blob}`;
    if (w.kind === 'track') {
      let t = parsedTracks.get(key);
      if (!t) parsedTracks.set(key, (t = parseTrackFile({ path: w.path, hash: w.blob, bytes })));
      tracks.push({ source: w.source, track: t });
    } else {
      let wo = parsedWos.get(key);
      if (!wo) parsedWos.set(key, (wo = parseWorkOrderFile({ path: w.path, hash: w.blob, bytes }, config)));
      workOrders.push({ source: w.source, workOrder: wo });
    }
  }
  return { branch, branches, worktrees, sources, names, tracks, workOrders };
}

/** Every track number taken anywhere in the repository. */
export function takenNumbers(a: Pick<Across, 'names'>): number[] {
  return [...new Set(a.names.map((n) => n.number))].sort((x, y) => x - y);
}

/** How a source is named in messages: "branch tracks/auth", "work tree ../repo-auth". */
export function describeSource(s: TreeSource, cwd?: string): string {
  if (s.kind === 'here') return 'this work tree';
  if (s.kind === 'branch') return `branch ${s.name}`;
  const rel = cwd ? relative(cwd, s.name) : s.name;
  return `work tree ${rel && !rel.startsWith('..') ? rel : s.name}`;
}
