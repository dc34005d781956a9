/**
 * The file side of applying: reading a target exactly as it is, refusing
 * anything that is not a plain file inside the repository, and replacing a
 * file atomically with its mode kept. Never follows or replaces a link.
 */
import { chmodSync, closeSync, mkdirSync, constants, fstatSync, lstatSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readWithBlobId } from '../fs/source.js';
import { dirname, join } from 'node:path';
import { TracksError } from '../errors/index.js';
import type { Current } from '../plan/verify.js';

/** Largest file apply reads or writes. */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;

const unsafe = (path: string, why: string, hint?: string) =>
  new TracksError('UNSAFE_PATH', `${path}: ${why}`, { where: { file: path }, hint: hint ?? 'tracks writes only plain files inside the repository, never through a link.' });

/**
 * Refuses a path whose directories (below the root) include a link or
 * something that is not a directory: writing there would land outside the
 * repository or somewhere else than the path says.
 */
export function assertPlainPath(root: string, path: string, checked?: Set<string>): void {
  const parts = path.split('/');
  let at = root;
  for (let i = 0; i < parts.length - 1; i++) {
    at = join(at, parts[i]!);
    if (checked?.has(at)) continue;
    let st;
    try {
      st = lstatSync(at);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return; // created on write
      throw e;
    }
    if (st.isSymbolicLink()) throw unsafe(path, `${parts.slice(0, i + 1).join('/')}/ is a symbolic link`);
    if (!st.isDirectory()) throw unsafe(path, `${parts.slice(0, i + 1).join('/')} is not a directory`);
    checked?.add(at);
  }
}

export interface Target extends NonNullable<Current> {
  /** Permission bits, kept when the file is replaced. */
  mode: number;
}

/**
 * The file as it is: bytes, blob id and mode; null when absent. Refuses links,
 * special files, huge files, read-only files. `checkedDirs` remembers the
 * directories already found plain, for one pass over many files (a plan of
 * 10,000 work orders checked work_orders/ 10,000 times).
 */
export function readTarget(root: string, path: string, checkedDirs?: Set<string>): Target | null {
  assertPlainPath(root, path, checkedDirs);
  const abs = join(root, path);
  // O_NOFOLLOW and O_NONBLOCK: a link is refused, and a FIFO or device cannot hang us; what is
  // judged is the open descriptor, so nothing can be swapped in between the check and the read.
  let fd: number;
  try {
    fd = openSync(abs, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ELOOP') throw unsafe(path, 'is a symbolic link; tracks never replaces a link by a file');
    if (code === 'ENXIO' || code === 'ENODEV' || code === 'EISDIR') throw unsafe(path, 'is not a regular file');
    throw e;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw unsafe(path, 'is not a regular file');
    if (st.size > MAX_FILE_BYTES) throw unsafe(path, `is ${st.size} bytes, over the ${MAX_FILE_BYTES}-byte bound`, 'Such a file is not a work order or a track.');
    if ((st.mode & 0o200) === 0) throw unsafe(path, `is read-only (mode ${(st.mode & 0o777).toString(8)}); tracks does not replace a file you made read-only`, `Make it writable (chmod u+w ${path}) if tracks may change it.`);
    const got = readWithBlobId(fd, st.size, MAX_FILE_BYTES);
    if (!got) throw unsafe(path, `grew past the ${MAX_FILE_BYTES}-byte bound while it was read`);
    return { bytes: got.bytes, hash: got.hash, mode: st.mode & 0o777 };
  } finally {
    closeSync(fd);
  }
}

/** Name of the temp file a write goes through; recovery finds leftovers by it. */
export function tempName(path: string, id: string): string {
  const slash = path.lastIndexOf('/');
  return `${path.slice(0, slash + 1)}.${path.slice(slash + 1)}.tracks-${id}`;
}

/** Replaces (or creates, or deletes) one file atomically: temp file beside it, mode set, then rename. */
export function replaceFile(root: string, path: string, bytes: Uint8Array | null, mode: number | undefined, id: string): void {
  const abs = join(root, path);
  if (bytes === null) {
    rmSync(abs, { force: true });
    return;
  }
  const tmp = join(root, tempName(path, id));
  mkdirSync(dirname(abs), { recursive: true });
  try {
    // No fsync per file: temp + rename already keeps a crash from leaving a half-written file,
    // the journal covers a crash between files, and 10,000 fsyncs cost seconds (git does not fsync by default either).
    writeFileSync(tmp, bytes, { flag: 'wx' });
    if (mode !== undefined) chmodSync(tmp, mode);
    renameSync(tmp, abs);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
