import { Command } from 'commander';
import type { Ctx } from '../cli/ctx.js';
export default function doctor(ctx: Ctx): Command {
  void ctx;
  return new Command('doctor');
}
