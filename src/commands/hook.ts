import { Command } from 'commander';
import type { Ctx } from './context.js';
export default function hook(_ctx: Ctx): Command {
  return new Command('hook').description('TODO');
}
