/** Temp git repositories and in-process CLI runs for tests. */
import { afterEach } from 'vitest';
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../../src/main.js';
import type { IO } from '../../src/term/io.js';

export const PROJECT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CORPORA = join(PROJECT, '..', 'shared', 'corpora');
export const CORPUS_HEAD = join(CORPORA, 'pcc-head', 'work_orders');
export const CORPUS_OLD = join(CORPORA, 'pcc-2026-01-15', 'work_orders');

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } });
}

/** A fresh git repository with `files` (path → content) committed. */
export function tempRepo(files: Record<string, string> = {}, opts: { commit?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'tracks-test-'));
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Test User');
  git(dir, 'config', 'user.email', 'test@example.com');
  git(dir, 'config', 'commit.gpgsign', 'false');
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), c);
  }
  if (opts.commit !== false && Object.keys(files).length) {
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'initial');
  }
  return dir;
}

/** A temp repo holding a copy of a real corpus in work_orders/. */
export function corpusRepo(which: 'head' | 'old' = 'head'): string {
  const dir = tempRepo();
  cpSync(which === 'head' ? CORPUS_HEAD : CORPUS_OLD, join(dir, 'work_orders'), { recursive: true });
  writable(join(dir, 'work_orders'));
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'corpus');
  return dir;
}

/** The shared corpora are read-only; a clone of a repository is not (git checks files out 644). */
export function writable(dir: string) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    chmodSync(p, e.isDirectory() ? 0o755 : 0o644);
    if (e.isDirectory()) writable(p);
  }
}

export function removeRepo(dir: string) {
  rmSync(dir, { recursive: true, force: true });
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process, as a user would from `cwd`. */
export async function cli(cwd: string, args: string[], opts: { env?: Record<string, string | undefined>; interactive?: boolean } = {}): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const io: IO = {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    env: { NO_COLOR: '1', TRACKS_NO_CACHE: '1', ...opts.env },
    cwd,
    interactive: opts.interactive ?? false,
    isTTY: false,
    columns: 100,
  };
  const code = await run(args, io);
  return { code, stdout, stderr };
}

export function read(dir: string, path: string): string {
  return readFileSync(join(dir, path), 'utf8');
}

export function write(dir: string, path: string, content: string) {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), content);
}

export function ls(dir: string, sub: string): string[] {
  try {
    return readdirSync(join(dir, sub)).sort();
  } catch {
    return [];
  }
}

/** A minimal valid work order. */
export function wo(id: string, extra: Record<string, string> = {}, body = '\nBody.\n'): string {
  const fields = { id, title: `Work ${id}`, status: 'ready', ...extra };
  const lines = Object.entries(fields).map(([k, v]) => `${k}: ${v}`);
  return `---\n${lines.join('\n')}\n---\n${body}`;
}

/** A minimal valid track file body. */
export function track(name: string, extra: Record<string, string> = {}): string {
  const fields = { name, goal: 'Some goal', type: 'FEAT', status: 'active', ...extra };
  const lines = Object.entries(fields).map(([k, v]) => `${k}: ${v}`);
  return `---\n${lines.join('\n')}\n---\n\n## Description\n`;
}

/** Temp repositories that are removed after each test of the file that calls this. */
export function tempRepos() {
  const dirs: string[] = [];
  afterEach(() => {
    while (dirs.length) removeRepo(dirs.pop()!);
  });
  const keep = (d: string) => (dirs.push(d), d);
  return {
    repo: (files: Record<string, string> = {}) => keep(tempRepo(files)),
    corpus: (which: 'head' | 'old' = 'head') => keep(corpusRepo(which)),
  };
}

/**
 * Puts each work order of a corpus copy into the last of `tracks` whose tags it
 * lists (a stand-in for a hand-made organisation); a `track:` it had is dropped.
 */
export function assignByTags(dir: string, tracks: readonly (readonly [string, readonly string[]])[]) {
  const woDir = join(dir, 'work_orders');
  for (const f of readdirSync(woDir)) {
    let text = readFileSync(join(woDir, f), 'utf8').replace(/^track(_id)?:.*\n/gm, '');
    const tags = [...text.matchAll(/^ {2}- ([\w-]+)\s*$/gm)].map((m) => m[1]!);
    const hit = [...tracks].reverse().find(([, t]) => t.some((x) => tags.includes(x)));
    if (hit) text = text.replace(/^(id:.*\n)/m, `$1track: ${hit[0]}\n`);
    writeFileSync(join(woDir, f), text);
  }
}
