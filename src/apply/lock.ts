/**
 * The repository lock: one writer at a time across processes and across every
 * work tree of the repository (it lives in the git common directory they all
 * share). proper-lockfile makes the lock (an atomic mkdir, kept fresh while
 * the holder runs, stale once it stops being refreshed); beside it we keep who
 * holds it, so a waiting command can name the holder and take over at once
 * from a holder that is no longer running on this machine.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { TracksError } from '../errors/index.js';

export interface Holder {
  pid: number;
  host: string;
  command: string;
  since: string;
}

export interface LockOptions {
  /** The directory that holds the lock (…/.git/tracks in the common directory). */
  dir: string;
  /** What this process is doing, recorded for whoever waits ("tracks assign WO-1 --track x"). */
  command: string;
  /** How long to wait for another writer before giving up. */
  waitMs?: number;
  /** Told once when we start waiting, and when a lock left behind is taken over. */
  say?: (line: string) => void;
  /** The clock (tests). */
  now?: () => Date;
}

/** A holder that stops refreshing the lock for this long has stopped. */
const STALE_MS = 15_000;
export const DEFAULT_WAIT_MS = 20_000;

const target = (dir: string) => join(dir, 'repository');
const holderFile = (dir: string) => join(dir, 'repository.holder.json');

function readHolder(dir: string): Holder | undefined {
  try {
    const h = JSON.parse(readFileSync(holderFile(dir), 'utf8')) as Holder;
    return typeof h.pid === 'number' ? h : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function describeHolder(h: Holder | undefined): string {
  return h ? `pid ${h.pid}${h.host !== hostname() ? ` on ${h.host}` : ''} (${h.command}, since ${h.since})` : 'another process';
}

/** Takes the lock, waiting a bounded time; returns the function that releases it. */
export async function acquireLock(o: LockOptions): Promise<() => Promise<void>> {
  mkdirSync(o.dir, { recursive: true });
  const now = o.now ?? (() => new Date());
  const waitMs = o.waitMs ?? DEFAULT_WAIT_MS;
  const started = Date.now();
  let told = false;
  let compromised: Error | undefined;
  for (let delay = 25; ; delay = Math.min(delay * 2, 250)) {
    try {
      const release = await lockfile.lock(target(o.dir), {
        realpath: false,
        stale: STALE_MS,
        update: STALE_MS / 3,
        onCompromised: (e) => {
          compromised = e;
        },
      });
      const me: Holder = { pid: process.pid, host: hostname(), command: o.command, since: now().toISOString() };
      writeFileSync(holderFile(o.dir), JSON.stringify(me) + '\n');
      return async () => {
        rmSync(holderFile(o.dir), { force: true });
        if (!compromised) await release().catch(() => {});
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ELOCKED') throw e;
    }
    const holder = readHolder(o.dir);
    if (holder && holder.host === hostname() && holder.pid !== process.pid && !alive(holder.pid)) {
      // Left by a process that is gone: no need to wait for it to go stale.
      o.say?.(`Taking over the repository lock left by ${describeHolder(holder)}, which is no longer running.`);
      rmSync(`${target(o.dir)}.lock`, { recursive: true, force: true });
      rmSync(holderFile(o.dir), { force: true });
      continue;
    }
    const waited = Date.now() - started;
    if (waited >= waitMs) {
      throw new TracksError('LOCKED', `another tracks command is writing to this repository: ${describeHolder(holder)}`, {
        hint: `Waited ${Math.round(waited / 1000)} s. Run the command again when it has finished. A lock whose holder stopped is taken over automatically after ${STALE_MS / 1000} s.`,
      });
    }
    if (!told) {
      told = true;
      o.say?.(`Waiting for ${describeHolder(holder)} to finish writing (up to ${Math.round(waitMs / 1000)} s)…`);
    }
    await new Promise((r) => setTimeout(r, delay));
  }
}
