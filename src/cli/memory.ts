/**
 * Giving memory back between the phases of a long command. V8 collects its
 * old generation only when it has grown well past what was live at the last
 * collection, so a large working set that has just become garbage (the
 * offline organizer's, about 100 MB at 10,000 work orders) stays in the heap
 * while the next phase grows on top of it: `organize --dry-run` peaked at
 * 240-270 MiB where one collection right after proposing keeps it near
 * 205 MiB, for a few tens of milliseconds.
 *
 * `gc` is not exposed to programs by default; `--expose-gc` (a flag that only
 * adds `gc` to contexts created after it is set) and a fresh context give the
 * function without restarting node. Anything unexpected: do nothing.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | null | undefined;

/** A full collection now (best effort: never throws). */
export function collectGarbage(): void {
  if (gc === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      const f = runInNewContext('gc') as unknown;
      gc = typeof f === 'function' ? (f as () => void) : null;
    } catch {
      gc = null;
    }
  }
  try {
    gc?.();
  } catch {
    // nothing to give back is not a failure
  }
}
