/**
 * Reading the work tree: repo-relative paths with a git blob id and bytes
 * (the same shape src/git/staged.ts gives for the index).
 */
import { closeSync, constants, existsSync, fstatSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { toPosix } from '../core/paths.js';
import { hash as oneShotHash } from 'node:crypto';

const sha1 = (b: Uint8Array) => oneShotHash('sha1', b, 'hex');

export interface SourceFile {
  /** Repo-relative, forward slashes. */
  path: string;
  /** git blob id of the content. */
  hash: string;
  bytes: Uint8Array;
  /** From the work tree: the stat of the file these bytes were read from (the cache remembers it). */
  stat?: { size: number; mtimeMs: number; ctimeMs: number; ino: number };
}

import { blobIdOf as blobId } from '../core/blob.js';

export { blobId };

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

/** Reads one work-tree file, with its stat; undefined when it vanished or is a directory. */
export function readOne(root: string, path: string): SourceFile | undefined {
  let fd: number;
  try {
    fd = openSync(join(root, path), constants.O_RDONLY);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EISDIR' || code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    // the same system calls readFileSync makes, keeping the fstat it makes anyway
    const st = fstatSync(fd);
    if (st.isDirectory()) return undefined;
    // Read behind git's blob header, so the blob id is one hash of one buffer (createHash
    // costs ~10 µs a call), and one byte more than the size, to notice a file that grows.
    const head = `blob ${st.size}\0`;
    let buf = Buffer.allocUnsafe(head.length + st.size + 1);
    buf.write(head, 0, 'latin1');
    let off = head.length;
    for (;;) {
      if (off === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, off);
        buf = bigger;
      }
      const n = readSync(fd, buf, off, buf.length - off, null);
      if (n === 0) break;
      off += n;
    }
    const bytes = buf.subarray(head.length, off);
    const hash = bytes.length === st.size ? sha1(buf.subarray(0, off)) : blobId(bytes);
    return { path, hash, bytes, stat: { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino } };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EISDIR') return undefined;
    throw e;
  } finally {
    closeSync(fd);
  }
}

export function relPath(root: string, abs: string): string {
  return toPosix(relative(root, abs));
}

/**
 * Reads a file only if it is a regular file no bigger than `max` bytes: a
 * FIFO, a device (/dev/zero) or a socket is refused without blocking on it.
 */
export function readRegularFile(abs: string, max: number): Uint8Array {
  const fd = openSync(abs, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'ENOTREG' });
    if (st.size > max) throw Object.assign(new Error(`${st.size} bytes, over the ${max}-byte bound`), { code: 'EFBIG' });
    const bytes = Buffer.alloc(st.size);
    let off = 0;
    while (off < bytes.length) {
      const n = readSync(fd, bytes, off, bytes.length - off, off);
      if (n === 0) break;
      off += n;
    }
    return bytes.subarray(0, off);
  } finally {
    closeSync(fd);
  }
}
