import { Command } from 'commander';
import type { Ctx } from '../cli/ctx.js';

export default function mcp(ctx: Ctx): Command {
  return new Command('mcp')
    .description('Serve this repository to coding agents over MCP (stdio): a few bounded tools that answer the JSON shapes of the commands.')
    .addHelpText(
      'after',
      `
The repository is the working directory, or -C <dir>, or TRACKS_ROOT. stdout carries
only protocol messages; everything else goes to stderr. Write tools commit through the
repository lock, like the CLI; organize is only ever proposed.

Examples:
  $ claude mcp add tracks -- npx tracks mcp
  $ tracks -C ~/src/game mcp
  $ TRACKS_ROOT=~/src/game tracks mcp`,
    )
    .action(async () => {
      const { serveMcp } = await import('../mcp/server.js');
      await serveMcp(ctx);
    });
}
