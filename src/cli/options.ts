/**
 * Option parsers and options shared by commands. A bad value is a usage error
 * (commander's InvalidArgumentError → exit 2 with [BAD_OPTION] and a hint),
 * never an internal one.
 */
import { InvalidArgumentError, Option } from 'commander';

/** A whole number in [min, max]. */
export function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER): (v: string) => number {
  return (v) => {
    const n = /^\s*-?\d+\s*$/.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected a whole number${max === Number.MAX_SAFE_INTEGER ? ` of at least ${min}` : ` from ${min} to ${max}`}, got "${v}".`);
    }
    return n;
  };
}

/** A non-negative decimal amount (money, seconds). */
export function amount(what: string): (v: string) => number {
  return (v) => {
    const n = /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : NaN;
    if (!Number.isFinite(n)) throw new InvalidArgumentError(`expected ${what}, got "${v}".`);
    return n;
  };
}

export function formatOption<const T extends string>(choices: readonly T[], fallback: T, what = 'output format'): Option {
  return new Option('--format <format>', what).choices(choices).default(fallback);
}
