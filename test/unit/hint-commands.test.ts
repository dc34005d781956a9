/**
 * Every command a message, hint or help text tells a person to run exists:
 * `tracks <word>` (and `tracks <word> <sub>` for commands with subcommands)
 * anywhere in src/ is checked against the command registry.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/registry.js';
import { makeCtx } from '../../src/cli/ctx.js';
import { PROJECT } from '../helpers/repo.js';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Command names and, for each, its subcommands, as the program really builds them. */
async function registry(): Promise<Map<string, Set<string>>> {
  const ctx = makeCtx({ stdout: () => {}, stderr: () => {}, env: {}, cwd: PROJECT, interactive: false, isTTY: false, columns: 80 });
  const out = new Map<string, Set<string>>();
  for (const m of COMMANDS) for (const f of await m.load()) {
    const c = f(ctx);
    out.set(c.name(), new Set(c.commands.map((s) => s.name())));
  }
  return out;
}

/**
 * `tracks word` quoted in backticks, after `$ ` in help examples, or after
 * "with: " in a message; `${t} word` in the agent instructions (t: how the CLI is run).
 */
const MENTION = /(?:`|\$ |with: )(?:tracks|\$\{t\}) ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?/g;

describe('hints name commands that exist', () => {
  it('every `tracks <command>` in src/ is a command (and a subcommand where it has them)', async () => {
    const known = await registry();
    const wrong: string[] = [];
    let seen = 0;
    for (const file of sources(join(PROJECT, 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(MENTION)) {
        seen++;
        const [, cmd, sub] = m;
        const subs = known.get(cmd!);
        const line = text.slice(0, m.index).split('\n').length;
        const where = `${relative(PROJECT, file)}:${line}: tracks ${cmd}${sub ? ` ${sub}` : ''}`;
        if (!subs) wrong.push(`${where} (no command "${cmd}")`);
        else if (subs.size && sub && !subs.has(sub)) wrong.push(`${where} (no subcommand "${sub}" of ${cmd}: ${[...subs].join(', ')})`);
      }
    }
    expect(wrong).toEqual([]);
    // The scan finds what it is meant to: hints are full of commands.
    expect(seen).toBeGreaterThan(100);
  });

  it('the scan would catch a command that does not exist', async () => {
    const known = await registry();
    const found = [...'Run `tracks organise` or `tracks hook instal`.'.matchAll(MENTION)].map((m) => [m[1], known.has(m[1]!) && (!m[2] || known.get(m[1]!)!.has(m[2]))]);
    expect(found).toEqual([
      ['organise', false],
      ['hook', false],
    ]);
  });
});
