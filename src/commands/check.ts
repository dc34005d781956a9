import { Command, Option } from 'commander';
import { appendFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Ctx } from '../cli/ctx.js';
import { wholeNumber } from '../cli/options.js';
import { listRepo, loadListed, runFingerprint } from '../repo/load.js';
import { relPath } from '../fs/source.js';
import { cacheDir, RunMemo } from '../fs/cache.js';
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
    .addHelpText(
      'after',
      `
Examples:
  $ tracks check                           the whole repository
  $ tracks check --staged                  what is about to be committed (pre-commit hook)
  $ tracks check --format github --require-track    in CI
  $ tracks check work_orders/WO-2026-001.md

Exit codes: 0 no errors, 1 errors found (or too many warnings), 2 usage or config error.`,
    )
    .action(async (paths: string[], opts: { staged?: boolean; format: CheckFormat; requireTrack?: boolean; maxWarnings?: number }) => {
      const root = ctx.root();
      const dir = ctx.noCache ? undefined : cacheDir(ctx.git()?.gitDir, ctx.io.env);
      const raw = await listRepo(root, { staged: opts.staged, cacheDir: dir });
      const memo = new RunMemo(dir, opts.staged ? 'staged' : 'worktree');
      const run = dir ? runFingerprint(raw, [String(Boolean(opts.requireTrack))]) : undefined;
      let diagnostics = run ? memo.lookup(run.fp, run.newest) : undefined;
      if (!diagnostics) {
        diagnostics = runCheck(await loadListed(raw), { requireTrack: opts.requireTrack });
        if (run) memo.save(run.fp, diagnostics);
      }
      if (!raw.workOrderFiles.length && !raw.trackFiles.length) {
        ctx.io.stderr(`note: no work orders in ${raw.config.workOrdersDir}/ and no tracks in ${raw.config.tracksDir}/ under ${root}${opts.staged ? ' (in the index)' : ''}.\n`);
      }
      const only = paths.length ? new Set(paths.map((p) => relPath(root, resolve(ctx.cwd(), p)))) : undefined;
      const shown = only ? diagnostics.filter((d) => only.has(d.file)) : diagnostics;
      const filesChecked = only ? only.size : raw.workOrderFiles.length + raw.trackFiles.length + (raw.configPath ? 1 : 0);
      ctx.io.stdout(formatDiagnostics(opts.format, shown, { filesChecked, color: opts.format === 'stylish' ? ctx.color : ctx.color }));
      const unassigned = diagnostics.filter((d) => d.code === 'wo/unassigned').length;
      if (opts.format === 'stylish' && unassigned >= raw.config.organizeThreshold) {
        ctx.io.stderr(`Organize is due: ${unassigned} work orders have no track (organize_threshold: ${raw.config.organizeThreshold}). Run \`tracks organize\`.\n`);
      }
      const summaryFile = ctx.io.env.GITHUB_STEP_SUMMARY;
      if (opts.format === 'github' && summaryFile) {
        try {
          appendFileSync(summaryFile, markdownSummary(shown, { filesChecked }));
        } catch {
          // the summary is a courtesy
        }
      }
      const { errors, warnings } = counts(shown);
      const configBroken = raw.configProblems.some((d) => d.severity === 'error');
      ctx.exitCode = configBroken ? 2 : errors > 0 || (opts.maxWarnings !== undefined && warnings > opts.maxWarnings) ? 1 : 0;
    });
}

