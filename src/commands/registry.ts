/**
 * Commands beyond the core set. One line per command module; keep this list
 * free of heavy imports (command modules import their engines lazily).
 */
import type { Command } from 'commander';
import type { Ctx } from './context.js';
import { lifecycleCommands } from './lifecycle.js';
import next from './next.js';
import report from './report.js';
import pack from './pack.js';
import experiment from './experiment.js';
import tree from './tree.js';
import organize from './organize.js';
import apply from './apply.js';
import status from './status.js';

export type CommandFactory = (ctx: Ctx) => Command;

export const extraCommands: CommandFactory[] = [
  ...lifecycleCommands,
  next,
  report,
  pack,
  experiment,
  tree,
  organize,
  apply,
  status,
];
