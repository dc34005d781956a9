import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The real corpora live beside the repository (../shared/corpora), as in CI.
 * A clone without them still runs every other test; CI never skips them.
 */
const CORPORA = join(dirname(fileURLToPath(import.meta.url)), '..', 'shared', 'corpora');
const NEEDS_CORPORA = [
  'test/e2e/mcp.test.ts',
  'test/e2e/tree-html.test.ts',
  'test/e2e/tree-mermaid.test.ts',
  'test/integration/backlog-md-corpus.test.ts',
  'test/integration/cache-equivalence.test.ts',
  'test/integration/check.test.ts',
  'test/integration/counts-corpus.test.ts',
  'test/integration/json-shapes.test.ts',
  'test/integration/llm-estimate.test.ts',
  'test/integration/next-corpus.test.ts',
  'test/integration/organize-corpus.test.ts',
  'test/integration/organize-stable.test.ts',
  'test/unit/local-quality.test.ts',
  'test/unit/organize-real-work.test.ts',
  'test/unit/parse-document.test.ts',
  'test/unit/parse-fastyaml.test.ts',
  'test/unit/parse-front-matter-bytes.test.ts',
  'test/unit/edit-frontmatter.test.ts',
  'test/unit/edit-cases.test.ts',
];
const ci = Boolean(process.env.CI) && process.env.CI !== 'false' && process.env.CI !== '0';
const skipCorpora = !existsSync(CORPORA) && !ci;
if (skipCorpora) console.warn(`note: ${CORPORA} not found; skipping ${NEEDS_CORPORA.length} test files that read the real work-order corpora (CI always runs them).`);

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', ...(skipCorpora ? NEEDS_CORPORA : [])],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    maxWorkers: 2,
    // The JSON report lets .ci/run print a plain "N passed, N failed" line.
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
  },
});
