/**
 * Finishing or undoing a change that a killed process left half applied
 * (see journal.ts). Runs at the start of any tracks command in a work tree
 * whose git directory holds a journal, under the repository lock, and says
 * what it did.
 */
import { existsSync, lstatSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TracksError } from '../errors/index.js';
import { blobIdOf } from '../core/blob.js';
import { commitParent, head, readBlobs, syncIndex, treeEntries, type GitRepo, type IndexEntry } from '../git/git.js';
import { changeInProgress, clearJournal, readJournal, type Journal } from './journal.js';
import { readTarget, replaceFile, tempName } from './files.js';

/** Whether the journal's commit was made: HEAD moved, on top of the base, holding the new blobs. */
async function wasCommitted(git: GitRepo, j: Journal): Promise<string | undefined> {
  if (!j.commit) return undefined;
  const now = await head(git);
  if (now.kind !== 'commit' || now.id === j.base) return undefined;
  const parent = await commitParent(git, now.id);
  if ((parent ?? null) !== j.base) return undefined;
  const tree = await treeEntries(git, now.id, j.files.map((f) => f.path));
  return j.files.every((f) => (f.after === null ? !tree.has(f.path) : tree.get(f.path)?.blob === f.after)) ? now.id : undefined;
}

function currentHash(root: string, path: string): string | null | 'unreadable' {
  try {
    return readTarget(root, path)?.hash ?? null;
  } catch {
    return 'unreadable';
  }
}

/**
 * Recovers an interrupted change if this work tree has one whose process is
 * gone. Returns the lines to tell the person (none when there was nothing).
 */
export async function recoverInterrupted(root: string, git: GitRepo): Promise<string[]> {
  const j = readJournal(git.gitDir);
  if (!j) {
    clearJournal(git.gitDir); // unreadable: nothing can be done with it
    return [];
  }
  if (changeInProgress(git.gitDir)) return []; // still running
  const what = `\`${j.command}\` (pid ${j.pid}, started ${j.startedAt})`;
  const want = new Map<string, string | null>();
  const committed = await wasCommitted(git, j);
  for (const f of j.files) want.set(f.path, committed ? f.after : f.before);
  // Contents to write come from git's object database (old ones were stored before the first write).
  const ids = [...new Set([...want.values()].filter((v): v is string => v !== null))];
  const blobs = await readBlobs(git.top, ids);
  const left: string[] = [];
  let restored = 0;
  for (const f of j.files) {
    const target = want.get(f.path)!;
    const now = currentHash(root, f.path);
    const other = committed ? f.before : f.after;
    if (now === target) continue;
    if (now !== other && !(now === null && target !== null)) {
      left.push(f.path); // changed by someone since: leave it, say so
      continue;
    }
    const bytes = target === null ? null : blobs.get(target);
    if (target !== null && !bytes) {
      left.push(f.path);
      continue;
    }
    replaceFile(root, f.path, bytes ?? null, f.mode, j.id);
    restored++;
  }
  for (const f of j.files) {
    const tmp = join(root, tempName(f.path, j.id));
    try {
      if (lstatSync(tmp).isFile()) rmSync(tmp, { force: true });
    } catch {
      // none left
    }
  }
  if (j.tmpIndex && existsSync(j.tmpIndex)) rmSync(j.tmpIndex, { force: true });
  if (j.tmpIndex) rmSync(`${j.tmpIndex}.lock`, { force: true });
  const lines: string[] = [];
  if (committed) {
    const entries: IndexEntry[] = j.files.map((f) => (f.after === null ? { path: f.path, remove: true } : { path: f.path, mode: '100644', blob: f.after }));
    const tree = await treeEntries(git, committed, j.files.map((f) => f.path));
    for (const e of entries) if (!('remove' in e)) e.mode = tree.get(e.path)?.mode ?? e.mode;
    await syncIndex(git, entries);
    lines.push(`Finished an interrupted ${what}: its commit ${committed.slice(0, 7)} was made; ${restored ? `${restored} file${restored === 1 ? '' : 's'} and ` : ''}git's index now agree with it.`);
  } else {
    lines.push(`Undid an interrupted ${what}: nothing was committed; ${restored ? `${restored} file${restored === 1 ? ' was' : 's were'} put back as ${restored === 1 ? 'it was' : 'they were'}` : 'no file had been changed yet'}.`);
  }
  if (left.length) lines.push(`  Left alone because they changed since: ${left.join(', ')}.`);
  clearJournal(git.gitDir);
  return lines;
}

export function recoveryFailed(e: unknown, gitDir: string): TracksError {
  return new TracksError('INTERRUPTED_CHANGE', `an earlier tracks command was interrupted while writing, and finishing or undoing it failed: ${(e as Error).message ?? String(e)}`, {
    hint: `Look at \`git status\`; the journal is ${join(gitDir, 'tracks', 'change-journal.json')} (delete it once the files are as you want them).`,
    cause: e,
  });
}
