/** Plan ⇄ JSON. Reading checks the shape and that every path stays inside the work-order and track directories. Pure. */
import type { Config } from '../model/types.js';
import { TracksError } from '../errors/index.js';
import { PLAN_VERSION, type FileChange, type Plan } from './types.js';

export function planToJson(plan: Plan): string {
  return JSON.stringify(plan, null, 2) + '\n';
}

function bad(file: string, message: string): TracksError {
  return new TracksError('PLAN_INVALID', `${file} is not a usable plan: ${message}`, {
    hint: 'Make a new one with `tracks organize --plan-out <file>`.',
    where: { file },
  });
}

const inside = (path: string, dir: string) => {
  const d = dir.replace(/\/+$/, '').replace(/^\.\//, '');
  return d === '.' || d === '' ? !path.includes('/') : path.startsWith(`${d}/`) && !path.slice(d.length + 1).includes('/');
};

export function parsePlan(text: string, file: string, config: Config): Plan {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw bad(file, `it is not JSON (${(e as Error).message})`);
  }
  const p = raw as Partial<Plan> | null;
  if (!p || typeof p !== 'object' || Array.isArray(p)) throw bad(file, 'expected a JSON object');
  if (p.version !== PLAN_VERSION) throw bad(file, `version ${JSON.stringify(p.version)} is not ${PLAN_VERSION}`);
  if (!['initial', 'incremental', 'reorg'].includes(p.mode as string)) throw bad(file, `unknown mode ${JSON.stringify(p.mode)}`);
  if (!Array.isArray(p.changes)) throw bad(file, '"changes" is missing');
  const seen = new Set<string>();
  p.changes.forEach((c: FileChange, i) => {
    const at = `changes[${i}]`;
    if (!c || typeof c.path !== 'string' || !c.path) throw bad(file, `${at} has no path`);
    const path = c.path;
    if (path.startsWith('/') || path.includes('\\') || path.split('/').some((s) => s === '..' || s === '.' || s === '') || !path.endsWith('.md')) {
      throw bad(file, `${at}: ${JSON.stringify(path)} is not a relative path to a .md file inside the repository`);
    }
    if (!config.workOrderDirs.some((d) => inside(path, d.path)) && !inside(path, config.tracksDir)) {
      throw bad(file, `${at}: ${path} is outside ${config.workOrderDirs.map((d) => `${d.path}/`).join(', ')} and ${config.tracksDir}/`);
    }
    if (seen.has(path)) throw bad(file, `${at}: ${path} appears twice`);
    seen.add(path);
    if (!['create', 'update', 'delete'].includes(c.action)) throw bad(file, `${at}: unknown action ${JSON.stringify(c.action)}`);
    if (c.action === 'create' ? c.baseHash !== null : typeof c.baseHash !== 'string' || !/^[0-9a-f]{40}$/.test(c.baseHash)) {
      throw bad(file, `${at}: baseHash must be ${c.action === 'create' ? 'null for a new file' : 'the git blob id of the file it was computed against'}`);
    }
    if (c.action === 'delete' ? c.content !== null : typeof c.content !== 'string') throw bad(file, `${at}: content must be ${c.action === 'delete' ? 'null' : 'a string'}`);
  });
  return {
    ...(p as Plan),
    items: Array.isArray(p.items) ? p.items : [],
    skipped: Array.isArray(p.skipped) ? p.skipped : [],
    summary: p.summary ?? { newTracks: 0, changedTracks: 0, merges: 0, retired: 0, moved: 0, files: p.changes.length },
  };
}
