/**
 * The one place that starts git. Only modules in src/git/ import it
 * (test/unit/architecture.test.ts holds that): every other module asks the
 * typed functions of the git adapter, and a failed git call is a GitFailure,
 * never `false` or `undefined`.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { TracksError } from '../errors/index.js';

export interface GitRun {
  env?: Record<string, string>;
  input?: string | Buffer;
}

/** A git process that exited non-zero: its exit code and what it printed. */
export class GitFailure extends TracksError {
  constructor(
    readonly args: string[],
    readonly status: number | null,
    readonly stdout: string,
    readonly stderr: string,
    cause?: unknown,
  ) {
    const first = stderr.trim().split('\n').find((l) => l.trim()) ?? `exit code ${status}`;
    super('GIT_FAILED', `git ${args[0]} failed: ${first.replace(/^(fatal|error):\s*/, '')}`, { cause });
  }
  /** What git printed, stdout then stderr, for messages that show a hook's output. */
  get output(): string {
    return `${this.stdout}${this.stderr}`.trim();
  }
}

/** Environment for every git call: no pager, no prompts, messages in English. */
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', LC_ALL: 'C', ...extra };
}

export function git(cwd: string, args: string[], opts: GitRun = {}): Promise<string> {
  return gitBytes(cwd, args, opts).then((b) => b.toString('utf8'));
}

export function gitBytes(cwd: string, args: string[], opts: GitRun = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile('git', args, { cwd, encoding: 'buffer', maxBuffer: 1 << 30, env: env(opts.env) }, (err, stdout, stderr) => {
      if (err) {
        const status = typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : null;
        reject(new GitFailure(args, status, String(stdout), String(stderr), err));
      } else resolve(stdout);
    });
    if (opts.input !== undefined) child.stdin!.end(opts.input);
  });
}

/** Synchronous, for the one call that locates the repository before anything else runs. */
export function gitSync(cwd: string, args: string[]): { ok: true; stdout: string } | { ok: false; failure: GitFailure } {
  try {
    return { ok: true, stdout: execFileSync('git', args, { cwd, env: env(), stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' }) };
  } catch (e) {
    const x = e as { status?: number | null; stdout?: string; stderr?: string; code?: string };
    if (x.code === 'ENOENT') return { ok: false, failure: new GitFailure(args, null, '', 'git is not installed (not found on PATH)', e) };
    return { ok: false, failure: new GitFailure(args, x.status ?? null, String(x.stdout ?? ''), String(x.stderr ?? ''), e) };
  }
}

/** Synchronous bytes of a git command that must succeed, or undefined when it fails (a missing blob). */
export function gitBytesSyncOrUndefined(cwd: string, args: string[]): Buffer | undefined {
  try {
    return execFileSync('git', args, { cwd, env: env(), stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 30 });
  } catch {
    return undefined;
  }
}

/** Every blob of `ids` by id, from one `git cat-file --batch` (missing ones left out). */
export async function catFileBatch(cwd: string, ids: string[]): Promise<Map<string, Uint8Array>> {
  const result = new Map<string, Uint8Array>();
  for (const o of await catFileOrdered(cwd, ids)) if (o) result.set(o.id, o.bytes);
  return result;
}

/** One object of `git cat-file --batch`, or undefined when the name does not resolve. */
export interface GitObject {
  id: string;
  type: string;
  bytes: Buffer;
}

/**
 * `git cat-file --batch` over object names (ids or `<rev>:<path>`), answered in
 * the order asked: one process for any number of branches' trees or blobs.
 */
export function catFileOrdered(cwd: string, names: string[]): Promise<(GitObject | undefined)[]> {
  return new Promise((resolve, reject) => {
    if (names.length === 0) return resolve([]);
    const child = spawn('git', ['cat-file', '--batch'], { cwd, env: env(), stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => (stderr += String(c)));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new GitFailure(['cat-file', '--batch'], code, '', stderr));
      const buf = Buffer.concat(chunks);
      const out: (GitObject | undefined)[] = [];
      let off = 0;
      for (let i = 0; i < names.length && off < buf.length; i++) {
        const nl = buf.indexOf(10, off);
        const header = buf.subarray(off, nl).toString('utf8');
        off = nl + 1;
        // "<name> missing" or "<name> ambiguous": nothing follows the header.
        if (/ (missing|ambiguous)$/.test(header)) {
          out.push(undefined);
          continue;
        }
        const [id, type, size] = header.split(' ');
        const n = Number(size);
        out.push({ id: id!, type: type!, bytes: buf.subarray(off, off + n) });
        off += n + 1;
      }
      resolve(out);
    });
    // A name with a newline would shift every answer after it.
    child.stdin.end(names.map((n) => n.replace(/[\r\n]/g, ' ')).join('\n') + '\n');
  });
}
