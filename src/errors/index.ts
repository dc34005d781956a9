/**
 * The one error type. Every failure the user can meet is a TracksError with a
 * stable `code` from the catalogue (src/errors/catalogue.ts), a message that
 * says what happened, an optional hint that says what to do, and the exit code.
 * What the error means for the repository comes from the catalogue too, so the
 * one error boundary (main.ts) states it, never each raising site.
 */
import { specOf, type ErrorCode, type ExitCode } from './catalogue.js';

export type { ErrorCode, ExitCode } from './catalogue.js';

export interface Where {
  file?: string;
  line?: number;
  col?: number;
}

export class TracksError extends Error {
  override readonly name = 'TracksError';
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly exitCode: ExitCode;
  readonly where: Where;

  constructor(code: ErrorCode, message: string, opts: { hint?: string; exitCode?: ExitCode; where?: Where; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    const spec = specOf(code);
    this.code = code;
    this.hint = opts.hint ?? spec.hint;
    this.exitCode = opts.exitCode ?? spec.exit;
    this.where = opts.where ?? {};
  }

  /** Raised before anything was written: the repository is as it was. */
  get unchanged(): boolean {
    return specOf(this.code).changes === 'none';
  }
}

export function isTracksError(e: unknown): e is TracksError {
  return e instanceof TracksError;
}

/** The line that states an untouched repository, wherever a command says so. */
export const NO_CHANGES = 'No files changed.';

/** Thrown when the user aborts (Ctrl-C at a prompt) before anything is written. */
export class AbortedError extends TracksError {
  constructor(message = `Aborted. ${NO_CHANGES}`) {
    super('ABORTED', message, { exitCode: 130 });
  }
}
