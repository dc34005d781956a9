import { Command } from 'commander';
import type { Ctx } from './context.js';
export default function list(_ctx: Ctx): Command {
  return new Command('list').description('TODO');
}
