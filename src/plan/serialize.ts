/**
 * Plan ⇄ JSON. Reading checks the shape only: what a plan may change is
 * checked when it is applied (src/plan/verify.ts), against the files as they
 * are then. Pure.
 */
import { TracksError } from '../errors/index.js';
import { PLAN_VERSION, type ChangePlan, type FileChange } from './types.js';
import { ALLOWED } from './verify.js';

export function planToJson(plan: ChangePlan): string {
  return JSON.stringify(plan, null, 2) + '\n';
}

function bad(file: string, message: string): TracksError {
  return new TracksError('PLAN_INVALID', `${file} is not a usable plan: ${message}`, { where: { file } });
}

const isHash = (h: unknown) => typeof h === 'string' && /^[0-9a-f]{40}$/.test(h);

export function parsePlan(text: string, file: string): ChangePlan {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw bad(file, `it is not JSON (${(e as Error).message})`);
  }
  const p = raw as Partial<ChangePlan> | null;
  if (!p || typeof p !== 'object' || Array.isArray(p)) throw bad(file, 'expected a JSON object');
  if (p.version !== PLAN_VERSION) throw bad(file, `version ${JSON.stringify(p.version)} is not ${PLAN_VERSION}`);
  if (typeof p.kind !== 'string' || !(p.kind in ALLOWED)) throw bad(file, `unknown kind ${JSON.stringify(p.kind)}`);
  if (typeof p.message !== 'string' || !p.message.trim()) throw bad(file, '"message" (the commit message) is missing');
  if (!Array.isArray(p.changes)) throw bad(file, '"changes" is missing');
  p.changes.forEach((c: FileChange, i) => {
    const at = `changes[${i}]`;
    if (!c || typeof c !== 'object' || typeof c.path !== 'string' || !c.path) throw bad(file, `${at} has no path`);
    switch (c.action) {
      case 'set-key':
        if (!isHash(c.baseHash) || typeof c.key !== 'string') throw bad(file, `${at}: a set-key change needs baseHash and key`);
        break;
      case 'create':
        if (c.baseHash !== null || typeof c.content !== 'string') throw bad(file, `${at}: a create needs baseHash null and content`);
        break;
      case 'update':
        if (!isHash(c.baseHash) || typeof c.content !== 'string') throw bad(file, `${at}: an update needs baseHash and content`);
        break;
      case 'delete':
        if (!isHash(c.baseHash)) throw bad(file, `${at}: a delete needs baseHash`);
        break;
      default:
        throw bad(file, `${at}: unknown action ${JSON.stringify((c as { action?: unknown }).action)}`);
    }
  });
  return p as ChangePlan;
}
