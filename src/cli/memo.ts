/**
 * The whole-run memo of the read commands (list, show, status, next, report,
 * context, tree, experiment list/compare), as `check` has its own: when a
 * command runs again with the same arguments, terminal and repository (every
 * file by stat, the config, the tool build), its output is replayed instead of
 * recomputed, after a directory listing and a stat of each file. Anything
 * else (other arguments, a changed file) runs normally, through the per-file
 * cache. Runs that write files (`tree --out`) or fail are never memoized.
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { Ctx } from './ctx.js';
import { cacheDir, fingerprint, RACY_MS, readCacheBytes, usableDir, writeCacheFile } from '../fs/cache.js';
import { listRepo, runFingerprint, statListing, type Listing } from '../repo/load.js';
import { primeListing } from './repo.js';
import { Replayed } from './replayed.js';

/** Commands whose output is a function of the repository, their arguments and the terminal. */
export const READ_COMMANDS = new Set(['list', 'show', 'status', 'next', 'report', 'context', 'tree', 'experiment list', 'experiment compare']);
/** Replays kept at most (and bytes in all), least recently written dropped first. */
const KEEP = 32;
const KEEP_BYTES = 64 * 1024 * 1024;
/** Outputs larger than this are not kept (a huge HTML tree is cheaper to make again than to store). */
const MAX_OUTPUT = 16 * 1024 * 1024;

interface Saved {
  v: 1;
  key: string;
  fp: string;
  at: number;
  /** UTF-8: V8 would keep a string with one character past Latin-1 at two bytes a character. */
  stdout: Uint8Array;
  stderr: Uint8Array;
  code: number;
}


interface Recording {
  file: string;
  dir: string;
  key: string;
  /** What the run reads: its stats are complete once it has loaded the repository. */
  listing: Listing;
  out: string[];
  err: string[];
  size: number;
}

const recordings = new WeakMap<Ctx, Recording>();

/**
 * Before a read command's action: replay its memo (throwing Replayed) or start
 * recording its output. `argv` is the whole command line; `opts` the command's options.
 */
export async function replayOrRecord(ctx: Ctx, command: string, argv: string[], opts: Record<string, unknown>): Promise<void> {
  if (!READ_COMMANDS.has(command) || opts.out !== undefined || ctx.noCache) return;
  const base = cacheDir(ctx.git(), ctx.root(), ctx.io.env);
  if (!base || !usableDir(base, true)) return;
  const listing = await listRepo(ctx.root(), { cacheDir: base });
  primeListing(ctx, listing);
  const key = JSON.stringify([argv, ctx.cwd(), ctx.root(), ctx.io.columns, ctx.color.level, ctx.io.isTTY, ctx.io.interactive]);
  const dir = join(base, 'runs');
  const file = fingerprint([key]).slice(0, 20);
  const bytes = usableDir(dir, false) ? readCacheBytes(join(dir, file)) : undefined;
  if (bytes) {
    // Only with something to compare: a first run takes each file's stat as it reads it.
    statListing(listing);
    const run = runFingerprint(listing, [key]);
    try {
      const m = deserialize(bytes) as Saved;
      if (run && m?.v === 1 && m.key === key && m.fp === run.fp && run.newest < m.at - RACY_MS) {
        if (m.stdout.length) ctx.io.stdout(Buffer.from(m.stdout.buffer, m.stdout.byteOffset, m.stdout.byteLength).toString('utf8'));
        if (m.stderr.length) ctx.io.stderr(Buffer.from(m.stderr.buffer, m.stderr.byteOffset, m.stderr.byteLength).toString('utf8'));
        ctx.exitCode = m.code;
        throw new Replayed(m.code);
      }
    } catch (e) {
      if (e instanceof Replayed) throw e;
      // unreadable: run and record again
    }
  }
  const rec: Recording = { file, dir, key, listing, out: [], err: [], size: 0 };
  const { stdout, stderr } = ctx.io;
  ctx.io = {
    ...ctx.io,
    stdout: (s) => {
      rec.out.push(s);
      rec.size += s.length;
      stdout(s);
    },
    stderr: (s) => {
      rec.err.push(s);
      rec.size += s.length;
      stderr(s);
    },
  };
  recordings.set(ctx, rec);
}

/** After a read command's action finished without throwing: keep what it printed. */
export function saveRecording(ctx: Ctx): void {
  const rec = recordings.get(ctx);
  if (!rec) return;
  recordings.delete(ctx);
  if (rec.size > MAX_OUTPUT) return;
  const run = runFingerprint(rec.listing, [rec.key]);
  if (!run) return;
  const saved: Saved = { v: 1, key: rec.key, fp: run.fp, at: Date.now(), stdout: Buffer.from(rec.out.join('')), stderr: Buffer.from(rec.err.join('')), code: ctx.exitCode };
  writeCacheFile(rec.dir, rec.file, serialize(saved));
  prune(rec.dir);
}

function prune(dir: string): void {
  try {
    const files = readdirSync(dir)
      .filter((f) => !f.endsWith('.tmp'))
      .map((f) => {
        const st = statSync(join(dir, f));
        return { f, t: st.mtimeMs, size: st.size };
      })
      .sort((a, b) => b.t - a.t);
    let bytes = 0;
    files.forEach(({ f, size }, i) => {
      bytes += size;
      if (i >= KEEP || bytes > KEEP_BYTES) rmSync(join(dir, f), { force: true });
    });
  } catch {
    // best effort
  }
}
