/** What is staged in the git index (`check --staged`, the pre-commit hook): paths, blob ids, and blob contents. */
import { isUtf8 } from 'node:buffer';
import { catFileBatch, gitBytes } from './exec.js';
import { toPosix } from '../core/paths.js';

export interface StagedFile {
  path: string;
  hash: string;
  bytes: Uint8Array;
}

/** A staged entry: its git mode says what it is (100644/100755 a file, 120000 a symbolic link, 160000 a submodule). */
export interface IndexEntry {
  path: string;
  hash: string;
  mode: string;
  /** The path's bytes are not UTF-8 (`path` is then a lossy rendering of them). */
  badName?: boolean;
}

/** NUL-separated records, as bytes: a path that is not UTF-8 must stay recognisable as such. */
function* records(out: Buffer): Generator<Buffer> {
  for (let at = 0; at < out.length; ) {
    let end = out.indexOf(0, at);
    if (end === -1) end = out.length;
    if (end > at) yield out.subarray(at, end);
    at = end + 1;
  }
}

/** Staged (index) entries under the given paths, of every kind (no conflicts). */
export async function listIndexEntries(root: string, paths: string[]): Promise<IndexEntry[]> {
  const out = await gitBytes(root, ['ls-files', '-s', '-z', '--', ...paths]);
  const entries: IndexEntry[] = [];
  for (const rec of records(out)) {
    // "<mode> <blob> <stage>\t<path>"
    const tab = rec.indexOf(9);
    const [mode, blob, stage] = rec.subarray(0, tab).toString('latin1').split(' ');
    if (stage !== '0') continue;
    const name = rec.subarray(tab + 1);
    entries.push({ path: name.toString('utf8'), hash: blob!, mode: mode!, ...(isUtf8(name) ? {} : { badName: true }) });
  }
  return entries;
}

/** Staged (index) entries under the given paths: path → blob id (regular files and links; no submodules, no conflicts). */
export async function listIndex(root: string, paths: string[]): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  for (const e of await listIndexEntries(root, paths)) if (e.mode !== '160000') map.set(e.path, e.hash);
  return map;
}

/** Blob sizes without their contents (`git cat-file --batch-check`), to refuse oversized blobs before reading them. */
export async function blobSizes(root: string, ids: string[]): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  if (!ids.length) return sizes;
  const out = await gitBytes(root, ['cat-file', '--batch-check'], { input: ids.join('\n') + '\n' });
  for (const line of out.toString('utf8').split('\n')) {
    const [id, type, size] = line.split(' ');
    if (id && type !== 'missing' && size !== undefined) sizes.set(id, Number(size));
  }
  return sizes;
}

/** Reads many blobs with one `git cat-file --batch`. */
export function readBlobs(root: string, ids: string[]): Promise<Map<string, Uint8Array>> {
  return catFileBatch(root, ids);
}

/**
 * Markdown entries staged directly inside `dirs` (files, links and submodules:
 * the mode says which), no content yet; and a directory of `dirs` that is
 * itself staged as a link, so that can be said rather than read as empty.
 */
export async function listIndexMarkdown(root: string, dirs: string[]): Promise<IndexEntry[]> {
  return markdownIn(await listIndexEntries(root, dirs), dirs);
}

function markdownIn(entries: IndexEntry[], dirs: string[]): IndexEntry[] {
  const out: IndexEntry[] = [];
  for (const e of [...entries].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    const { path } = e;
    if (e.mode === '120000' && dirs.some((d) => toPosix(d).replace(/\/$/, '') === path)) {
      out.push(e);
      continue;
    }
    const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '.';
    const name = path.slice(path.lastIndexOf('/') + 1);
    if (!name.endsWith('.md') || name.toLowerCase() === 'readme.md') continue;
    if (!dirs.some((d) => (toPosix(d).replace(/\/$/, '') || '.') === dir)) continue;
    out.push(e);
  }
  return out;
}

/**
 * One staged file (or, with `rev`, a file of that commit), if it is there,
 * with its mode (a link's content is its target). Past `max` bytes its
 * content is not fetched: `size` says how big it is.
 */
export async function readIndexFile(root: string, path: string, rev?: string, max = Infinity): Promise<(StagedFile & { mode: string; size: number }) | undefined> {
  const entry = (rev ? await listTreeEntries(root, rev, [path]) : await listIndexEntries(root, [path])).find((e) => e.path === path);
  if (!entry || entry.mode === '160000') return undefined;
  if (max !== Infinity) {
    const size = (await blobSizes(root, [entry.hash])).get(entry.hash) ?? 0;
    if (size > max) return { path, hash: entry.hash, mode: entry.mode, size, bytes: new Uint8Array() };
  }
  const bytes = (await readBlobs(root, [entry.hash])).get(entry.hash) ?? new Uint8Array();
  return { path, hash: entry.hash, mode: entry.mode, size: bytes.byteLength, bytes };
}

/** Entries of a commit's tree under the given paths (relative to `root`), of every kind, as the index lists them. */
export async function listTreeEntries(root: string, rev: string, paths: string[]): Promise<IndexEntry[]> {
  const out = await gitBytes(root, ['ls-tree', '-r', '-z', rev, '--', ...paths]);
  const entries: IndexEntry[] = [];
  for (const rec of records(out)) {
    // "<mode> <type> <blob>\t<path>"
    const tab = rec.indexOf(9);
    const [mode, , blob] = rec.subarray(0, tab).toString('latin1').split(' ');
    const name = rec.subarray(tab + 1);
    entries.push({ path: name.toString('utf8'), hash: blob!, mode: mode!, ...(isUtf8(name) ? {} : { badName: true }) });
  }
  return entries;
}

/** Entries of a commit's tree under the given paths: path → blob id (regular files and links; no submodules). */
export async function listTree(root: string, rev: string, paths: string[]): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  for (const e of await listTreeEntries(root, rev, paths)) if (e.mode !== '160000') map.set(e.path, e.hash);
  return map;
}

/** Markdown entries directly inside `dirs` in a commit (files, links and submodules: the mode says which). */
export async function listTreeMarkdown(root: string, rev: string, dirs: string[]): Promise<IndexEntry[]> {
  return markdownIn(await listTreeEntries(root, rev, dirs), dirs);
}

/** Paths (relative to `root`) whose staged content differs from HEAD, deletions included; every staged path on an unborn branch. */
export async function stagedChanges(root: string): Promise<Set<string>> {
  const out = await gitBytes(root, ['diff', '--cached', '--name-only', '-z', '--no-renames', '--relative']);
  return new Set(out.toString('utf8').split('\0').filter(Boolean));
}

/** Whether HEAD names a commit (false on an unborn branch). */
export async function hasHead(root: string): Promise<boolean> {
  try {
    await gitBytes(root, ['rev-parse', '--verify', '-q', 'HEAD^{commit}']);
    return true;
  } catch {
    return false;
  }
}
