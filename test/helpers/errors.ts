import { TracksError } from '../../src/errors/index.js';

/** Runs `fn`, which must refuse with a TracksError, and returns that error. */
export function refusal(fn: () => unknown): TracksError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TracksError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}
