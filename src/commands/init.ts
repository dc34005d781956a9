import { Command } from 'commander';
import type { Ctx } from './context.js';
export default function init(_ctx: Ctx): Command {
  return new Command('init').description('TODO');
}
