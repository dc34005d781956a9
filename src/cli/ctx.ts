/** What every command gets: the process edge plus global flags. */
import type { ChalkInstance } from 'chalk';
import type { IO } from '../term/io.js';
import { makeColor } from '../term/color.js';
import { findRoot } from '../fs/source.js';
import { resolve } from 'node:path';

export interface Ctx {
  io: IO;
  /** Set by a command to report "problems found" (1) etc. without throwing. */
  exitCode: number;
  verbose: boolean;
  /** The running command changes the repository (set before its action runs). */
  writes: boolean;
  color: ChalkInstance;
  /** Resolved on first use: the repository root. */
  root(): string;
  /** Working directory after -C. */
  cwd(): string;
}

export function makeCtx(io: IO): Ctx & { setGlobal(o: { verbose?: boolean; color?: boolean; cwd?: string }): void } {
  let root: string | undefined;
  let cwd = io.cwd;
  const ctx = {
    io,
    exitCode: 0,
    verbose: false,
    writes: false,
    color: makeColor(io),
    root() {
      root ??= findRoot(cwd);
      return root;
    },
    cwd: () => cwd,
    setGlobal(o: { verbose?: boolean; color?: boolean; cwd?: string }) {
      ctx.verbose = Boolean(o.verbose);
      if (o.cwd) cwd = resolve(io.cwd, o.cwd);
      ctx.color = makeColor(io, { color: o.color });
    },
  };
  return ctx;
}

/** Writes one line to stdout. */
export const out = (ctx: Ctx, s = '') => ctx.io.stdout(s + '\n');
/** Writes one line to stderr (everything human that is not the result). */
export const err = (ctx: Ctx, s = '') => ctx.io.stderr(s + '\n');
