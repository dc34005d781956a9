// Compiles schemas/*.schema.json into one standalone CommonJS module (ajv standalone).
// CJS on purpose: ajv's ESM standalone output still calls require() (ajv#1976).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const VALIDATORS = {
  validateWorkOrder: 'work-order',
  validateTrack: 'track',
  validateConfig: 'config',
  validateProposal: 'proposal',
};

export function makeAjv(root) {
  const { Ajv2020 } = require('ajv/dist/2020.js');
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, code: { source: true, esm: false } });
  for (const name of Object.values(VALIDATORS)) {
    ajv.addSchema(JSON.parse(readFileSync(join(root, 'schemas', `${name}.schema.json`), 'utf8')));
  }
  return ajv;
}

export function buildValidators(root) {
  const standaloneCode = require('ajv/dist/standalone/index.js').default;
  const ajv = makeAjv(root);
  const map = {};
  for (const [fn, name] of Object.entries(VALIDATORS)) map[fn] = `https://tracks.dev/schemas/${name}.schema.json`;
  return standaloneCode(ajv, map);
}
