/**
 * Commands beyond the core set. One line per command module; keep this list
 * free of heavy imports (command modules import their engines lazily).
 */
import type { Command } from 'commander';
import type { Ctx } from './context.js';
import tree from './tree.js';

export type CommandFactory = (ctx: Ctx) => Command;

export const extraCommands: CommandFactory[] = [tree];
