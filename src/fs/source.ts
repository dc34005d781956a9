/**
 * Where file contents come from: the work tree, or the git index (`--staged`).
 * Both give the same thing: repo-relative paths with a git blob id and bytes.
 */
import { createHash } from 'node:crypto';
import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep, dirname } from 'node:path';
import { TracksError } from '../errors/index.js';

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

export const toPosix = (p: string) => (sep === '/' ? p : p.split(sep).join('/'));

/** The repository root: the nearest directory with tracks.config.yaml, else the git top level, else cwd. */
export function findRoot(cwd: string): string {
  let dir = cwd;
  let gitTop: string | undefined;
  for (;;) {
    if (existsSync(join(dir, 'tracks.config.yaml'))) return dir;
    if (!gitTop && existsSync(join(dir, '.git'))) gitTop = dir;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return gitTop ?? cwd;
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

function git(root: string, args: string[], input?: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile('git', args, { cwd: root, encoding: 'buffer', maxBuffer: 1 << 30 }, (err, stdout, stderr) => {
      if (err) {
        reject(
          new TracksError('GIT_FAILED', `git ${args[0]} failed: ${String(stderr).trim() || err.message}`, {
            hint: 'Run tracks inside a git repository, or drop --staged.',
          }),
        );
      } else resolve(stdout);
    });
    if (input !== undefined) child.stdin!.end(input);
  });
}

/** Staged (index) entries under the given directories: path → blob id. */
export async function listIndex(root: string, dirs: string[]): Promise<Map<string, string>> {
  const out = await git(root, ['ls-files', '-s', '-z', '--', ...dirs]);
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
  return new Promise((resolve, reject) => {
    const result = new Map<string, Uint8Array>();
    if (ids.length === 0) return resolve(result);
    const child = spawn('git', ['cat-file', '--batch'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => (stderr += String(c)));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new TracksError('GIT_FAILED', `git cat-file failed: ${stderr.trim()}`));
      const buf = Buffer.concat(chunks);
      let off = 0;
      while (off < buf.length) {
        const nl = buf.indexOf(10, off);
        const header = buf.subarray(off, nl).toString('utf8').split(' ');
        off = nl + 1;
        if (header[1] === 'missing') continue;
        const size = Number(header[2]);
        result.set(header[0]!, buf.subarray(off, off + size));
        off += size + 1;
      }
      resolve(result);
    });
    child.stdin.end(ids.join('\n') + '\n');
  });
}

/** Markdown files staged directly inside `dirs`: path and blob id, no content yet. */
export async function listIndexMarkdown(root: string, dirs: string[]): Promise<{ path: string; hash: string }[]> {
  const entries = await listIndex(root, dirs);
  const out: { path: string; hash: string }[] = [];
  for (const [path, hash] of [...entries].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const dir = path.slice(0, path.lastIndexOf('/'));
    const name = path.slice(path.lastIndexOf('/') + 1);
    if (!name.endsWith('.md') || name.toLowerCase() === 'readme.md') continue;
    if (!dirs.some((d) => toPosix(d).replace(/\/$/, '') === dir)) continue;
    out.push({ path, hash });
  }
  return out;
}

/** The staged config file, if any. */
export async function readIndexFile(root: string, path: string): Promise<SourceFile | undefined> {
  const entries = await listIndex(root, [path]);
  const hash = entries.get(path);
  if (!hash) return undefined;
  const blobs = await readBlobs(root, [hash]);
  return { path, hash, bytes: blobs.get(hash) ?? new Uint8Array() };
}

export function relPath(root: string, abs: string): string {
  return toPosix(relative(root, abs));
}
