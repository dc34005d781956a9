import { Command, Option } from 'commander';
import { appendFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Ctx } from './context.js';
import { readRepoFiles, parseWorkOrderFile, parseTrackFile, type FileRef } from '../fs/repo.js';
import { relPath } from '../fs/source.js';
import { cacheDir, FileCache } from '../fs/cache.js';
import { CACHE_FORMAT, cacheKey, runCheck } from '../validate/check.js';
import { formatDiagnostics, markdownSummary, counts, type CheckFormat } from '../report/format.js';
import { BUILD_ID, VERSION } from '../version.js';

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
    .option('--max-warnings <n>', 'exit 1 when there are more than n warnings', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new Error('--max-warnings needs a whole number');
      return n;
    })
    .option('--no-cache', 'ignore and do not write the check cache')
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
    .action(async (paths: string[], opts: { staged?: boolean; format: CheckFormat; requireTrack?: boolean; maxWarnings?: number; cache: boolean }) => {
      const root = ctx.root();
      const raw = await readRepoFiles(root, { staged: opts.staged });
      const cache = new FileCache(opts.cache ? cacheDir(root, ctx.io.env) : undefined, `${CACHE_FORMAT}:${VERSION}:${BUILD_ID}:${JSON.stringify(raw.config)}`);
      if (!opts.staged && opts.cache) useStatShortcut(root, raw.workOrderFiles, cache);
      // From the index, fetch only the blobs the cache does not already know.
      await raw.prefetch([...raw.trackFiles, ...raw.workOrderFiles.filter((f) => !f.hash || !cache.has(cacheKey(f.path, f.hash)))]);
      const tracks = raw.trackFiles.flatMap((r) => {
        const f = r.read();
        return f ? [parseTrackFile(f)] : [];
      });
      const { diagnostics } = runCheck(
        {
          config: raw.config,
          configProblems: raw.configProblems,
          workOrders: raw.workOrderFiles.map((r) => ({
            path: r.path,
            hash: r.hash,
            load: () => {
              const f = r.read();
              return f && { hash: f.hash, parse: () => parseWorkOrderFile(f) };
            },
          })),
          tracks,
        },
        { requireTrack: opts.requireTrack, cache },
      );
      cache.save();
      const only = paths.length ? new Set(paths.map((p) => relPath(root, resolve(ctx.cwd(), p)))) : undefined;
      const shown = only ? diagnostics.filter((d) => only.has(d.file)) : diagnostics;
      const filesChecked = only ? only.size : raw.workOrderFiles.length + raw.trackFiles.length + (raw.configPath ? 1 : 0);
      ctx.io.stdout(formatDiagnostics(opts.format, shown, { filesChecked, color: opts.format === 'stylish' ? ctx.color : ctx.color }));
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

/**
 * Work-tree files whose size and mtime match the cache get their blob id
 * without being read; the others remember their stat when they are read.
 */
function useStatShortcut(root: string, refs: FileRef[], cache: FileCache) {
  for (const ref of refs) {
    let st;
    try {
      st = statSync(join(root, ref.path));
    } catch {
      continue;
    }
    const known = cache.hashFromStat(ref.path, st.size, st.mtimeMs);
    if (known) {
      ref.hash = known;
      continue;
    }
    const read = ref.read;
    const { size, mtimeMs } = st;
    ref.read = () => {
      const f = read();
      if (f && f.bytes.byteLength === size) cache.rememberStat(ref.path, size, mtimeMs, f.hash);
      return f;
    };
  }
}
