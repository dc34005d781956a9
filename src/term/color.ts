/**
 * Colour, decided once: off under NO_COLOR (chalk ignores it), --no-color,
 * machine formats, or when stdout is not a terminal; FORCE_COLOR wins.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { IO } from './io.js';

export function makeColor(io: IO, opts: { color?: boolean; machine?: boolean } = {}): ChalkInstance {
  const env = io.env;
  const force = env.FORCE_COLOR;
  let enabled: boolean;
  if (opts.color === false || opts.machine) enabled = false;
  else if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') enabled = false;
  else if (force !== undefined) enabled = force !== '0' && force !== 'false';
  else enabled = io.isTTY && env.TERM !== 'dumb';
  return new Chalk({ level: enabled ? 1 : 0 });
}
