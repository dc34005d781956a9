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
const PURE = ['parse', 'config', 'validate', 'diagnostics', 'core', 'plan', 'lifecycle', 'next', 'report', 'pack', 'tree', 'organize', 'llm-request', 'review', 'render', 'model', 'errors', 'shapes', 'parallel'];
const ADAPTERS = ['fs', 'git', 'llm', 'term'];
const HEAVY = ['@anthropic-ai/sdk', 'openai', '@inquirer/prompts', '@inquirer/core', '@dagrejs/dagre', '@modelcontextprotocol/server', '@modelcontextprotocol/client'];

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Dynamic `import('x')` (including inside actions). */
function dynamicImports(text: string): string[] {
  return [...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);
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

  it('pure modules import no adapter, the shell or commands, statically or dynamically', () => {
    const offenders: string[] = [];
    for (const dir of PURE) {
      for (const f of files(join(SRC, dir))) {
        const text = readFileSync(f, 'utf8');
        for (const spec of [...staticImports(text), ...dynamicImports(text)]) {
          if (!spec.startsWith('.')) continue;
          const top = resolve(dirname(f), spec).slice(SRC.length + 1).split('/')[0]!;
          if ([...ADAPTERS, 'cli', 'commands', 'apply', 'main.js', 'main.ts', 'repo'].includes(top)) offenders.push(`${f.slice(SRC.length + 1)} imports ${spec}`);
        }
        if (/await import\(['"](node:)?(fs|child_process)/.test(text)) offenders.push(`${f.slice(SRC.length + 1)} imports fs lazily`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('only src/git/ runs git, and adapters never import each other', () => {
    const offenders: string[] = [];
    for (const f of files(SRC)) {
      const rel = f.slice(SRC.length + 1);
      const area = rel.split('/')[0]!;
      const text = readFileSync(f, 'utf8');
      const specs = [...staticImports(text), ...dynamicImports(text)];
      if (area !== 'git' && specs.some((x) => /^(node:)?child_process$/.test(x))) offenders.push(`${rel} starts processes`);
      for (const spec of specs) {
        if (!spec.startsWith('.')) continue;
        const target = resolve(dirname(f), spec).slice(SRC.length + 1);
        if (target.startsWith('git/exec') && area !== 'git') offenders.push(`${rel} imports ${spec} (git's runner)`);
        const to = target.split('/')[0]!;
        if (ADAPTERS.includes(area) && ADAPTERS.includes(to) && to !== area) offenders.push(`${rel} (adapter ${area}) imports adapter ${to}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('commands never import commands', () => {
    const offenders: string[] = [];
    for (const f of files(join(SRC, 'commands'))) {
      const text = readFileSync(f, 'utf8');
      for (const spec of [...staticImports(text), ...dynamicImports(text)]) {
        if (spec.startsWith('./')) offenders.push(`${f.slice(SRC.length + 1)} imports ${spec}`);
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
