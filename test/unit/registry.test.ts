import { describe, expect, it } from 'vitest';
import { COMMANDS, modulesFor } from '../../src/cli/registry.js';
import { makeCtx } from '../../src/cli/ctx.js';
import type { IO } from '../../src/term/io.js';

const io: IO = { stdout: () => {}, stderr: () => {}, env: {}, cwd: '/', interactive: false, isTTY: false, columns: 80 };

describe('command registry', () => {
  it('lists exactly the names each module defines', async () => {
    for (const m of COMMANDS) {
      const names = (await m.load()).map((f) => f(makeCtx(io)).name());
      expect(names.sort()).toEqual([...m.names].sort());
    }
  });

  it('loads one module for a known command, all for help or unknown words', () => {
    expect(modulesFor(['check', '--staged']).map((m) => m.names[0])).toEqual(['check']);
    expect(modulesFor(['-C', 'list', 'unassign', 'x']).map((m) => m.names[0])).toEqual(['assign']);
    expect(modulesFor(['--verbose', 'pause', 'a'])).toHaveLength(1);
    expect(modulesFor(['--help'])).toBe(COMMANDS);
    expect(modulesFor(['chek'])).toBe(COMMANDS);
    expect(modulesFor(['help', 'check'])).toBe(COMMANDS);
  });
});

describe('help', () => {
  it('every command and sub-command has examples', async () => {
    const { cli } = await import('../helpers/repo.js');
    const missing: string[] = [];
    const names = COMMANDS.flatMap((m) => m.names);
    const subs = [['hook', 'install'], ['hook', 'uninstall'], ['experiment', 'list'], ['experiment', 'compare'], ['experiment', 'pick']];
    for (const args of [...names.map((n) => [n]), ...subs]) {
      const r = await cli('/', [...args, '--help']);
      if (r.code !== 0 || !/Examples?:/.test(r.stdout)) missing.push(args.join(' '));
    }
    expect(missing).toEqual([]);
  });
});

describe('sub-commands', () => {
  it('inherit the output and exit handling: a usage error is exit 2, not process.exit', async () => {
    const { cli } = await import('../helpers/repo.js');
    const r = await cli('/', ['hook', 'install', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--bogus'");
  });
});
