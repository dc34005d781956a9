/**
 * Keeps the architecture from decaying: pure modules stay pure, and the
 * statically imported closure of the CLI (what `tracks check` in a pre-commit
 * hook loads) never reaches the LLM SDK, prompt libraries, layout or simple-git.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { PROJECT } from '../helpers/repo.js';

const SRC = join(PROJECT, 'src');
const PURE = ['parse', 'validate', 'plan', 'parallel', 'llm-request', 'diagnostics', 'render', 'report', 'pack', 'next', 'model', 'core', 'organize', 'tree', 'lifecycle', 'review', 'config'];
const HEAVY = ['@anthropic-ai/sdk', 'openai', '@inquirer/prompts', '@inquirer/core', '@dagrejs/dagre'];

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Static `import ... from 'x'` and `export ... from 'x'` (not `await import('x')`). */
function staticImports(text: string): string[] {
  const out: string[] = [];
  const re = /^\s*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
  for (const m of text.matchAll(re)) {
    if (/^\s*import\s+type\b/.test(m[0]) || /^\s*export\s+type\b/.test(m[0])) continue;
    out.push(m[1]!);
  }
  return out;
}

describe('architecture', () => {
  it('pure modules import no fs, child_process, SDK, prompts, and read no env or clock', () => {
    const offenders: string[] = [];
    for (const dir of PURE) {
      for (const f of files(join(SRC, dir))) {
        const text = readFileSync(f, 'utf8');
        const rel = f.slice(PROJECT.length + 1);
        for (const spec of staticImports(text)) {
          if (/^(node:)?(fs|fs\/promises|child_process|net|http|https)$/.test(spec) || HEAVY.some((h) => spec.startsWith(h))) offenders.push(`${rel} imports ${spec}`);
        }
        if (/await import\(['"](node:)?(fs|child_process)/.test(text)) offenders.push(`${rel} imports fs lazily`);
        if (/\bprocess\.env\b/.test(text)) offenders.push(`${rel} reads process.env`);
        if (/\bDate\.now\(\)|new Date\(\)/.test(text)) offenders.push(`${rel} reads the clock`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('the CLI entry and every command module never statically reach heavy packages', () => {
    const seen = new Set<string>();
    const heavy: string[] = [];
    const visit = (file: string, chain: string[]) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const spec of staticImports(readFileSync(file, 'utf8'))) {
        if (spec.startsWith('.')) {
          const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
          if (existsSync(target)) visit(target, [...chain, target.slice(SRC.length + 1)]);
        } else if (HEAVY.some((h) => spec === h || spec.startsWith(h + '/'))) {
          heavy.push(`${[...chain].join(' → ')} → ${spec}`);
        }
      }
    };
    // Command modules are loaded lazily by the registry, but each is loaded whole
    // when its command runs: heavy packages must be imported inside actions only.
    visit(join(SRC, 'main.ts'), ['main.ts']);
    for (const f of readdirSync(join(SRC, 'commands')).filter((n) => n.endsWith('.ts'))) visit(join(SRC, 'commands', f), [`commands/${f}`]);
    expect(seen.size).toBeGreaterThan(40);
    expect(heavy).toEqual([]);
  });
});
