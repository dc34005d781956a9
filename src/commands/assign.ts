import { Command } from 'commander';
import type { Ctx } from './context.js';
export default function assign(_ctx: Ctx): Command {
  return new Command('assign').description('TODO');
}
export function unassign(_ctx: Ctx): Command {
  return new Command('unassign').description('TODO');
}
