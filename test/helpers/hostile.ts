/**
 * Hostile repositories, as a stranger or an agent could commit them: files
 * that are not files (FIFOs, sockets, links to devices, to outside files, to
 * themselves), huge files, odd modes, names and values full of terminal
 * control characters, bidi overrides and HTML. Used by test/integration/hostile-*.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git, PROJECT, tempRepo, track, wo } from './repo.js';

export const BIN = join(PROJECT, 'bin', 'tracks.js');

/** Each attack alone, so a failure names which one got through. */
export const ATTACKS = {
  clear: '\u001b[2J\u001b[H',
  title: '\u001b]0;pwned\u0007',
  hyperlink: '\u001b]8;;https://evil.example\u001b\\click\u001b]8;;\u001b\\',
  conceal: '\u001b[8mhidden',
  cr: 'looks fine\rOVERWRITTEN',
  bs: 'abc\b\b\bxyz',
  bell: 'ding\u0007',
  del: 'x\u007fy',
  c1: 'csi\u009b31mred',
  bidi: 'invoice\u202etxt.exe\u2066iso\u2069',
  html: '<script>alert(1)</script><img src=x onerror=alert(1)>',
  markdown: '`tick` | pipe &amp; entity',
};

/** One string with every attack in it. */
export const HOSTILE = Object.values(ATTACKS).join(' ');

/**
 * A YAML double-quoted scalar holding exactly `s`: JSON's escapes are YAML's,
 * and the characters YAML does not allow raw (DEL, C1) are escaped too; bidi
 * controls stay raw, as an attacker would leave them.
 */
export function yamlString(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\u009f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Anything a terminal acts on: C0 except newline and tab, DEL, C1, bidi overrides and isolates. */
export const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** With colour on, the only escapes allowed are SGR colour sequences the tool makes (never 8 = conceal). */
export function foreignEscapes(text: string): string[] {
  const bad: string[] = [];
  const stripped = text.replace(/\u001b\[([0-9;]*)m/g, (m, codes: string) => {
    if (codes.split(';').includes('8')) bad.push(JSON.stringify(m));
    return '';
  });
  const m = RAW_CONTROL.exec(stripped);
  if (m) bad.push(JSON.stringify(stripped.slice(Math.max(0, m.index - 20), m.index + 20)));
  return bad;
}

/**
 * A repository whose values are hostile: track names, goals, hypotheses,
 * history reasons, work-order titles, statuses, tags, eras, ids, criteria and
 * a file name. Everything is valid YAML and readable; only the text attacks.
 */
export function hostileTextRepo(): string {
  const h = yamlString(HOSTILE);
  const hl = yamlString(`${HOSTILE}\nsecond line ${ATTACKS.clear}`);
  return tempRepo({
    'tracks/0001_FEAT_runner.md': [
      '---',
      `name: ${h}`,
      `goal: ${hl}`,
      'type: FEAT',
      'status: active',
      'experiment: speed',
      `hypothesis: ${h}`,
      'history:',
      `  - { at: "2026-01-01T00:00:00Z", from: ready, to: active, by: ${yamlString(ATTACKS.title)}, reason: ${h} }`,
      '---',
      '',
      '## Decisions',
      '',
      `${ATTACKS.html} ${ATTACKS.clear} decided`,
      '',
    ].join('\n'),
    'tracks/0002_EXP_alt.md': track('Alt', { type: 'EXP', experiment: 'speed', hypothesis: h, goal: h }),
    'work_orders/WO-1.md': wo('WO-1', { title: h, status: yamlString(ATTACKS.title), track: 'runner', tags: `[${h}, ok]`, era: h, goal: hl, acceptance_criteria: `[${h}]`, priority: '1' }),
    'work_orders/WO-2.md': wo('WO-2', { title: h, track: 'runner', depends_on: `[WO-1, ${yamlString(ATTACKS.clear)}]` }),
    'work_orders/WO-3.md': wo('WO-3', { title: h, depends_on: '[WO-2]' }),
    [`work_orders/WO-4-${ATTACKS.clear}.md`]: wo(yamlString(`WO-4${ATTACKS.conceal}`), { title: h, track: yamlString(`runner${ATTACKS.c1}`) }),
  });
}

export interface HostileFiles {
  dir: string;
  /** A directory outside the repository that links point into: never read, never written. */
  outside: string;
  /** Paths (repo-relative) that are not read, with the rule code check gives each. */
  expected: Record<string, string>;
}

/** A FIFO, without a shell. */
export function mkfifo(path: string) {
  execFileSync('mkfifo', [path]);
}

/** A Unix socket file, left behind as a daemon that stopped leaves it (Node does not unlink it on close). */
export async function mksocket(path: string) {
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(path, () => server.close(() => resolve()));
  });
  // Node removes the file on close on some versions: make sure one is there.
  try {
    lstatSync(path);
  } catch {
    spawnSync(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => process.exit(0))`]);
  }
}

/**
 * A small valid repository (two work orders, one track) plus one of each kind
 * of entry tracks must not read: a FIFO, a socket, links to /dev/zero,
 * /dev/urandom, an outside file that looks like a work order, itself, each
 * other, nothing, and a file inside the repository; a directory named like a
 * work order; a file past the size limit; a name that is not UTF-8; and files
 * with odd modes that are read normally.
 */
export async function hostileFilesRepo(): Promise<HostileFiles> {
  const outside = mkdtempSync(join(tmpdir(), 'tracks-outside-'));
  writeFileSync(join(outside, 'WO-OUTSIDE.md'), wo('WO-OUTSIDE', { title: 'read from outside the repository', track: 'runner' }));
  const dir = tempRepo({
    'tracks/0001_FEAT_runner.md': track('Runner'),
    'work_orders/WO-1.md': wo('WO-1', { track: 'runner' }),
    'work_orders/WO-2.md': wo('WO-2'),
    'docs/real.md': wo('WO-DOC', { track: 'runner' }),
  });
  const w = (p: string) => join(dir, 'work_orders', p);
  symlinkSync('/dev/zero', w('zero.md'));
  symlinkSync('/dev/urandom', w('urandom.md'));
  symlinkSync(join(outside, 'WO-OUTSIDE.md'), w('outside.md'));
  symlinkSync('../../../../../../../../etc/passwd', w('passwd.md'));
  symlinkSync('self.md', w('self.md'));
  symlinkSync('ping.md', w('pong.md'));
  symlinkSync('pong.md', w('ping.md'));
  symlinkSync('missing.md', w('dangling.md'));
  symlinkSync('../docs/real.md', w('inside.md'));
  mkdirSync(w('dir.md'));
  writeFileSync(join(w('dir.md'), 'x.md'), 'not a work order\n');
  writeFileSync(w('big.md'), `---\nid: WO-BIG\ntitle: Big\n---\n${'x'.repeat(5 * 1024 * 1024)}\n`);
  writeFileSync(Buffer.concat([Buffer.from(join(dir, 'work_orders') + '/'), Buffer.from([0x57, 0xff, 0xfe, 0x2e, 0x6d, 0x64])]), wo('WO-LATIN1'));
  // Odd modes on regular files change nothing: they are read (as root, even mode 000 is).
  writeFileSync(w('WO-3.md'), wo('WO-3', { track: 'runner' }));
  chmodSync(w('WO-3.md'), 0o4755);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'hostile entries');
  // Not in git (git does not store them), but in a clone's work tree all the same.
  mkfifo(w('fifo.md'));
  await mksocket(w('sock.md'));
  return {
    dir,
    outside,
    expected: {
      'work_orders/zero.md': 'file/link-outside',
      'work_orders/urandom.md': 'file/link-outside',
      'work_orders/outside.md': 'file/link-outside',
      'work_orders/passwd.md': 'file/link-outside',
      'work_orders/self.md': 'file/symlink',
      'work_orders/ping.md': 'file/symlink',
      'work_orders/pong.md': 'file/symlink',
      'work_orders/dangling.md': 'file/symlink',
      'work_orders/inside.md': 'file/symlink',
      'work_orders/dir.md': 'file/not-regular',
      'work_orders/big.md': 'file/too-large',
      'work_orders/W\ufffd\ufffd.md': 'file/encoding',
      'work_orders/fifo.md': 'file/not-regular',
      'work_orders/sock.md': 'file/not-regular',
    },
  };
}

/** The same small repository with `tracks/` and `work_orders/` themselves links to directories outside it. */
export function linkedDirsRepo(): HostileFiles {
  const outside = mkdtempSync(join(tmpdir(), 'tracks-outside-'));
  mkdirSync(join(outside, 'tracks'));
  mkdirSync(join(outside, 'work_orders'));
  writeFileSync(join(outside, 'tracks', '0001_FEAT_evil.md'), track('Evil'));
  writeFileSync(join(outside, 'work_orders', 'WO-OUTSIDE.md'), wo('WO-OUTSIDE', { track: 'evil' }));
  const dir = tempRepo({ 'README.md': 'x\n' });
  symlinkSync(join(outside, 'tracks'), join(dir, 'tracks'));
  symlinkSync(join(outside, 'work_orders'), join(dir, 'work_orders'));
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'linked directories');
  return { dir, outside, expected: { tracks: 'file/link-outside', work_orders: 'file/link-outside' } };
}

export interface Entry {
  type: string;
  mode: number;
  /** Content hash (regular files) or link target. */
  what: string;
}

/**
 * Everything under `root` (except .git/), without following a link or opening
 * anything but a regular file: to show a command changed nothing it should not.
 */
export function snapshot(root: string, opts: { skip?: string[] } = {}): Record<string, Entry> {
  const out: Record<string, Entry> = {};
  const skip = new Set(['.git', ...(opts.skip ?? [])]);
  // Names as bytes: a name that is not UTF-8 must still be found again.
  const walk = (rel: Buffer) => {
    const abs = Buffer.concat([Buffer.from(root), rel.length ? Buffer.from('/') : Buffer.alloc(0), rel]);
    for (const name of readdirSync(abs, { encoding: 'buffer' })) {
      const pb = rel.length ? Buffer.concat([rel, Buffer.from('/'), name]) : name;
      const p = pb.toString('utf8');
      if (skip.has(p)) continue;
      const full = Buffer.concat([Buffer.from(root + '/'), pb]);
      const st = lstatSync(full);
      const type = st.isFile() ? 'file' : st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'link' : st.isFIFO() ? 'fifo' : st.isSocket() ? 'socket' : 'other';
      const what = type === 'file' ? createHash('sha1').update(readFileSync(full)).digest('hex') : type === 'link' ? readlinkSync(full, 'utf8') : '';
      out[p] = { type, mode: st.mode, what };
      if (type === 'dir') walk(pb);
    }
  };
  walk(Buffer.alloc(0));
  return out;
}

/** Runs the built binary with a timeout (a FIFO that is opened would hang it; /dev/zero would fill memory). */
export function tracksBin(cwd: string, args: string[], env: Record<string, string | undefined> = {}, timeout = 20_000) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    timeout,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1', TRACKS_NO_CACHE: '1', ...env },
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, error: r.error };
}

export function ensureBuilt() {
  try {
    lstatSync(join(PROJECT, 'dist', 'main.js'));
  } catch {
    throw new Error('run `npm run build` first');
  }
}

