/**
 * The intent of a change being applied, kept in this work tree's git
 * directory while files are written and committed. Renaming many files
 * cannot be atomic, so a process killed half way (SIGKILL, a crash, a power
 * cut) leaves the journal behind, and the next tracks command finishes the
 * change (when its commit exists) or undoes it (when it does not), and says
 * which. Old and new contents are named by git blob ids: the old ones are
 * written into git's object database before the first file is touched.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';

export interface JournalFile {
  path: string;
  /** Blob id of the content before the change (null: the file did not exist). */
  before: string | null;
  /** Blob id of the content after (null: the file is deleted). */
  after: string | null;
  /** Permission bits to restore. */
  mode?: number;
}

export interface Journal {
  v: 1;
  id: string;
  pid: number;
  host: string;
  command: string;
  startedAt: string;
  /** HEAD the change was built on (null: unborn), when it commits. */
  base: string | null;
  commit: boolean;
  phase: 'writing' | 'committing' | 'indexing';
  tmpIndex?: string;
  files: JournalFile[];
}

const FILE = 'change-journal.json';

export const journalPath = (gitDir: string) => join(gitDir, 'tracks', FILE);

export function hasJournal(gitDir: string): boolean {
  return existsSync(journalPath(gitDir));
}

export function writeJournal(gitDir: string, j: Journal): void {
  const dir = join(gitDir, 'tracks');
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `${FILE}.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify(j));
  renameSync(tmp, journalPath(gitDir));
}

export function readJournal(gitDir: string): Journal | undefined {
  try {
    const j = JSON.parse(readFileSync(journalPath(gitDir), 'utf8')) as Journal;
    return j && j.v === 1 && Array.isArray(j.files) ? j : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the journal belongs to a process that is still running on this machine (its change is in progress, not interrupted). */
export function changeInProgress(gitDir: string): boolean {
  const j = readJournal(gitDir);
  if (!j || j.host !== hostname() || j.pid === process.pid) return false;
  try {
    process.kill(j.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function clearJournal(gitDir: string): void {
  rmSync(journalPath(gitDir), { force: true });
}
