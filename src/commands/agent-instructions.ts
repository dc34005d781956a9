import { Command, Option } from 'commander';
import type { Ctx } from '../cli/ctx.js';

export default function agentInstructions(ctx: Ctx): Command {
  return new Command('agent-instructions')
    .description('Print a markdown section for AGENTS.md or CLAUDE.md: how agents find, take, record and finish work here, and what they never do.')
    .addOption(new Option('--cli <command>', 'how the CLI is run in this repository').default('npx tracks'))
    .addHelpText('after', '\nExamples:\n  $ tracks agent-instructions >> AGENTS.md\n  $ tracks agent-instructions --cli tracks >> CLAUDE.md')
    .action(async (opts: { cli: string }) => {
      const { agentInstructions } = await import('../mcp/instructions.js');
      const { COMMANDS } = await import('../cli/registry.js');
      ctx.io.stdout(agentInstructions({ cli: opts.cli, claims: COMMANDS.some((m) => m.names.includes('claim')) }));
    });
}
