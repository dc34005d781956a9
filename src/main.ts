/**
 * The one error boundary: run(argv, io) → exit code. Nothing below calls
 * process.exit; only bin/tracks.js sets process.exitCode.
 */
import { CommanderError } from 'commander';
import { isTracksError } from './errors/index.js';
import { makeCtx } from './cli/ctx.js';
import { makeProgram } from './cli/program.js';
import { processIO, type IO } from './term/io.js';

export async function run(argv: string[], io: IO = processIO()): Promise<number> {
  const ctx = makeCtx(io);
  const verbose = argv.includes('--verbose');
  try {
    const program = await makeProgram(ctx, io, argv);
    await program.parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0 || e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      if (e.code === 'commander.executeSubCommandAsync') return 2;
      return 2; // usage error: commander already printed the message
    }
    const c = ctx.color;
    if (isTracksError(e)) {
      const where = e.where.file ? `${e.where.file}${e.where.line ? `:${e.where.line}${e.where.col ? `:${e.where.col}` : ''}` : ''}: ` : '';
      if (e.exitCode === 130) {
        io.stderr(`${e.message}\n`);
        return 130;
      }
      io.stderr(`${c.red('error')} ${where}${e.message} ${c.dim(`[${e.code}]`)}\n`);
      if (e.hint) io.stderr(`  ${c.dim('hint:')} ${e.hint}\n`);
      if (verbose && e.stack) io.stderr(`${e.stack}\n${e.cause ? `cause: ${String((e.cause as Error).stack ?? e.cause)}\n` : ''}`);
      return e.exitCode;
    }
    const err = e as Error;
    if (err?.name === 'ExitPromptError' || err?.name === 'AbortPromptError') {
      io.stderr('Aborted. No files changed.\n');
      return 130;
    }
    io.stderr(`${c.red('error')} internal error: ${err?.message ?? String(e)} ${c.dim('[INTERNAL]')}\n`);
    if (verbose) io.stderr(`${err?.stack ?? ''}\n`);
    else io.stderr(`  ${c.dim('hint:')} run again with --verbose for details, and report it if it persists.\n`);
    return 2;
  }
}
