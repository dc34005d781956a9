/**
 * The one error type. Every failure the user can meet is a TracksError with a
 * stable `code` (never renamed: scripts and docs rely on them), a message that
 * says what happened, an optional hint that says what to do, and the exit code.
 */
export type ExitCode = 0 | 1 | 2 | 130;

export interface Where {
  file?: string;
  line?: number;
  col?: number;
}

export class TracksError extends Error {
  override readonly name = 'TracksError';
  readonly code: string;
  readonly hint?: string;
  readonly exitCode: ExitCode;
  readonly where: Where;
  /** Whether the repository was left untouched; printed so the user knows the state. */
  readonly unchanged: boolean;

  constructor(
    code: string,
    message: string,
    opts: { hint?: string; exitCode?: ExitCode; where?: Where; cause?: unknown; unchanged?: boolean } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    this.hint = opts.hint;
    this.exitCode = opts.exitCode ?? 2;
    this.where = opts.where ?? {};
    this.unchanged = opts.unchanged ?? false;
  }
}

export function isTracksError(e: unknown): e is TracksError {
  return e instanceof TracksError;
}

/** Thrown when the user aborts (Ctrl-C at a prompt). */
export class AbortedError extends TracksError {
  constructor(message = 'Aborted. No files changed.') {
    super('ABORTED', message, { exitCode: 130, unchanged: true });
  }
}
