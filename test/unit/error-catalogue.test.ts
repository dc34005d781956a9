/**
 * One catalogue of codes: every diagnostic code the source emits is in
 * src/validate/codes.ts, every catalogued code is emitted somewhere, and the
 * README's tables are exactly what the catalogues render (`npm run build &&
 * node scripts/docs.mjs` rewrites them).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT } from '../helpers/repo.js';
import { RULES, ruleTableMarkdown } from '../../src/validate/codes.js';
import { ERRORS, errorTableMarkdown } from '../../src/errors/catalogue.js';

const SRC = join(PROJECT, 'src');
const files = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : n.endsWith('.ts') ? [join(dir, n)] : []));
const source = files(SRC)
  .filter((f) => !f.endsWith('validate/codes.ts') && !f.endsWith('errors/catalogue.ts'))
  .map((f) => readFileSync(f, 'utf8'))
  .join('\n');
const readme = readFileSync(join(PROJECT, 'README.md'), 'utf8');

const block = (name: string) => new RegExp(`<!-- generated: ${name} -->\\n([\\s\\S]*?)\\n<!-- end: ${name} -->`).exec(readme)?.[1];

describe('code catalogues', () => {
  it('every diagnostic code in the source is catalogued, and every catalogued code is used', () => {
    const used = new Set([...source.matchAll(/['`]((?:wo|track|config|yaml|frontmatter|file)\/[a-z-]+)['`]/g)].map((m) => m[1]!));
    // Schema diagnostics are made as `${prefix}/schema`.
    for (const p of ['wo', 'track', 'config']) used.add(`${p}/schema`);
    expect([...used].filter((c) => !(c in RULES)).sort()).toEqual([]);
    expect(Object.keys(RULES).filter((c) => !used.has(c)).sort()).toEqual([]);
  });

  it('every error code is raised somewhere', () => {
    const unused = Object.keys(ERRORS).filter((c) => !source.includes(`'${c}'`));
    expect(unused).toEqual([]);
  });

  it('the README tables are the catalogues', () => {
    expect(block('rule codes')).toBe(ruleTableMarkdown());
    expect(block('error codes')).toBe(errorTableMarkdown());
  });
});
