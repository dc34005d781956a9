// Build: TypeScript → dist/, then precompile the JSON Schemas into a standalone
// CommonJS validator module so the `check` path never compiles schemas at run time.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

const tsc = require.resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });

const validatorsFile = join(root, 'scripts', 'build-validators.mjs');
if (existsSync(validatorsFile)) {
  const { buildValidators } = await import(validatorsFile);
  const code = buildValidators(root);
  mkdirSync(join(root, 'dist', 'validate'), { recursive: true });
  writeFileSync(join(root, 'dist', 'validate', 'compiled.cjs'), code);
}
