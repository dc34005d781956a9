/** Output files a person asked for (`--plan-out`, `tree --out`, the pre-commit hook): written whole or not at all. */
import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';

/** `mode`: the file's permission bits (set before it appears, whatever the umask). */
export function writeOutputFile(file: string, content: string | Uint8Array, opts: { mode?: number } = {}): void {
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(tmp, content);
    if (opts.mode !== undefined) chmodSync(tmp, opts.mode);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
