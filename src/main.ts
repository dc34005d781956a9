/**
 * The one error boundary: run(argv, io) → exit code. Nothing below calls
 * process.exit; only bin/tracks.js sets process.exitCode. Every failure is
 * printed here, in one shape: message, [CODE], hint, and for commands that
 * write, the state the repository is in.
 *
 * It is also the last guard of what reaches a terminal: everything written
 * goes through guardOutput, so a control sequence from a file or a model that
 * slipped past a renderer is shown, not obeyed (only the tool's own colours
 * pass, and only when colour is on).
 */
import { CommanderError } from 'commander';
import { isTracksError, NO_CHANGES, TracksError } from './errors/index.js';
import { makeCtx } from './cli/ctx.js';
import { makeProgram } from './cli/program.js';
import { processIO, type IO } from './term/io.js';
import { guardOutput, sanitize } from './render/sanitize.js';

export async function run(argv: string[], rawIO: IO = processIO()): Promise<number> {
  let colour = () => false;
  const io: IO = {
    ...rawIO,
    stdout: (s) => rawIO.stdout(guardOutput(s, { sgr: colour() })),
    stderr: (s) => rawIO.stderr(guardOutput(s, { sgr: colour() })),
  };
  const ctx = makeCtx(io, argv);
  colour = () => ctx.color.level > 0;
  const verbose = argv.includes('--verbose');
  try {
    const program = await makeProgram(ctx, io, argv);
    await program.parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (e) {
    const c = ctx.color;
    const err = isTracksError(e) ? e : e instanceof CommanderError ? usageError(e, argv) : promptAbort(e) ?? e;
    if (err === undefined) return 0;
    if (isTracksError(err)) {
      // A message that already starts with its file (edit refusals name file and line) is not prefixed twice.
      const where = err.where.file && !err.message.startsWith(err.where.file) ? `${sanitize(err.where.file)}${err.where.line ? `:${err.where.line}${err.where.col ? `:${err.where.col}` : ''}` : ''}: ` : '';
      // Messages quote values from files, arguments and the model (a stop_reason, a title): shown, never obeyed.
      const message = sanitize(err.message, { multiline: true });
      if (err.code === 'ABORTED') {
        io.stderr(`${message}\n`);
        return err.exitCode;
      }
      io.stderr(`${c.red('error')} ${where}${message} ${c.dim(`[${err.code}]`)}\n`);
      if (err.hint) io.stderr(`  ${c.dim('hint:')} ${sanitize(err.hint, { multiline: true })}\n`);
      if (err.unchanged && ctx.writes) io.stderr(`  ${NO_CHANGES}\n`);
      if (verbose && err.stack && err.code !== 'USAGE' && err.code !== 'BAD_OPTION') io.stderr(`${err.stack}\n${err.cause ? `cause: ${String((err.cause as Error).stack ?? err.cause)}\n` : ''}`);
      return err.exitCode;
    }
    const x = err as Error;
    io.stderr(`${c.red('error')} internal error: ${sanitize(x?.message ?? String(err), { multiline: true })} ${c.dim('[INTERNAL]')}\n`);
    if (verbose) io.stderr(`${x?.stack ?? ''}\n`);
    else io.stderr(`  ${c.dim('hint:')} run again with --verbose for details, and report it if it persists.\n`);
    return 2;
  }
}

/** Commander's own errors (help and version are not errors) as usage errors with a code and a hint. */
function usageError(e: CommanderError, argv: string[]): TracksError | undefined {
  if (e.exitCode === 0 || e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return undefined;
  const message = e.message.replace(/^error:\s*/, '').replace(/\s*\n\s*/g, ' ');
  const command = argv.find((a) => !a.startsWith('-'));
  const hint = e.code === 'commander.unknownCommand' || !command ? 'See `tracks --help` for the commands.' : `See \`tracks ${command} --help\`.`;
  return new TracksError(e.code === 'commander.invalidArgument' ? 'BAD_OPTION' : 'USAGE', message, { hint, cause: e });
}

/** Ctrl-C at an inquirer prompt: nothing has been written at a prompt. */
function promptAbort(e: unknown): TracksError | undefined {
  const name = (e as Error)?.name;
  if (name === 'ExitPromptError' || name === 'AbortPromptError') return new TracksError('ABORTED', `Aborted. ${NO_CHANGES}`, { exitCode: 130 });
  return undefined;
}
