import { Command } from 'commander';
import type { Ctx } from './context.js';
export default function show(_ctx: Ctx): Command {
  return new Command('show').description('TODO');
}
