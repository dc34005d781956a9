/** The built binary, as a user runs it. */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT, removeRepo, tempRepo, wo } from '../helpers/repo.js';

const BIN = join(PROJECT, 'bin', 'tracks.js');
const dir = tempRepo({ 'work_orders/WO-1.md': wo('WO-1', { track: 'nope' }) });
afterAll(() => removeRepo(dir));

function tracks(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', TRACKS_NO_CACHE: '1', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('tracks binary', () => {
  it('--version prints the package version', () => {
    const r = tracks(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('--help lists commands with examples; every command has help', () => {
    const r = tracks(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['check', 'list', 'show', 'assign', 'unassign', 'create', 'init', 'hook']) expect(r.stdout).toContain(`  ${c}`);
    expect(r.stdout).toContain('Examples:');
    const sub = tracks(['check', '--help']);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toContain('--staged');
    expect(sub.stdout).toContain('Examples:');
  });

  it('usage errors exit 2 with a suggestion', () => {
    const r = tracks(['chek']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Did you mean check?');
    const bad = tracks(['check', '--format', 'xml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Allowed choices are stylish, json, github");
  });

  it('problems found exit 1; colour off under NO_COLOR', () => {
    const r = tracks(['check']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('work_orders/WO-1.md:5:8');
    expect(r.stdout).not.toMatch(/\x1b\[/);
    const forced = tracks(['check'], { NO_COLOR: '', FORCE_COLOR: '1' });
    expect(forced.stdout).toMatch(/\x1b\[/);
  });

  it('errors carry a code and hint, no stack trace unless --verbose', () => {
    const r = tracks(['show', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no track "nope" [UNKNOWN_TRACK]');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const v = tracks(['show', 'nope', '--verbose']);
    expect(v.stderr).toMatch(/\n\s+at /);
  });

  it('a closed pipe is not an error', () => {
    const r = spawnSync('sh', ['-c', `node ${JSON.stringify(BIN)} list --format json | head -c 1`], { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).toBe('');
  });
});
