/** What is staged in the git index (`check --staged`, the pre-commit hook): paths, blob ids, and blob contents. */
import { catFileBatch, gitBytes } from './exec.js';
import { toPosix } from '../core/paths.js';

export interface StagedFile {
  path: string;
  hash: string;
  bytes: Uint8Array;
}

/** Staged (index) entries under the given paths: path → blob id (regular files and links; no submodules, no conflicts). */
export async function listIndex(root: string, paths: string[]): Promise<Map<string, string>> {
  const out = await gitBytes(root, ['ls-files', '-s', '-z', '--', ...paths]);
  const map = new Map<string, string>();
  for (const rec of out.toString('utf8').split('\0')) {
    if (!rec) continue;
    // "<mode> <blob> <stage>\t<path>"
    const tab = rec.indexOf('\t');
    const [mode, blob, stage] = rec.slice(0, tab).split(' ');
    if (mode === '160000' || stage !== '0') continue;
    map.set(rec.slice(tab + 1), blob!);
  }
  return map;
}

/** Reads many blobs with one `git cat-file --batch`. */
export function readBlobs(root: string, ids: string[]): Promise<Map<string, Uint8Array>> {
  return catFileBatch(root, ids);
}

/** Markdown files staged directly inside `dirs`: path and blob id, no content yet. */
export async function listIndexMarkdown(root: string, dirs: string[]): Promise<{ path: string; hash: string }[]> {
  return markdownIn(await listIndex(root, dirs), dirs);
}

function markdownIn(entries: Map<string, string>, dirs: string[]): { path: string; hash: string }[] {
  const out: { path: string; hash: string }[] = [];
  for (const [path, hash] of [...entries].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '.';
    const name = path.slice(path.lastIndexOf('/') + 1);
    if (!name.endsWith('.md') || name.toLowerCase() === 'readme.md') continue;
    if (!dirs.some((d) => (toPosix(d).replace(/\/$/, '') || '.') === dir)) continue;
    out.push({ path, hash });
  }
  return out;
}

/** One staged file (or, with `rev`, a file of that commit), if it is there. */
export async function readIndexFile(root: string, path: string, rev?: string): Promise<StagedFile | undefined> {
  const entries = rev ? await listTree(root, rev, [path]) : await listIndex(root, [path]);
  const hash = entries.get(path);
  if (!hash) return undefined;
  const blobs = await readBlobs(root, [hash]);
  return { path, hash, bytes: blobs.get(hash) ?? new Uint8Array() };
}

/** Entries of a commit's tree under the given paths (relative to `root`): path → blob id. */
export async function listTree(root: string, rev: string, paths: string[]): Promise<Map<string, string>> {
  const out = await gitBytes(root, ['ls-tree', '-r', '-z', rev, '--', ...paths]);
  const map = new Map<string, string>();
  for (const rec of out.toString('utf8').split('\0')) {
    if (!rec) continue;
    // "<mode> <type> <blob>\t<path>"
    const tab = rec.indexOf('\t');
    const [mode, type, blob] = rec.slice(0, tab).split(' ');
    if (type !== 'blob' || mode === '160000') continue;
    map.set(rec.slice(tab + 1), blob!);
  }
  return map;
}

/** Markdown files directly inside `dirs` in a commit: path and blob id. */
export async function listTreeMarkdown(root: string, rev: string, dirs: string[]): Promise<{ path: string; hash: string }[]> {
  return markdownIn(await listTree(root, rev, dirs), dirs);
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
