import { Command, Option } from 'commander';
import type { Ctx } from '../cli/ctx.js';
import { TracksError } from '../errors/index.js';

/** A plan file is JSON a few MiB at most: a bigger one, or anything that is not a regular file, is refused unread. */
const MAX_PLAN_BYTES = 64 * 1024 * 1024;

export default function apply(ctx: Ctx): Command {
  return new Command('apply')
    .description('Apply a plan saved with --plan-out (by organize or any command that writes), if none of its files changed since.')
    .argument('<plan>', 'the plan JSON file')
    .option('-y, --yes', 'apply without asking')
    .option('--no-commit', 'write the files but do not commit')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      `
Examples:
  $ tracks organize --plan-out plan.json      review later, or in CI
  $ tracks apply plan.json                    show what it changes, ask, write, commit
  $ tracks assign WO-1 -t economy --plan-out p.json && tracks apply p.json --yes

The summary shown is computed from the plan's changes. Refused (nothing written) if any
file changed since the plan was made, or if a change is not what the plan's kind allows.`,
    )
    .action(async (file: string, opts: { yes?: boolean; commit: boolean; format: 'text' | 'json' }) => {
      const { resolve } = await import('node:path');
      const { readRegularFile } = await import('../fs/source.js');
      const { parsePlan } = await import('../plan/serialize.js');
      const { summarizeChanges } = await import('../plan/summary.js');
      const change = await import('../cli/change.js');
      let text: string;
      try {
        text = Buffer.from(readRegularFile(resolve(ctx.cwd(), file), MAX_PLAN_BYTES)).toString('utf8');
      } catch (e) {
        throw new TracksError('PLAN_NOT_FOUND', `cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'EFBIG' || (e as NodeJS.ErrnoException).code === 'ENOTREG' ? (e as Error).message : ((e as NodeJS.ErrnoException).code ?? (e as Error).message)}`);
      }
      const plan = parsePlan(text, file);
      if (opts.format === 'text') ctx.io.stdout(summarizeChanges(plan).join('\n') + '\n');
      if (!opts.yes) {
        if (!ctx.io.interactive) throw new TracksError('NEEDS_TTY', 'apply asks before writing, but this is not an interactive terminal', { hint: 'Pass --yes to apply without asking.' });
        const { inquirerPrompter } = await import('../term/prompter.js');
        const ok = await (await inquirerPrompter()).confirm({ message: `Write ${plan.changes.length} file${plan.changes.length === 1 ? '' : 's'}${opts.commit ? ' and commit' : ''}?`, default: false });
        if (!ok) {
          ctx.io.stderr('Not applied. No files changed.\n');
          return;
        }
      }
      const outcome = await change.applyLater(ctx, plan, opts.commit);
      change.report(ctx, { plan, repo: undefined as never, outcome }, { format: opts.format, commit: opts.commit });
    });
}
