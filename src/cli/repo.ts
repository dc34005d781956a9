/**
 * The repository as every command sees it: loaded once, through the cache in
 * <git dir>/tracks (--no-cache or TRACKS_NO_CACHE=1 bypass it), with the config held
 * to one meaning. Unknown config keys are warned about (every known key still
 * applies); a config error stops the command instead of falling back to
 * defaults silently.
 */
import type { Ctx } from './ctx.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config, Diagnostic } from '../model/types.js';
import { listRepo, loadListed, type LoadedRepo, type Listing } from '../repo/load.js';
import { cacheDir } from '../fs/cache.js';
import { TracksError } from '../errors/index.js';
import { sanitize } from '../render/sanitize.js';

export interface OpenOptions {
  /** Read what is staged in the git index instead of the work tree. */
  staged?: boolean;
  /** false: read and parse every file, and leave the cache alone. */
  cache?: boolean;
  /**
   * Hold a large repository's work orders as records even without the cache
   * (each file parsed, then kept compact, as check keeps it): for a command
   * that builds a large working set of its own next to them. Whole parsed
   * front matter is ten times bigger; a small repository is still parsed
   * whole, the reference the cache is tested against.
   */
  compact?: boolean;
}

const primed = new WeakMap<Ctx, Listing>();

/** Work orders from which a repository read without the cache is kept as records. */
const COMPACT_FROM = 2000;

/** A listing of the work tree made with the cache for this run already (the run memo's lookup): openRepo loads it instead of listing again. */
export function primeListing(ctx: Ctx, listing: Listing): void {
  primed.set(ctx, listing);
}

export async function openRepo(ctx: Ctx, opts: OpenOptions = {}): Promise<LoadedRepo> {
  const dir = opts.cache === false || ctx.noCache ? undefined : cacheDir(ctx.git(), ctx.root(), ctx.io.env);
  const ready = primed.get(ctx);
  primed.delete(ctx);
  const listing = ready && dir !== undefined && !opts.staged && !ready.staged ? ready : await listRepo(ctx.root(), { staged: opts.staged, cacheDir: dir });
  const repo = await loadListed(listing, { compact: opts.compact === true && listing.workOrderFiles.length >= COMPACT_FROM });
  configGate(ctx, repo.configProblems);
  noteSkipped(ctx, repo.fileProblems ?? []);
  if (!repo.workOrders.length && !repo.tracks.length && !repo.fileProblems.length && !noted.has(ctx)) {
    noted.add(ctx); // once a run: the MCP server opens the repository for every call
    ctx.io.stderr(`${ctx.color.yellow('note:')} ${nothingHere(ctx.root(), repo, opts.staged)}\n`);
  }
  return repo;
}

const noted = new WeakSet<Ctx>();

/** What marks a Backlog.md repository (its own config). */
export const BACKLOG_MD_CONFIG = 'backlog/config.yml';

/** A Backlog.md repository without a tracks.config.yaml: its tasks are not where tracks looks until `tracks init`. */
export function backlogMdUnread(root: string, repo: { configPath?: string }): boolean {
  return repo.configPath === undefined && existsSync(join(root, BACKLOG_MD_CONFIG));
}

/**
 * Where tracks looked when it found neither work orders nor tracks, and what
 * to do about it: a Backlog.md repository without a tracks.config.yaml needs
 * `tracks init` (its preset reads backlog/); anywhere else without a config,
 * the user is probably in the wrong directory, or starting.
 */
export function nothingHere(root: string, repo: { config: Config; configPath?: string }, staged = false): string {
  const where = `no work orders in ${repo.config.workOrdersDir}/ and no tracks in ${repo.config.tracksDir}/ under ${sanitize(root)}${staged ? ' (in the index)' : ''}`;
  if (repo.configPath !== undefined) return `${where}.`;
  if (backlogMdUnread(root, repo)) return `${where}. This is a Backlog.md repository (${BACKLOG_MD_CONFIG}): \`tracks init\` writes a tracks.config.yaml that reads its tasks.`;
  return `${where}: run tracks where they are (or pass -C <dir>), or \`tracks init\` to start.`;
}

/**
 * Files that are not read (links, FIFOs, devices, huge files) are left out of
 * every command but check, which reports each; the others say so in one line.
 */
export function noteSkipped(ctx: Ctx, problems: Diagnostic[]): void {
  if (!problems.length) return;
  const shown = problems.map((d) => d.file).sort().slice(0, 3).map((f) => sanitize(f));
  const more = problems.length - shown.length;
  ctx.io.stderr(`${ctx.color.yellow('note:')} skipped ${problems.length === 1 ? 'a file' : `${problems.length} files`} tracks does not read (${shown.join(', ')}${more ? ` and ${more} more` : ''}); \`tracks check\` says why.\n`);
}

const warned = new WeakSet<Ctx>();

/** Prints config warnings (once per run) and throws on the first config error. */
export function configGate(ctx: Ctx, problems: Diagnostic[]): void {
  if (!warned.has(ctx)) {
    warned.add(ctx);
    for (const d of problems.filter((p) => p.severity === 'warning')) {
      ctx.io.stderr(`${ctx.color.yellow('warning')} ${sanitize(d.file)}:${d.line}:${d.col}: ${sanitize(d.message)} ${ctx.color.dim(`[${d.code}]`)}${d.hint ? `\n  ${ctx.color.dim('hint:')} ${sanitize(d.hint)}` : ''}\n`);
    }
  }
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length) {
    const d = errors[0]!;
    throw new TracksError('CONFIG_INVALID', `${d.message}${errors.length > 1 ? ` (and ${errors.length - 1} more config error${errors.length === 2 ? '' : 's'})` : ''}`, {
      where: { file: d.file, line: d.line, col: d.col },
      hint: d.hint ? `${d.hint} \`tracks check\` lists every config problem.` : 'Run `tracks check` to see every config problem.',
    });
  }
}
