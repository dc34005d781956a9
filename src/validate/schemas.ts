/**
 * Schema validators. The build precompiles schemas/*.schema.json into
 * compiled.cjs (ajv standalone) so the check path pays no compile cost; when
 * running from source (tests), the schemas are compiled once here instead.
 */
import { createRequire } from 'node:module';

export interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}
export type Validator = ((data: unknown) => boolean) & { errors?: AjvError[] | null };

export interface Validators {
  validateWorkOrder: Validator;
  validateTrack: Validator;
  validateConfig: Validator;
  validateProposal: Validator;
}

const require = createRequire(import.meta.url);
let cached: Validators | undefined;

const NAMES: Record<keyof Validators, string> = {
  validateWorkOrder: 'work-order',
  validateTrack: 'track',
  validateConfig: 'config',
  validateProposal: 'proposal',
};

export function validators(): Validators {
  if (cached) return cached;
  try {
    cached = require('./compiled.cjs') as Validators;
  } catch {
    const { Ajv2020 } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
    const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
    const out: Partial<Validators> = {};
    for (const [fn, name] of Object.entries(NAMES) as [keyof Validators, string][]) {
      const schema = require(`../../schemas/${name}.schema.json`);
      out[fn] = ajv.compile(schema) as unknown as Validator;
    }
    cached = out as Validators;
  }
  return cached;
}

/** The raw proposal schema (for the LLM's structured output). */
export function proposalSchema(): Record<string, unknown> {
  return require('../../schemas/proposal.schema.json');
}
