/**
 * Reading the work tree: repo-relative paths with a git blob id and bytes
 * (the same shape src/git/staged.ts gives for the index).
 *
 * A repository is shared, cloned from strangers and written by agents, so
 * what it holds is not trusted to be what its names say. Only regular files
 * inside the repository are read: a symbolic link is never followed (a link
 * to /dev/zero, to /etc/passwd or to itself is reported, not opened), a FIFO,
 * socket or device is never opened for reading (a FIFO would block forever),
 * and no file is read past MAX_FILE_BYTES. Each file that is not read becomes
 * a diagnostic with its path; the rest of the repository still loads.
 */
import { isUtf8 } from 'node:buffer';
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readlinkSync, readSync, realpathSync, type Dirent, type Stats } from 'node:fs';
import { join, relative, dirname, resolve, sep } from 'node:path';
import { toPosix } from '../core/paths.js';
import type { Diagnostic } from '../model/types.js';
import { blobIdOf as blobId } from '../core/blob.js';
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

/** No work order, track or config is anywhere near this; it bounds what one hostile file costs. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

export { blobId };

export { toPosix };

const exists = (p: string) => {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
};

/**
 * The directory whose tracks.config.yaml governs `cwd`: the nearest one at or
 * above it, never above `stop` (the git work tree's top: a config planted in a
 * parent directory outside the repository is not ours). Undefined when none.
 * Any entry of that name counts (a link or a FIFO too): reading it then says
 * what is wrong with it instead of silently using another config.
 */
export function findConfigDir(cwd: string, stop: string | undefined): string | undefined {
  let dir = cwd;
  for (;;) {
    if (exists(join(dir, 'tracks.config.yaml'))) return dir;
    if (stop !== undefined && dir === stop) return undefined;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

const problem = (file: string, code: string, message: string, hint: string): Diagnostic => ({ file, line: 1, col: 1, severity: 'error', code, message, hint });

function kindOf(x: Stats | Dirent<string | Buffer>): string {
  if (x.isDirectory()) return 'a directory';
  if (x.isFIFO()) return 'a FIFO (named pipe)';
  if (x.isSocket()) return 'a socket';
  if (x.isCharacterDevice()) return 'a character device';
  if (x.isBlockDevice()) return 'a block device';
  if (x.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/** A name that is not UTF-8 cannot be named back to the file system (or to git) to read it. */
export function badName(path: string): Diagnostic {
  return problem(path, 'file/encoding', 'the file name is not valid UTF-8, so the file is not read', 'Rename it using UTF-8.');
}

export function notRegular(path: string, kind: string): Diagnostic {
  return problem(path, 'file/not-regular', `${kind}, not a regular file: tracks reads only regular files`, 'Remove it or replace it with a regular file; tracks never opens anything else.');
}

function unreadable(path: string, e: NodeJS.ErrnoException): Diagnostic {
  return problem(path, 'file/unreadable', `cannot be read (${e.code === 'EACCES' || e.code === 'EPERM' ? 'permission denied' : e.code})`, 'Check its permissions.');
}

export function tooLarge(path: string, size: number | undefined, max: number): Diagnostic {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  return problem(path, 'file/too-large', `${size === undefined ? 'larger than' : `${mb(size)}, more than`} the ${mb(max)} tracks reads of a file`, 'A work order or track is a short markdown file: move large content elsewhere and link to it.');
}

const insideOf = (root: string, p: string) => p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);

/**
 * A link is never followed, only described: where it points (its text, as
 * written), and whether that is outside the repository, judged from the real
 * path of the link's directory so `../..` and absolute targets are caught
 * even when the target does not exist or loops.
 */
function linkProblem(root: string, realRoot: string, path: string): Diagnostic {
  const abs = join(root, path);
  let target = '?';
  try {
    target = readlinkSync(abs);
  } catch {
    // vanished: describe it without its target
  }
  let real: string | undefined;
  let why = '';
  try {
    real = realpathSync(abs);
  } catch (e) {
    why = (e as NodeJS.ErrnoException).code === 'ELOOP' ? ', which loops' : ', which does not exist';
  }
  if (real === undefined) {
    let dir = dirname(abs);
    try {
      dir = realpathSync(dir);
    } catch {
      // judged from the path as given
    }
    real = resolve(dir, target);
  }
  return linkDiagnostic(path, target, !insideOf(realRoot, real), why);
}

/** What is said about a link, from the work tree or from the index (where a link's content is its target). */
export function linkDiagnostic(path: string, target: string, outside: boolean, why = ''): Diagnostic {
  if (outside) {
    return problem(path, 'file/link-outside', `a symbolic link to ${target}, outside the repository${why}: never followed`, 'Remove the link: tracks reads only files inside the repository.');
  }
  return problem(path, 'file/symlink', `a symbolic link to ${target}${why}: tracks does not follow links`, 'Put the file itself here (git stores a link as its target path, so the pre-commit check could not read it either).');
}

/**
 * Is every part of `dir` below `root` a real directory? A part that is a link
 * (the whole of `tracks/` linked to a directory elsewhere) or something else
 * is reported and the directory is not listed.
 */
function checkDir(root: string, realRoot: string, dir: string): { ok: boolean; problem?: Diagnostic } {
  const parts = toPosix(dir).split('/').filter((p) => p && p !== '.');
  for (let i = 1; i <= parts.length; i++) {
    const rel = parts.slice(0, i).join('/');
    let st: Stats;
    try {
      st = lstatSync(join(root, rel));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return { ok: false };
      if (code === 'ENOTDIR') return { ok: false, problem: problem(parts.slice(0, i - 1).join('/'), 'file/not-regular', `not a directory, where ${dir}/ is expected`, 'Remove it or point the config at the right directory.') };
      return { ok: false, problem: unreadable(rel, e as NodeJS.ErrnoException) };
    }
    if (st.isSymbolicLink()) {
      const p = linkProblem(root, realRoot, rel);
      return { ok: false, problem: { ...p, message: `${p.message} (nothing under it is read)`, hint: p.code === 'file/symlink' ? `Point ${dir === rel ? 'the config' : 'work_orders_dir or tracks_dir'} at the real directory instead of a link to it.` : p.hint } };
    }
    if (!st.isDirectory()) return { ok: false, problem: problem(rel, 'file/not-regular', `not a directory (${kindOf(st)}), where ${dir}/ is expected`, 'Remove it or point the config at the right directory.') };
  }
  return { ok: true };
}

export interface Listing {
  /** Regular markdown files, repo-relative, sorted. */
  files: string[];
  /** Entries named like markdown files that are not read, and what is wrong with the directory itself. */
  problems: Diagnostic[];
}

function realRootOf(root: string): string {
  try {
    return realpathSync(root);
  } catch {
    return resolve(root);
  }
}

/** Markdown files directly inside `dir` (sorted; README.md is documentation, not data); never through a link. */
export function listMarkdown(root: string, dir: string): Listing {
  const realRoot = realRootOf(root);
  const base = toPosix(dir).replace(/\/$/, '');
  const at = (n: string) => (base === '.' || base === '' ? n : `${base}/${n}`);
  const checked = checkDir(root, realRoot, base);
  if (!checked.ok) return { files: [], problems: checked.problem ? [checked.problem] : [] };
  let entries: Dirent<string | Buffer>[];
  try {
    entries = readdirSync(join(root, base), { withFileTypes: true });
    // A name that is not UTF-8 comes back with U+FFFD in it: only then are the raw names asked for.
    if (entries.some((d) => (d.name as string).includes('\uFFFD'))) entries = readdirSync(join(root, base), { withFileTypes: true, encoding: 'buffer' });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { files: [], problems: [] };
    return { files: [], problems: [unreadable(base, e as NodeJS.ErrnoException)] };
  }
  const files: string[] = [];
  const problems: Diagnostic[] = [];
  for (const d of entries) {
    const raw = d.name;
    const name = typeof raw === 'string' ? raw : raw.toString('utf8');
    if (!name.endsWith('.md') || (name.length === 9 && name.toLowerCase() === 'readme.md')) continue;
    const path = at(name);
    if (typeof raw !== 'string' && !isUtf8(raw)) {
      // The lossy name cannot even be opened: say so rather than skip it silently.
      problems.push(badName(path));
      continue;
    }
    if (d.isFile()) files.push(path);
    else if (d.isSymbolicLink()) problems.push(linkProblem(root, realRoot, path));
    else if (d.isDirectory() || d.isFIFO() || d.isSocket() || d.isCharacterDevice() || d.isBlockDevice()) problems.push(notRegular(path, kindOf(d)));
    else {
      // The file system did not say what it is (DT_UNKNOWN): ask without following.
      try {
        const st = lstatSync(join(root, path));
        if (st.isFile()) files.push(path);
        else if (st.isSymbolicLink()) problems.push(linkProblem(root, realRoot, path));
        else problems.push(notRegular(path, kindOf(st)));
      } catch {
        // vanished since it was listed
      }
    }
  }
  files.sort();
  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { files, problems };
}

/**
 * `join(root, path)` for a listed path: plain concatenation when the path is
 * already normal (a listing's always is), which costs a tenth of join() and
 * adds up over 10,000 files.
 */
function under(root: string, path: string): string {
  // no leading `/` or `.`, no `//` and no `/.`: nothing for join() to normalise (`..` and `.` segments included)
  const plain = path.charCodeAt(0) !== 47 && path.charCodeAt(0) !== 46 && path.indexOf('//') === -1 && path.indexOf('/.') === -1 && !root.endsWith('/');
  return plain ? `${root}/${path}` : join(root, path);
}

/** A file read, one that is not read and why, or nothing (it vanished). */
export type Read = { file: SourceFile } | { problem: Diagnostic } | undefined;

const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * Reads one work-tree file if it is a regular file of at most `max` bytes.
 * Opened without following a link and without blocking (a FIFO swapped in
 * after listing), then checked on the open descriptor, so what is read is
 * what was checked.
 */
export function readChecked(root: string, path: string, max = MAX_FILE_BYTES): Read {
  let fd: number;
  try {
    fd = openSync(under(root, path), OPEN_FLAGS);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    if (code === 'ELOOP') return { problem: linkProblem(root, realRootOf(root), path) };
    if (code === 'ENXIO' || code === 'EISDIR' || code === 'ENODEV') return { problem: notRegular(path, code === 'ENXIO' ? 'a socket' : code === 'EISDIR' ? 'a directory' : 'a device') };
    if (code === 'EACCES' || code === 'EPERM') return { problem: unreadable(path, e as NodeJS.ErrnoException) };
    throw e;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { problem: notRegular(path, kindOf(st)) };
    if (st.size > max) return { problem: tooLarge(path, st.size, max) };
    const got = readWithBlobId(fd, st.size, max);
    if (!got) return { problem: tooLarge(path, undefined, max) };
    return { file: { path, hash: got.hash, bytes: got.bytes, stat: { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino } } };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') return { problem: notRegular(path, 'a directory') };
    throw e;
  } finally {
    closeSync(fd);
  }
}

/** Reads one work-tree file; undefined when it vanished or is not a regular file within the size limit. */
export function readOne(root: string, path: string): SourceFile | undefined {
  const r = readChecked(root, path);
  return r && 'file' in r ? r.file : undefined;
}

export function relPath(root: string, abs: string): string {
  return toPosix(relative(root, abs));
}

/**
 * An open regular file's bytes (as readOpened) and git blob id. The bytes are
 * read just behind git's blob header in one buffer, so the id is one hash of
 * one buffer (createHash costs ~10 µs a call); undefined past `max` bytes.
 */
export function readWithBlobId(fd: number, size: number, max: number): { bytes: Buffer; hash: string } | undefined {
  const head = `blob ${size}\0`;
  const bytes = readOpened(fd, size, max, head);
  if (!bytes) return undefined;
  // a file that changed size while it was read: its header is not the one written before it
  const hash = bytes.length === size ? sha1(Buffer.from(bytes.buffer, bytes.byteOffset - head.length, head.length + bytes.length)) : blobId(bytes);
  return { bytes, hash };
}

/**
 * Reads an open regular file to its end, one byte past the size it had (to
 * notice a file that grows while it is read); undefined past `max` bytes.
 */
export function readOpened(fd: number, size: number, max: number, head = ''): Buffer | undefined {
  // `head` (latin1) is written just before the bytes, in the same buffer: the caller can hash both at once
  const h = head.length;
  let buf = Buffer.allocUnsafe(h + Math.min(size, max) + 1);
  if (h) buf.write(head, 0, 'latin1');
  let off = h;
  for (;;) {
    const want = buf.length - off;
    const n = readSync(fd, buf, off, want, null);
    if (n === 0) return buf.subarray(h, off);
    off += n;
    // Exactly the size it had, with room left for more: the file held that much when read,
    // so the read that would return 0 is saved (one system call per file).
    if (n < want && off - h === size) return buf.subarray(h, off);
    if (off - h > max) return undefined;
    if (off === buf.length) {
      const bigger = Buffer.allocUnsafe(h + Math.min(max + 1, (buf.length - h) * 2));
      buf.copy(bigger, 0, 0, off);
      buf = bigger;
    }
  }
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
    const bytes = readOpened(fd, st.size, max);
    if (!bytes) throw Object.assign(new Error(`over the ${max}-byte bound`), { code: 'EFBIG' });
    return bytes;
  } finally {
    closeSync(fd);
  }
}
