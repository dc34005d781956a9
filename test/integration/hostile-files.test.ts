/**
 * Issue 14, point 1: what the tool reads from a work tree it does not trust.
 * Runs the built binary with a timeout: before the fix a FIFO hung every
 * command and a link to /dev/zero grew it to gigabytes, which in-process
 * would take the test runner down with it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git, removeRepo, tempRepo, track, wo } from '../helpers/repo.js';
import { ensureBuilt, hostileFilesRepo, linkedDirsRepo, mkfifo, snapshot, tracksBin, type HostileFiles } from '../helpers/hostile.js';

const cleanup: string[] = [];
afterAll(() => cleanup.forEach(removeRepo));

interface Problem {
  file: string;
  code: string;
  severity: string;
  message: string;
}
const fileProblems = (stdout: string) =>
  Object.fromEntries((JSON.parse(stdout).problems as Problem[]).filter((p) => p.code.startsWith('file/')).map((p) => [p.file, p.code]));

describe('entries that are not regular files inside the repository', () => {
  let h: HostileFiles;
  beforeAll(async () => {
    ensureBuilt();
    h = await hostileFilesRepo();
    cleanup.push(h.dir, h.outside);
  });

  it('check reports each one with its path and code, checks the rest, and changes nothing', () => {
    const before = snapshot(h.dir);
    const outside = snapshot(h.outside);
    const r = tracksBin(h.dir, ['check', '--format', 'json']);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    expect(fileProblems(r.stdout)).toEqual(h.expected);
    const rest = (JSON.parse(r.stdout).problems as Problem[]).filter((p) => !p.code.startsWith('file/'));
    // WO-1..3 and the track are read and fine; the link into docs/ was not read as a second work order.
    expect(rest.map((p) => `${p.file} ${p.code}`)).toEqual(['work_orders/WO-2.md wo/unassigned']);
    expect(snapshot(h.dir)).toEqual(before);
    expect(snapshot(h.outside)).toEqual(outside);
  });

  it('with the check cache on, a second (cached) run reports the same', () => {
    const runs = [1, 2, 3].map(() => tracksBin(h.dir, ['check', '--format', 'json'], { TRACKS_NO_CACHE: undefined }));
    for (const r of runs) {
      expect(r.code).toBe(1);
      expect(fileProblems(r.stdout)).toEqual(h.expected);
    }
  });

  it('says what each one is, in stylish output', () => {
    const r = tracksBin(h.dir, ['check']);
    expect(r.code).toBe(1);
    for (const line of [
      'work_orders/zero.md:1:1  error    a symbolic link to /dev/zero, outside the repository: never followed  file/link-outside',
      'work_orders/self.md:1:1  error    a symbolic link to self.md, which loops: tracks does not follow links  file/symlink',
      'work_orders/dangling.md:1:1  error    a symbolic link to missing.md, which does not exist: tracks does not follow links  file/symlink',
      'work_orders/inside.md:1:1  error    a symbolic link to ../docs/real.md: tracks does not follow links  file/symlink',
      'work_orders/fifo.md:1:1  error    a FIFO (named pipe), not a regular file: tracks reads only regular files  file/not-regular',
      'work_orders/sock.md:1:1  error    a socket, not a regular file: tracks reads only regular files  file/not-regular',
      'work_orders/dir.md:1:1  error    a directory, not a regular file: tracks reads only regular files  file/not-regular',
      'work_orders/big.md:1:1  error    5.0 MB, more than the 4.0 MB tracks reads of a file  file/too-large',
      'work_orders/W��.md:1:1  error    the file name is not valid UTF-8, so the file is not read  file/encoding',
    ]) {
      expect(r.stdout).toContain(line);
    }
    expect(r.stdout).toMatch(/passwd\.md:1:1 {2}error {4}a symbolic link to (\.\.\/)+etc\/passwd, outside the repository: never followed/);
  });

  it.each([
    ['list'],
    ['list', '--tracks'],
    ['show', 'runner'],
    ['status'],
    ['report'],
    ['next', 'runner'],
    ['context', 'runner'],
    ['tree'],
    ['tree', '--format', 'mermaid'],
    ['organize', '--dry-run', '--provider', 'local'],
  ])('%s skips them with a one-line note and shows the rest', (...args) => {
    const before = snapshot(h.dir);
    const r = tracksBin(h.dir, args);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(0);
    const notes = r.stderr.split('\n').filter((l) => l.includes('tracks does not read'));
    expect(notes).toEqual([`note: skipped ${Object.keys(h.expected).length} files tracks does not read (work_orders/W��.md, work_orders/big.md, work_orders/dangling.md and 11 more); \`tracks check\` says why.`]);
    expect(r.stdout + r.stderr).not.toMatch(/WO-OUTSIDE|WO-DOC|WO-BIG|root:x:0/);
    expect(snapshot(h.dir)).toEqual(before);
  });

  it('list still lists every readable work order', () => {
    const r = tracksBin(h.dir, ['list', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).workOrders.map((w: { id: string }) => w.id)).toEqual(['WO-1', 'WO-2', 'WO-3']);
  });

  it('check --staged (the pre-commit hook) reports the committed links, the huge blob and the bad name the same way', () => {
    // --verbose: everything staged, not only what this commit brings.
    const r = tracksBin(h.dir, ['check', '--staged', '--verbose', '--format', 'json']);
    expect(r.code).toBe(1);
    const { 'work_orders/fifo.md': _f, 'work_orders/sock.md': _s, 'work_orders/dir.md': _d, ...committed } = h.expected;
    expect(fileProblems(r.stdout)).toEqual(committed);
  });

  it('the hook blocks a commit that brings a link or a huge file, and only for those', () => {
    symlinkSync('/dev/urandom', join(h.dir, 'work_orders', 'new.md'));
    writeFileSync(join(h.dir, 'work_orders', 'huge.md'), `---\nid: WO-HUGE\n---\n${'y'.repeat(4 * 1024 * 1024 + 1)}`);
    git(h.dir, 'add', 'work_orders/new.md', 'work_orders/huge.md');
    try {
      const r = tracksBin(h.dir, ['check', '--staged', '--format', 'json']);
      expect(r.code).toBe(1);
      expect(fileProblems(r.stdout)).toEqual({ 'work_orders/new.md': 'file/link-outside', 'work_orders/huge.md': 'file/too-large' });
    } finally {
      git(h.dir, 'reset', '-q', '--', 'work_orders/new.md', 'work_orders/huge.md');
      rmSync(join(h.dir, 'work_orders', 'new.md'));
      rmSync(join(h.dir, 'work_orders', 'huge.md'));
    }
  });

  it('check with a path to one of them reports just that one', () => {
    const r = tracksBin(h.dir, ['check', 'work_orders/fifo.md']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('work_orders/fifo.md:1:1');
    expect(r.stdout).toContain('1 file checked: 1 error, 0 warnings');
  });

  it('a writing command works on the readable files and touches nothing else', () => {
    const before = snapshot(h.dir);
    const outside = snapshot(h.outside);
    const r = tracksBin(h.dir, ['assign', 'WO-2', '--track', 'runner', '--no-commit']);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Wrote 1 file (not committed): work_orders/WO-2.md.');
    const after = snapshot(h.dir);
    const changed = Object.keys({ ...before, ...after }).filter((p) => JSON.stringify(before[p]) !== JSON.stringify(after[p]));
    expect(changed).toEqual(['work_orders/WO-2.md']);
    expect(snapshot(h.outside)).toEqual(outside);
  });
});

describe('work_orders/ and tracks/ as links to directories outside the repository', () => {
  let h: HostileFiles;
  beforeAll(() => {
    ensureBuilt();
    h = linkedDirsRepo();
    cleanup.push(h.dir, h.outside);
  });

  it('check says so and reads nothing through them', () => {
    const outside = snapshot(h.outside);
    const r = tracksBin(h.dir, ['check', '--format', 'json']);
    expect(r.code).toBe(1);
    expect(fileProblems(r.stdout)).toEqual(h.expected);
    const msg = (JSON.parse(r.stdout).problems as Problem[]).find((p) => p.file === 'tracks')!.message;
    expect(msg).toBe(`a symbolic link to ${join(h.outside, 'tracks')}, outside the repository: never followed (nothing under it is read)`);
    expect(snapshot(h.outside)).toEqual(outside);
  });

  it('other commands see no tracks and no work orders, and say why', () => {
    const shown = tracksBin(h.dir, ['show', 'evil']);
    expect(shown.code).toBe(2);
    expect(shown.stderr).toContain('[UNKNOWN_TRACK]');
    const listed = tracksBin(h.dir, ['list']);
    expect(listed.code).toBe(0);
    expect(listed.stderr).toContain('note: skipped 2 files tracks does not read (tracks, work_orders)');
    expect(listed.stdout).not.toContain('WO-OUTSIDE');
  });

  it('the pre-commit check says so for the committed links too', () => {
    const r = tracksBin(h.dir, ['check', '--staged', '--verbose', '--format', 'json']);
    expect(r.code).toBe(1);
    expect(fileProblems(r.stdout)).toEqual(h.expected);
  });
});

describe('tracks.config.yaml is held to the same rules', () => {
  const repoWithConfig = (make: (path: string) => void) => {
    const dir = tempRepo({ 'tracks/0001_FEAT_runner.md': track('Runner'), 'work_orders/WO-1.md': wo('WO-1', { track: 'runner' }) });
    cleanup.push(dir);
    make(join(dir, 'tracks.config.yaml'));
    return dir;
  };

  it.each([
    ['a link outside', (p: string) => symlinkSync('/etc/passwd', p), 'file/link-outside', 'a symbolic link to /etc/passwd, outside the repository: never followed'],
    ['a link to /dev/zero', (p: string) => symlinkSync('/dev/zero', p), 'file/link-outside', 'a symbolic link to /dev/zero, outside the repository: never followed'],
    ['a FIFO', (p: string) => mkfifo(p), 'file/not-regular', 'a FIFO (named pipe), not a regular file: tracks reads only regular files'],
    ['too large', (p: string) => writeFileSync(p, `# ${'x'.repeat(5 * 1024 * 1024)}\n`), 'file/too-large', '5.0 MB, more than the 4.0 MB tracks reads of a file'],
  ])('%s: check exits 2 naming it; other commands refuse with CONFIG_INVALID', (_what, make, code, message) => {
    const dir = repoWithConfig(make);
    const before = snapshot(dir);
    const r = tracksBin(dir, ['check', '--format', 'json']);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(2);
    expect((JSON.parse(r.stdout).problems as Problem[]).filter((p) => p.file === 'tracks.config.yaml').map((p) => [p.code, p.message])).toEqual([[code, message]]);
    const listed = tracksBin(dir, ['list']);
    expect(listed.code).toBe(2);
    expect(listed.stderr).toContain(`error tracks.config.yaml:1:1: ${message} [CONFIG_INVALID]`);
    const created = tracksBin(dir, ['create', '--name', 'New', '--type', 'FEAT']);
    expect(created.code).toBe(2);
    expect(created.stderr).toContain('[CONFIG_INVALID]');
    expect(created.stderr).toContain('No files changed.');
    expect(snapshot(dir)).toEqual(before);
  });

  it('a committed config link is reported by the pre-commit check as well', () => {
    const dir = repoWithConfig((p) => symlinkSync('../../etc/passwd', p));
    git(dir, 'add', '-A');
    const r = tracksBin(dir, ['check', '--staged', '--format', 'json']);
    expect(r.code).toBe(2);
    expect((JSON.parse(r.stdout).problems as Problem[]).map((p) => p.code)).toContain('file/link-outside');
  });
});

describe('a directory named like the work-order directory that is not one', () => {
  it('work_orders as a file or a FIFO is reported, not read or waited on', () => {
    const dir = tempRepo({ 'tracks/0001_FEAT_runner.md': track('Runner') });
    cleanup.push(dir);
    mkfifo(join(dir, 'work_orders'));
    const r = tracksBin(dir, ['check', '--format', 'json']);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    expect(fileProblems(r.stdout)).toEqual({ work_orders: 'file/not-regular' });
    rmSync(join(dir, 'work_orders'));
    mkdirSync(join(dir, 'docs'));
    symlinkSync('docs', join(dir, 'work_orders'));
    const linked = tracksBin(dir, ['check', '--format', 'json']);
    expect(fileProblems(linked.stdout)).toEqual({ work_orders: 'file/symlink' });
  });
});

describe('several work-order directories', () => {
  it('each is listed without following links: a linked one is reported, the others are read', () => {
    const outside = mkdtempSync(join(tmpdir(), 'tracks-outside-'));
    writeFileSync(join(outside, 'WO-OUT.md'), wo('WO-OUT'));
    const dir = tempRepo({
      'tracks.config.yaml': 'work_orders_dir: [work/open, { path: work/done, status: done }]\n',
      'work/open/WO-1.md': wo('WO-1'),
    });
    cleanup.push(dir, outside);
    symlinkSync(outside, join(dir, 'work', 'done'));
    symlinkSync('/dev/zero', join(dir, 'work', 'open', 'zero.md'));
    const r = tracksBin(dir, ['check', '--format', 'json']);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    expect(fileProblems(r.stdout)).toEqual({ 'work/done': 'file/link-outside', 'work/open/zero.md': 'file/link-outside' });
    const listed = tracksBin(dir, ['list', '--format', 'json']);
    expect(JSON.parse(listed.stdout).workOrders.map((w: { id: string }) => w.id)).toEqual(['WO-1']);
  });
});
