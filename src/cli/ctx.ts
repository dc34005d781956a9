/** What every command gets: the process edge plus global flags and where the repository is. */
import type { ChalkInstance } from 'chalk';
import type { IO } from '../term/io.js';
import { makeColor } from '../term/color.js';
import { findConfigDir } from '../fs/source.js';
import { locate, type RepoLocation } from '../git/location.js';
import { TracksError } from '../errors/index.js';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';

export interface Ctx {
  io: IO;
  /** Set by a command to report "problems found" (1) etc. without throwing. */
  exitCode: number;
  verbose: boolean;
  /** The running command changes the repository (set before its action runs). */
  writes: boolean;
  color: ChalkInstance;
  /**
   * The repository root: the directory of the tracks.config.yaml that governs
   * the working directory, found inside the git work tree only; else the work
   * tree's top; outside git, the nearest config directory. Anywhere else (no
   * git work tree and no config: /etc, a home directory) it refuses, so a
   * command never reports an empty "repository" as fine; `outsideRepository`
   * (tracks init, which makes one) takes the working directory instead.
   */
  root(opts?: { outsideRepository?: boolean }): string;
  /** The git work tree around the root, when there is one (git directories come from git). */
  git(): RepoLocation | undefined;
  /** Working directory after -C. */
  cwd(): string;
  /** The command line's arguments (recorded with the repository lock and in the change journal). */
  argv: string[];
}

export function makeCtx(io: IO, argv: string[] = []): Ctx & { setGlobal(o: { verbose?: boolean; color?: boolean; cwd?: string }): void } {
  let located: { root: string | undefined; git: RepoLocation | undefined } | undefined;
  let cwd = io.cwd;
  /** What -C said, to name it when it is wrong. */
  let given: string | undefined;
  const find = () => {
    if (located) return located;
    let isDir = false;
    try {
      isDir = statSync(cwd).isDirectory();
    } catch {
      // reported below
    }
    if (!isDir) {
      const what = given === undefined ? `the working directory ${cwd}` : `-C ${given}`;
      throw new TracksError(given === undefined ? 'NOT_A_GIT_REPO' : 'BAD_OPTION', `${what}: no such directory`, {
        hint: given === undefined ? 'Change to your repository and run tracks again.' : 'Pass the directory of your repository (or one inside it).',
      });
    }
    const where = locate(cwd);
    if (where.kind === 'bare') {
      throw new TracksError('NOT_A_GIT_REPO', `${where.gitDir} is a bare repository: it has no work tree with work orders to read`, {
        hint: 'Run tracks in a clone or a work tree of it (git worktree add).',
      });
    }
    if (where.kind === 'git-dir') {
      throw new TracksError('NOT_A_GIT_REPO', `${cwd} is inside git's own directory (${where.gitDir}), not in the work tree`, {
        hint: 'Run tracks in the work tree: the directory that holds .git.',
      });
    }
    const git = where.kind === 'work-tree' ? where.location : undefined;
    located = { root: findConfigDir(cwd, git?.top) ?? git?.top, git };
    return located;
  };
  const ctx = {
    io,
    exitCode: 0,
    verbose: false,
    writes: false,
    color: makeColor(io),
    root: (opts: { outsideRepository?: boolean } = {}) => {
      const found = find();
      if (found.root !== undefined) return found.root;
      // The command makes a repository here: for the rest of the run, this is it.
      if (opts.outsideRepository) return (found.root = cwd);
      throw new TracksError('NOT_A_GIT_REPO', `${cwd} is not in a git repository, and there is no tracks.config.yaml in it or above it`, {
        hint: 'Run tracks inside your repository (or pass -C <dir>); `tracks init` starts one here.',
      });
    },
    git: () => find().git,
    cwd: () => cwd,
    argv,
    setGlobal(o: { verbose?: boolean; color?: boolean; cwd?: string }) {
      ctx.verbose = Boolean(o.verbose);
      if (o.cwd) {
        given = o.cwd;
        cwd = resolve(io.cwd, o.cwd);
      }
      ctx.color = makeColor(io, { color: o.color });
    },
  };
  return ctx;
}

/** Writes one line to stdout. */
export const out = (ctx: Ctx, s = '') => ctx.io.stdout(s + '\n');
/** Writes one line to stderr (everything human that is not the result). */
export const err = (ctx: Ctx, s = '') => ctx.io.stderr(s + '\n');
