import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Ctx } from '../cli/ctx.js';
import { err } from '../cli/ctx.js';
import { changeOptions, report, runChange, type ChangeOpts } from '../cli/change.js';
import { CONFIG_FILE, DEFAULT_CONFIG, defaultConfigText } from '../config/config.js';
import { TracksError } from '../errors/index.js';
import { readTarget } from '../apply/files.js';
import { PLAN_VERSION, type ChangePlan, type FileChange } from '../plan/types.js';

const TRACKS_README = `# Tracks

One file per track: \`NNNN_TYPE_slug.md\` (e.g. \`0001_FEAT_runner-reliability.md\`).
Work orders join a track with \`track: <slug>\` in their front matter.
Managed with tracks: \`tracks check\`, \`tracks organize\`, \`tracks show <slug>\`.
`;

export default function init(ctx: Ctx): Command {
  return changeOptions(
    new Command('init')
      .description(`Write a default ${CONFIG_FILE} and a tracks/ directory.`)
      .option('--force', `overwrite an existing ${CONFIG_FILE}`),
  )
    .addHelpText('after', '\nExamples:\n  $ tracks init\n  $ tracks init --no-commit && tracks hook install')
    .action(async (opts: ChangeOpts & { force?: boolean }) => {
      // init makes a repository: outside git and without a config, here is where.
      const root = ctx.root({ outsideRepository: true });
      const applied = await runChange(
        ctx,
        { ...opts, commit: opts.commit && Boolean(ctx.git()) },
        (_repo, s): ChangePlan => {
          const config = readTarget(root, CONFIG_FILE);
          if (config && !opts.force) throw new TracksError('CONFIG_EXISTS', `${CONFIG_FILE} already exists`);
          const changes: FileChange[] = [
            config ? { path: CONFIG_FILE, action: 'update', baseHash: config.hash, content: defaultConfigText() } : { path: CONFIG_FILE, action: 'create', baseHash: null, content: defaultConfigText() },
          ];
          const readme = `${DEFAULT_CONFIG.tracksDir}/README.md`;
          if (!readTarget(root, readme)) changes.push({ path: readme, action: 'create', baseHash: null, content: TRACKS_README });
          return { version: PLAN_VERSION, kind: 'init', createdAt: s.now, message: 'tracks: init\n\nDefault configuration and the tracks/ directory.\n', changes };
        },
        { setup: true },
      );
      if (!applied) return;
      report(ctx, applied, opts);
      if (opts.format === 'json') return;
      if (!existsSync(join(root, DEFAULT_CONFIG.workOrdersDir))) err(ctx, `note: there is no ${DEFAULT_CONFIG.workOrdersDir}/ directory yet; work orders go there.`);
      err(ctx, 'Next: `tracks organize` to propose tracks, `tracks hook install` for a pre-commit check.');
    });
}
