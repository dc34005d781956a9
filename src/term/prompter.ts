/**
 * The one prompt interface. Commands and the review talk to a Prompter; the
 * real one wraps @inquirer/prompts (imported on first use, so commands that
 * never prompt never load it), tests pass a scripted one.
 */
import { sanitizePrompts } from '../render/prompts.js';
export interface Choice<T> {
  name: string;
  value: T;
  description?: string;
}

export interface Prompter {
  select<T>(o: { message: string; choices: Choice<T>[]; default?: T; pageSize?: number }): Promise<T>;
  input(o: { message: string; default?: string; validate?: (value: string) => true | string }): Promise<string>;
  confirm(o: { message: string; default?: boolean }): Promise<boolean>;
}

export async function inquirerPrompter(opts: { output?: NodeJS.WritableStream } = {}): Promise<Prompter> {
  const { select, input, confirm } = await import('@inquirer/prompts');
  const context = opts.output ? { output: opts.output } : undefined;
  return sanitizePrompts({
    select: <T>(o: { message: string; choices: Choice<T>[]; default?: T; pageSize?: number }) =>
      select<T>({ message: o.message, choices: o.choices, default: o.default, pageSize: o.pageSize ?? 12, loop: false }, context),
    input: (o) => input({ message: o.message, default: o.default, validate: o.validate }, context),
    confirm: (o) => confirm({ message: o.message, default: o.default }, context),
  });
}

/** A step of a scripted conversation: what the prompt must look like and what to answer. */
export interface ScriptStep {
  kind: 'select' | 'input' | 'confirm';
  /** The prompt message must contain this text. */
  expect?: string;
  /** select: the value, or the choice whose name contains this text; input: the text; confirm: yes/no. */
  answer: unknown;
}

/**
 * A prompter that plays back a script and fails on any prompt it does not
 * expect, so a test notices a new or missing question.
 */
export function scriptedPrompter(steps: ScriptStep[]): Prompter & { remaining(): number; transcript: string[] } {
  const queue = [...steps];
  const transcript: string[] = [];
  const next = (kind: ScriptStep['kind'], message: string) => {
    transcript.push(`${kind}: ${message}`);
    const step = queue.shift();
    if (!step) throw new Error(`unexpected ${kind} prompt: ${message}`);
    if (step.kind !== kind) throw new Error(`expected a ${step.kind} prompt but got ${kind}: ${message}`);
    if (step.expect && !message.includes(step.expect)) throw new Error(`expected a prompt containing "${step.expect}" but got: ${message}`);
    return step;
  };
  return {
    transcript,
    remaining: () => queue.length,
    async select<T>(o: { message: string; choices: Choice<T>[] }) {
      const step = next('select', o.message);
      const byValue = o.choices.find((c) => c.value === step.answer);
      if (byValue) return byValue.value;
      const byName = typeof step.answer === 'string' ? o.choices.find((c) => c.name.includes(step.answer as string)) : undefined;
      if (byName) return byName.value;
      throw new Error(`no choice ${JSON.stringify(step.answer)} in "${o.message}" (choices: ${o.choices.map((c) => c.name).join(' | ')})`);
    },
    async input(o: { message: string; validate?: (value: string) => true | string }) {
      const step = next('input', o.message);
      const value = String(step.answer);
      const ok = o.validate ? o.validate(value) : true;
      if (ok !== true) throw new Error(`scripted answer ${JSON.stringify(value)} rejected: ${ok}`);
      return value;
    },
    async confirm(o: { message: string }) {
      return Boolean(next('confirm', o.message).answer);
    },
  };
}
