import { Command, Option } from 'commander';
import { appendFileSync, existsSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { Ctx } from '../cli/ctx.js';
import { wholeNumber } from '../cli/options.js';
import { listRepo, loadListed, runFingerprint, skippedFiles, statListing, type Listing } from '../repo/load.js';
import { TracksError } from '../errors/index.js';
import { relPath } from '../fs/source.js';
import { hasHead, stagedChanges } from '../git/staged.js';
import { cacheDir, RunMemo } from '../fs/cache.js';
import type { Diagnostic } from '../model/types.js';
import { workOrderCounts, type WorkOrderCounts } from '../core/counts.js';
import { plural } from '../render/plural.js';
import { runCheck } from '../validate/check.js';
import { formatDiagnostics, markdownSummary, counts, type CheckFormat } from '../diagnostics/format.js';

export default function check(ctx: Ctx): Command {
  return new Command('check')
    .description('Validate work orders, tracks and the config; report every problem with path:line:col.')
    .argument('[paths...]', 'only report problems in these files (rules still see the whole repository)')
    .option('--staged', 'check what is staged in the git index, not the work tree (for pre-commit hooks)')
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['stylish', 'json', 'github'])
        .default(ctx.io.env.GITHUB_ACTIONS === 'true' ? 'github' : 'stylish', 'github under GitHub Actions, else stylish'),
    )
    .option('--require-track', 'make work orders without a track an error (for CI)')
    .option('--max-warnings <n>', 'exit 1 when there are more than n warnings', wholeNumber(0))
    .option('--strict-scope', "with --staged on a claimed track's branch: staged files outside the track's scope are errors, not warnings")
    .addHelpText(
      'after',
      `
Examples:
  $ tracks check                           the whole repository
  $ tracks check --staged                  what is about to be committed (pre-commit hook)
  $ tracks check --format github --require-track    in CI
  $ tracks check work_orders/WO-2026-001.md
  $ tracks check --staged --strict-scope   an agent on a claimed track's branch stays in its scope

Exit codes: 0 no errors, 1 errors found (or too many warnings), 2 usage or config error.`,
    )
    .action(async (paths: string[], opts: { staged?: boolean; format: CheckFormat; requireTrack?: boolean; maxWarnings?: number; strictScope?: boolean }) => {
      const root = ctx.root();
      const dir = ctx.noCache ? undefined : cacheDir(ctx.git(), root, ctx.io.env);
      const { raw, diagnostics, counts: workOrders } = await checkSource(root, dir, opts.staged ? 'staged' : 'worktree', opts.requireTrack);
      const listed = [...raw.workOrderFiles, ...raw.trackFiles];
      if ((opts.requireTrack || raw.config.requireTrack) && !listed.length && !raw.fileProblems.length) {
        throw new TracksError('NOTHING_TO_CHECK', `nothing to check: no work orders in ${raw.config.workOrdersDir}/ and no tracks in ${raw.config.tracksDir}/ under ${root}${opts.staged ? ' (in the index)' : ''}, and ${opts.requireTrack ? '--require-track' : 'require_track'} expects work orders`, {
          hint: (await import('../cli/repo.js')).backlogMdUnread(root, raw)
            ? `This is a Backlog.md repository (backlog/config.yml): \`tracks init\` writes a tracks.config.yaml that reads its tasks.`
            : 'Run it in the repository that holds them (or pass -C <dir>), or set work_orders_dir and tracks_dir in tracks.config.yaml.',
        });
      }
      const only = paths.length ? selectPaths(ctx, root, paths, [...listed.map((r) => r.path), ...raw.fileProblems.map((d) => d.file), ...(raw.configPath ? [raw.configPath] : [])], Boolean(opts.staged)) : undefined;
      // In the pre-commit hook, only what this commit brings is judged (see judgeCommit).
      const judged = opts.staged ? await judgeCommit(root, dir, diagnostics, opts.requireTrack) : undefined;
      const git = ctx.git();
      // Depends on the branch and on every staged path, so it is never cached; shown even when other warnings of a commit are only counted.
      const scope = opts.staged && git && raw.trackFiles.length ? await (await import('../workspace/staged-scope.js')).outsideScope({ ...git, root }, raw, Boolean(opts.strictScope)) : [];
      if (!listed.length && !raw.fileProblems.length) ctx.io.stderr(`note: ${(await import('../cli/repo.js')).nothingHere(root, raw, opts.staged)}\n`);
      const all = [...(judged && !ctx.verbose ? judged.blocking : diagnostics), ...scope];
      const shown = only ? all.filter((d) => only.has(d.file)) : all;
      const filesChecked = only ? only.size : listed.length + raw.fileProblems.length + (raw.configPath ? 1 : 0);
      // The counts are the whole repository's: the pre-commit hook and a run limited to paths do not show them.
      const whole = !judged && !only;
      ctx.io.stdout(formatDiagnostics(opts.format, shown, { filesChecked, color: ctx.color, workOrders, showCounts: whole }));
      const unassigned = workOrders.unassigned;
      if (opts.format === 'stylish' && !judged && unassigned > 0 && unassigned >= raw.config.organizeThreshold) {
        ctx.io.stderr(`Organize is due: ${plural(unassigned, 'work order')} ${unassigned === 1 ? 'has' : 'have'} no track (organize_threshold: ${raw.config.organizeThreshold}). Run \`tracks organize\`.\n`);
      }
      const summaryFile = ctx.io.env.GITHUB_STEP_SUMMARY;
      if (opts.format === 'github' && summaryFile) {
        try {
          appendFileSync(summaryFile, markdownSummary(shown, { filesChecked }));
        } catch {
          // the summary is a courtesy
        }
      }
      if (judged && !ctx.verbose && (judged.outside.length || judged.warnings.length)) {
        const n = plural;
        const c = counts(judged.outside);
        const parts = [
          judged.warnings.length ? `${n(judged.warnings.length, 'warning')} in the files this commit changes` : '',
          c.errors || c.warnings ? `${[c.errors ? n(c.errors, 'error') : '', c.warnings ? n(c.warnings, 'warning') : ''].filter(Boolean).join(' and ')} already in other files` : '',
        ].filter(Boolean);
        ctx.io.stderr(`tracks: not blocking this commit: ${parts.join('; ')} (\`tracks check\` shows them).\n`);
      }
      const { errors, warnings } = counts(shown);
      const configBroken = raw.configProblems.some((d) => d.severity === 'error');
      ctx.exitCode = configBroken ? 2 : errors > 0 || (opts.maxWarnings !== undefined && warnings > opts.maxWarnings) ? 1 : 0;
    });
}

type Kind = 'worktree' | 'staged' | 'head';

/** Every diagnostic of one source (the work tree, the index, HEAD), from the whole-run memo when nothing changed. */
async function checkSource(root: string, dir: string | undefined, kind: Kind, requireTrack: boolean | undefined): Promise<{ raw: Listing; diagnostics: Diagnostic[]; counts: WorkOrderCounts }> {
  const raw = await listRepo(root, { ...(kind === 'staged' ? { staged: true } : kind === 'head' ? { rev: 'HEAD' } : {}), cacheDir: dir });
  const memo = new RunMemo(dir, kind);
  const options = [String(Boolean(requireTrack))];
  // A first run has no memo to compare with: it takes each file's stat as it reads it.
  if (dir && memo.present) statListing(raw);
  let run = dir && memo.present ? runFingerprint(raw, options) : undefined;
  let diagnostics = run ? memo.lookup(run.fp, run.newest) : undefined;
  let counts = memo.counts as WorkOrderCounts | undefined;
  if (!diagnostics || !counts) {
    const repo = await loadListed(raw, { compact: true });
    // Files found too large or not regular only when opened: kept with the result, since a cached run does not open them.
    const listed = new Set(raw.fileProblems);
    diagnostics = [...skippedFiles(raw).filter((d) => !listed.has(d)), ...runCheck(repo, { requireTrack })];
    // Unassigned and unreadable as status, list --unassigned and report count them.
    counts = workOrderCounts(repo.workOrders, repo.tracks);
    run ??= dir ? runFingerprint(raw, options) : undefined;
    if (run) memo.save(run.fp, diagnostics, counts);
  }
  // Entries that are not regular files are found by listing, every run (they have no content to cache).
  return { raw, diagnostics: [...raw.fileProblems, ...diagnostics], counts };
}

/**
 * A commit is judged by what it brings: errors in the files it changes, and
 * errors it causes elsewhere (a renamed slug that leaves work orders pointing
 * nowhere) — found by checking HEAD too. Problems already in files it does not
 * touch do not block it.
 */
async function judgeCommit(root: string, dir: string | undefined, staged: Diagnostic[], requireTrack: boolean | undefined): Promise<{ blocking: Diagnostic[]; warnings: Diagnostic[]; outside: Diagnostic[] }> {
  const changed = await stagedChanges(root);
  const before = (await hasHead(root)) ? (await checkSource(root, dir, 'head', requireTrack)).diagnostics : [];
  const key = (d: Diagnostic) => `${d.code}\0${d.file}\0${d.message}`;
  const had = new Map<string, number>();
  for (const d of before) if (d.severity === 'error') had.set(key(d), (had.get(key(d)) ?? 0) + 1);
  const blocking: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const outside: Diagnostic[] = [];
  for (const d of staged) {
    if (changed.has(d.file) || d.file === 'tracks.config.yaml') {
      (d.severity === 'error' ? blocking : warnings).push(d);
      continue;
    }
    const n = had.get(key(d)) ?? 0;
    if (d.severity === 'error' && n === 0) blocking.push(d);
    else {
      if (d.severity === 'error') had.set(key(d), n - 1);
      outside.push(d);
    }
  }
  return { blocking, warnings, outside };
}

/**
 * The files named on the command line, among those check reads (`known`): a
 * file, or a directory for every file under it. A path that names none of
 * them is a usage error, not a silent pass.
 */
function selectPaths(ctx: Ctx, root: string, paths: string[], known: string[], staged: boolean): Set<string> {
  const only = new Set<string>();
  for (const p of paths) {
    const abs = resolve(ctx.cwd(), p);
    const rel = relPath(root, abs);
    if (rel === '..' || rel.startsWith('../') || isAbsolute(rel)) {
      throw new TracksError('UNKNOWN_PATH', `${p} is outside the repository (${root})`, { hint: 'Name files of this repository, or pass -C <dir>.' });
    }
    const under = rel === '' ? known : known.filter((k) => k === rel || k.startsWith(`${rel}/`));
    if (!under.length) {
      const there = existsSync(abs);
      throw new TracksError(
        'UNKNOWN_PATH',
        !there
          ? `${p}: no such file or directory`
          : `${p} is not a work order, a track or tracks.config.yaml${staged ? ' staged in the index' : ''}, and holds none`,
        { hint: 'check reads *.md files directly in the work-order and track directories (README.md aside) and tracks.config.yaml; run `tracks check` without paths to see them all.' },
      );
    }
    for (const k of under) only.add(k);
  }
  return only;
}
