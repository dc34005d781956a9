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

// A fingerprint of the built code: the check cache is keyed by it, so a change
// to the tool (not only to its version number) invalidates cached results.
{
  const { createHash } = await import('node:crypto');
  const { readdirSync, readFileSync, statSync } = await import('node:fs');
  const hash = createHash('sha1');
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(c?js)$/.test(name)) hash.update(p.slice(root.length)).update(readFileSync(p));
    }
  };
  walk(join(root, 'dist'));
  writeFileSync(join(root, 'dist', 'build-id.json'), JSON.stringify({ id: hash.digest('hex').slice(0, 16) }) + '\n');
}
