/**
 * The command table. Modules are imported only when needed: `tracks check`
 * loads the check module alone (module loading is most of a hook run's cost),
 * while `--help` and unknown commands load them all. Every module's command
 * names are listed here; test/unit/registry.test.ts holds the list to the code.
 */
import type { Command } from 'commander';
import type { Ctx } from './ctx.js';

export type CommandFactory = (ctx: Ctx) => Command;

export interface CommandModule {
  names: string[];
  load: () => Promise<CommandFactory[]>;
}

const one = (m: { default: CommandFactory }) => [m.default];

export const COMMANDS: CommandModule[] = [
  { names: ['organize'], load: async () => one(await import('../commands/organize.js')) },
  { names: ['apply'], load: async () => one(await import('../commands/apply.js')) },
  { names: ['status'], load: async () => one(await import('../commands/status.js')) },
  { names: ['check'], load: async () => one(await import('../commands/check.js')) },
  { names: ['list'], load: async () => one(await import('../commands/list.js')) },
  { names: ['show'], load: async () => one(await import('../commands/show.js')) },
  { names: ['next'], load: async () => one(await import('../commands/next.js')) },
  { names: ['report'], load: async () => one(await import('../commands/report.js')) },
  { names: ['context'], load: async () => one(await import('../commands/context.js')) },
  { names: ['tree'], load: async () => one(await import('../commands/tree.js')) },
  {
    names: ['assign', 'unassign'],
    load: async () => {
      const m = await import('../commands/assign.js');
      return [m.default, m.unassign];
    },
  },
  { names: ['create'], load: async () => one(await import('../commands/create.js')) },
  { names: ['rename'], load: async () => one(await import('../commands/rename.js')) },
  {
    names: ['ready', 'start', 'pause', 'resume', 'complete', 'fail', 'cancel', 'archive', 'switch'],
    load: async () => (await import('../commands/lifecycle.js')).lifecycleCommands,
  },
  { names: ['experiment'], load: async () => one(await import('../commands/experiment.js')) },
  {
    names: ['claim', 'release', 'claims'],
    load: async () => {
      const m = await import('../commands/claim.js');
      return [m.default, m.release, m.claims];
    },
  },
  { names: ['doctor'], load: async () => one(await import('../commands/doctor.js')) },
  { names: ['merge-plan'], load: async () => one(await import('../commands/merge-plan.js')) },
  { names: ['init'], load: async () => one(await import('../commands/init.js')) },
  { names: ['hook'], load: async () => one(await import('../commands/hook.js')) },
  { names: ['mcp'], load: async () => one(await import('../commands/mcp.js')) },
  { names: ['agent-instructions'], load: async () => one(await import('../commands/agent-instructions.js')) },
];

/** Commands that change the repository: their errors state whether files changed. */
export const WRITING_COMMANDS = new Set([
  'organize', 'apply', 'assign', 'unassign', 'create', 'rename', 'init', 'hook install', 'hook uninstall', 'experiment pick',
  'ready', 'start', 'pause', 'resume', 'complete', 'fail', 'cancel', 'archive', 'switch',
  'claim', 'release', 'doctor',
]);

/** Options of the root program that take a value (so their value is not taken for a command name). */
const ROOT_OPTIONS_WITH_VALUE = new Set(['-C', '--cwd']);

/** The modules needed to run `argv`: one when its command is known, all otherwise. */
export function modulesFor(argv: string[]): CommandModule[] {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (ROOT_OPTIONS_WITH_VALUE.has(a)) {
      i++;
      continue;
    }
    if (a.startsWith('-')) continue;
    const hit = COMMANDS.find((m) => m.names.includes(a));
    return hit ? [hit] : COMMANDS;
  }
  return COMMANDS;
}
