import { Command } from 'commander';
import type { Ctx } from '../cli/ctx.js';
export default function mergePlan(ctx: Ctx): Command {
  void ctx;
  return new Command('merge-plan');
}
