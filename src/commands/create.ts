import { Command } from 'commander';
import type { Ctx } from './context.js';
export default function create(_ctx: Ctx): Command {
  return new Command('create').description('TODO');
}
