// Rewrites the generated tables in README.md (rule codes, error codes) from the
// catalogues in src/. Run after `npm run build`; test/unit/error-catalogue.test.ts
// fails while the README and the catalogues disagree.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { errorTableMarkdown } = await import(join(root, 'dist', 'errors', 'catalogue.js'));
const { ruleTableMarkdown } = await import(join(root, 'dist', 'validate', 'codes.js'));

export function fill(readme, name, table) {
  const re = new RegExp(`(<!-- generated: ${name} -->\\n)[\\s\\S]*?(<!-- end: ${name} -->)`);
  if (!re.test(readme)) throw new Error(`README.md has no <!-- generated: ${name} --> block`);
  return readme.replace(re, `$1${table}\n$2`);
}

const file = join(root, 'README.md');
let text = readFileSync(file, 'utf8');
text = fill(text, 'rule codes', ruleTableMarkdown());
text = fill(text, 'error codes', errorTableMarkdown());
writeFileSync(file, text);
