import { Command, Option } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Ctx } from '../cli/ctx.js';
import { err } from '../cli/ctx.js';
import { BACKLOG_MD_CONFIG } from '../cli/repo.js';
import { changeOptions, report, runChange, type ChangeOpts } from '../cli/change.js';
import { CONFIG_FILE, DEFAULT_CONFIG, presetConfigText } from '../config/config.js';
import { backlogMdSettings, PRESET_NAMES, presetValues } from '../config/presets.js';
import { TracksError } from '../errors/index.js';
import { readTarget } from '../apply/files.js';
import { PLAN_VERSION, type ChangePlan, type FileChange } from '../plan/types.js';
import type { PresetName } from '../model/types.js';
import type { Prompter } from '../term/prompter.js';

const TRACKS_README = `# Tracks

One file per track: \`NNNN_TYPE_slug.md\` (e.g. \`0001_FEAT_runner-reliability.md\`).
Work orders join a track with \`track: <slug>\` in their front matter.
Managed with tracks: \`tracks check\`, \`tracks organize\`, \`tracks show <slug>\`.
`;

export interface InitOpts extends Partial<ChangeOpts> {
  force?: boolean;
  commit: boolean;
  preset?: PresetName;
}

export default function init(ctx: Ctx): Command {
  return changeOptions(
    new Command('init')
      .description(`Write a ${CONFIG_FILE} (for this project's format, or a preset such as backlog-md when it finds a Backlog.md repository) and a tracks/ directory.`)
      .option('--force', `overwrite an existing ${CONFIG_FILE}`)
      .addOption(new Option('--preset <name>', 'the work-order format (default: backlog-md when backlog/config.yml exists, else default)').choices([...PRESET_NAMES])),
  )
    .addHelpText('after', '\nExamples:\n  $ tracks init\n  $ tracks init --preset backlog-md\n  $ tracks init --no-commit && tracks hook install')
    .action(async (opts: InitOpts) => {
      await runInit(ctx, opts);
    });
}

/** Seam for tests: a scripted prompter. */
export async function runInit(ctx: Ctx, opts: InitOpts, deps: { prompter?: Prompter } = {}): Promise<void> {
  // init makes a repository: outside git and without a config, here is where.
  const root = ctx.root({ outsideRepository: true });
  if (readTarget(root, CONFIG_FILE) && !opts.force) throw new TracksError('CONFIG_EXISTS', `${CONFIG_FILE} already exists`);
  const preset = opts.preset ?? (await detectPreset(ctx, root, deps.prompter));
  let overrides: Record<string, unknown> = {};
  if (preset === 'backlog-md' && existsSync(join(root, BACKLOG_MD_CONFIG))) {
    const read = backlogMdSettings(readFileSync(join(root, BACKLOG_MD_CONFIG), 'utf8'));
    overrides = read.overrides;
    for (const n of read.notes) err(ctx, `${BACKLOG_MD_CONFIG}: ${n}.`);
  }
  const why = preset === 'backlog-md' ? `Written by \`tracks init\` for a Backlog.md repository (${BACKLOG_MD_CONFIG}).` : '';
  const content = presetConfigText(preset, overrides, why);
  const change: ChangeOpts = { commit: opts.commit !== false && Boolean(ctx.git()), format: opts.format ?? 'text', dryRun: opts.dryRun, planOut: opts.planOut };
  const applied = await runChange(
    ctx,
    change,
    (_repo, s): ChangePlan => {
      const config = readTarget(root, CONFIG_FILE);
      if (config && !opts.force) throw new TracksError('CONFIG_EXISTS', `${CONFIG_FILE} already exists`);
      const changes: FileChange[] = [config ? { path: CONFIG_FILE, action: 'update', baseHash: config.hash, content } : { path: CONFIG_FILE, action: 'create', baseHash: null, content }];
      const readme = `${DEFAULT_CONFIG.tracksDir}/README.md`;
      if (!readTarget(root, readme)) changes.push({ path: readme, action: 'create', baseHash: null, content: TRACKS_README });
      const what = preset === 'default' ? 'Default configuration' : `Configuration (preset ${preset})`;
      return { version: PLAN_VERSION, kind: 'init', createdAt: s.now, message: `tracks: init\n\n${what} and the tracks/ directory.\n`, changes };
    },
    { setup: true },
  );
  if (!applied) return;
  report(ctx, applied, change);
  if (change.format === 'json') return;
  const dirs = preset === 'default' ? [DEFAULT_CONFIG.workOrdersDir] : presetDirs(preset);
  if (!dirs.some((d) => existsSync(join(root, d)))) err(ctx, `note: there is no ${dirs[0]}/ directory yet; work orders go there.`);
  err(ctx, 'Next: `tracks organize` to propose tracks, `tracks hook install` for a pre-commit check.');
}

/**
 * A Backlog.md repository gets the backlog-md preset: in a terminal the user
 * is asked; elsewhere the choice is made and said, with the flag that changes it.
 */
async function detectPreset(ctx: Ctx, root: string, prompter: Prompter | undefined): Promise<PresetName> {
  if (!existsSync(join(root, BACKLOG_MD_CONFIG))) return 'default';
  if (ctx.io.interactive || prompter) {
    const p = prompter ?? (await (await import('../term/prompter.js')).inquirerPrompter());
    const yes = await p.confirm({ message: `This looks like a Backlog.md repository (${BACKLOG_MD_CONFIG}). Read its tasks with the backlog-md preset?`, default: true });
    return yes ? 'backlog-md' : 'default';
  }
  err(ctx, `Found ${BACKLOG_MD_CONFIG}: using the backlog-md preset (its task directories, labels, dependencies and priorities). Pass --preset default for the work_orders/ format.`);
  return 'backlog-md';
}

function presetDirs(preset: PresetName): string[] {
  const dirs = presetValues(preset).work_orders_dir;
  return (Array.isArray(dirs) ? dirs : [dirs]).map((d) => (typeof d === 'string' ? d : (d as { path: string }).path));
}
