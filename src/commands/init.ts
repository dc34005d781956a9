import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Ctx } from '../cli/ctx.js';
import { err } from '../cli/ctx.js';
import { CONFIG_FILE, DEFAULT_CONFIG, defaultConfigText } from '../config/config.js';
import { TracksError } from '../errors/index.js';
import { isRepo } from '../git/git.js';
import { writeAndCommit } from './write.js';
import type { FileWrite } from '../fs/atomic.js';

const TRACKS_README = `# Tracks

One file per track: \`NNNN_TYPE_slug.md\` (e.g. \`0001_FEAT_runner-reliability.md\`).
Work orders join a track with \`track: <slug>\` in their front matter.
Managed with [tracks](https://www.npmjs.com/package/tracks): \`tracks check\`, \`tracks organize\`, \`tracks show <slug>\`.
`;

export default function init(ctx: Ctx): Command {
  return new Command('init')
    .description(`Write a default ${CONFIG_FILE} and a tracks/ directory.`)
    .option('--force', `overwrite an existing ${CONFIG_FILE}`)
    .option('--no-commit', 'write the files but do not commit')
    .addHelpText('after', '\nExamples:\n  $ tracks init\n  $ tracks init --no-commit && tracks hook install')
    .action(async (opts: { force?: boolean; commit: boolean }) => {
      const root = ctx.root({ outsideRepository: true });
      const writes: FileWrite[] = [];
      if (existsSync(join(root, CONFIG_FILE)) && !opts.force) {
        throw new TracksError('CONFIG_EXISTS', `${CONFIG_FILE} already exists`, { hint: 'Pass --force to overwrite it.' });
      }
      writes.push({ path: CONFIG_FILE, content: defaultConfigText() });
      const readme = `${DEFAULT_CONFIG.tracksDir}/README.md`;
      if (!existsSync(join(root, readme))) writes.push({ path: readme, content: TRACKS_README });
      const commit = opts.commit && (await isRepo(root));
      const r = await writeAndCommit(ctx, writes, { commit, message: 'tracks: init\n\nDefault configuration and the tracks/ directory.\n' });
      for (const p of r.paths) err(ctx, `wrote ${p}`);
      if (!existsSync(join(root, DEFAULT_CONFIG.workOrdersDir))) err(ctx, `note: there is no ${DEFAULT_CONFIG.workOrdersDir}/ directory yet; work orders go there.`);
      err(ctx, `Next: \`tracks organize\` to propose tracks, \`tracks hook install\` for a pre-commit check.${r.commit ? ` (commit ${r.commit.slice(0, 7)})` : ''}`);
    });
}
