/**
 * Reading the work tree: repo-relative paths with a git blob id and bytes
 * (the same shape src/git/staged.ts gives for the index).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { toPosix } from '../core/paths.js';

export interface SourceFile {
  /** Repo-relative, forward slashes. */
  path: string;
  /** git blob id of the content. */
  hash: string;
  bytes: Uint8Array;
}

export function blobId(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.byteLength}\0`).update(bytes).digest('hex');
}

export { toPosix };

/**
 * The directory whose tracks.config.yaml governs `cwd`: the nearest one at or
 * above it, never above `stop` (the git work tree's top: a config planted in a
 * parent directory outside the repository is not ours). Undefined when none.
 */
export function findConfigDir(cwd: string, stop: string | undefined): string | undefined {
  let dir = cwd;
  for (;;) {
    if (existsSync(join(dir, 'tracks.config.yaml'))) return dir;
    if (stop !== undefined && dir === stop) return undefined;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** Markdown files directly inside `dir` (sorted; README.md is documentation, not data). */
export function listMarkdown(root: string, dir: string): string[] {
  const abs = join(root, dir);
  let names: string[];
  try {
    names = readdirSync(abs);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return names
    .filter((n) => n.endsWith('.md') && n.toLowerCase() !== 'readme.md')
    .sort()
    .map((n) => (dir === '.' ? n : `${toPosix(dir).replace(/\/$/, '')}/${n}`));
}

/** Reads one work-tree file; undefined when it vanished or is a directory. */
export function readOne(root: string, path: string): SourceFile | undefined {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(join(root, path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EISDIR' || code === 'ENOENT') return undefined;
    throw e;
  }
  return { path, hash: blobId(bytes), bytes };
}

export function relPath(root: string, abs: string): string {
  return toPosix(relative(root, abs));
}
