/**
 * The root program. Command modules come from the lazy table in
 * commands/registry.ts; heavy modules (the LLM SDK, prompts, layout) are
 * imported inside actions only, so `tracks check` in a pre-commit hook starts fast.
 */
import { Command } from 'commander';
import type { Ctx } from './ctx.js';
import type { IO } from '../term/io.js';
import { VERSION } from '../version.js';

import { modulesFor, WRITING_COMMANDS } from './registry.js';
import { hasJournal } from '../apply/journal.js';

/** Help sections, in order; a command not listed lands under "More commands". */
const GROUPS: [string, string[]][] = [
  ['Organize:', ['organize', 'apply', 'status']],
  ['Validate and inspect:', ['check', 'list', 'show', 'next', 'report', 'context', 'tree']],
  ['Edit:', ['assign', 'unassign', 'create', 'rename']],
  ['Lifecycle:', ['ready', 'start', 'pause', 'resume', 'complete', 'fail', 'cancel', 'archive', 'switch', 'experiment']],
  ['Parallel work:', ['claim', 'release', 'claims', 'merge-plan', 'doctor']],
  ['Set-up:', ['init', 'hook']],
  ['Agents:', ['mcp', 'agent-instructions']],
];

export async function makeProgram(ctx: Ctx & { setGlobal(o: object): void }, io: IO, argv: string[]): Promise<Command> {
  const program = new Command('tracks')
    .description('Group a git-backed backlog of work orders into tracks.')
    .version(VERSION, '-V, --version', 'print the version')
    .option('-C, --cwd <dir>', 'run as if started in <dir>')
    .option('--verbose', 'show stack traces and debug details')
    .option('--no-color', 'disable colour (NO_COLOR is honoured too)')
    .showSuggestionAfterError(true)
    .configureHelp({ sortSubcommands: false, showGlobalOptions: true })
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
      // Errors are printed by the one error boundary (main.ts), with a code and a hint.
      outputError: () => {},
    })
    .hook('preAction', async (_this, action) => {
      ctx.setGlobal(program.opts());
      const path = [action.parent && action.parent !== program ? action.parent.name() : '', action.name()].filter(Boolean).join(' ');
      ctx.writes = WRITING_COMMANDS.has(path);
      // A change a killed tracks process left half applied is finished or undone before anything else reads the files.
      const g = ctx.git();
      if (g && hasJournal(g.gitDir)) await (await import('./change.js')).recoverIfInterrupted(ctx);
    });
  program.addHelpText(
    'after',
    `
Examples:
  $ tracks check                      validate work orders, tracks and config
  $ tracks organize --mode reorg      propose tracks (offline without ANTHROPIC_API_KEY)
  $ tracks list --unassigned          work orders without a track
  $ tracks show runner-reliability    one track, its work orders and progress

Exit codes: 0 ok, 1 problems found, 2 usage/config/internal error, 130 aborted.`,
  );
  const factories = (await Promise.all(modulesFor(argv).map((m) => m.load()))).flat();
  const commands = factories.map((make) => make(ctx));
  const group = (c: Command) => GROUPS.findIndex(([, names]) => names.includes(c.name()));
  const rank = (c: Command) => (group(c) === -1 ? GROUPS.length : group(c));
  for (const cmd of [...commands].sort((a, b) => rank(a) - rank(b))) {
    inherit(cmd, program);
    cmd.helpGroup(GROUPS[group(cmd)]?.[0] ?? 'More commands:');
    program.addCommand(cmd);
  }
  return program;
}


/**
 * Output, exit override and help settings for a command and its sub-commands:
 * `addCommand` copies nothing, and sub-commands made before their parent was
 * added copied the defaults (which would print to process.stdout and exit).
 */
function inherit(cmd: Command, from: Command): void {
  cmd.copyInheritedSettings(from);
  for (const sub of cmd.commands) inherit(sub, cmd);
}
