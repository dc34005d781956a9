/** Prompts, made safe to show: a Prompter wrapper. Pure (it only maps what passes through). */
import type { Choice, Prompter } from '../term/prompter.js';
import { isSafe, sanitize } from './sanitize.js';

/**
 * Prompts show names, titles and goals from files and from the model, and
 * inquirer writes them straight to the terminal: every text a prompt shows is
 * sanitized here. Values are untouched; an input whose default had to be
 * shown sanitized returns the original when the default is taken as shown.
 */
export function sanitizePrompts(p: Prompter): Prompter {
  const one = (s: string) => sanitize(s);
  return {
    select: <T>(o: { message: string; choices: Choice<T>[]; default?: T; pageSize?: number }) =>
      p.select<T>({ ...o, message: one(o.message), choices: o.choices.map((c) => ({ ...c, name: one(c.name), ...(c.description !== undefined ? { description: sanitize(c.description, { multiline: true }) } : {}) })) }),
    input: async (o) => {
      const shown = o.default === undefined || isSafe(o.default) ? o.default : one(o.default);
      const answer = await p.input({ ...o, message: one(o.message), ...(shown !== undefined ? { default: shown } : {}) });
      return shown !== o.default && answer === shown ? o.default! : answer;
    },
    confirm: (o) => p.confirm({ ...o, message: one(o.message) }),
  };
}
