/**
 * A plan, checked and turned into the exact bytes to write. Apply never
 * trusts a plan (it may come from a file someone edited): every change must be
 * what the plan's kind allows where it is, a work-order change is recomputed
 * from the current file as an edit of the one key the tool writes, and a track
 * file must be a readable track within size bounds. Pure.
 */
import type { Config } from '../model/types.js';
import { CONFIG_FILE } from '../config/config.js';
import { TracksError } from '../errors/index.js';
import { isUtf8 } from 'node:buffer';
import { decode, decodeFrontMatter, readSource } from '../parse/document.js';
import { setFrontMatterKey } from '../parse/edit.js';
import { spliceLines } from '../parse/bytes.js';
import { parseTrackFileName, SLUG } from '../parse/entities.js';
import { workOrderDirs, trackKey } from '../core/layout.js';
import type { ChangeKind, ChangePlan, FileChange, KeyValue } from './types.js';

/** A file as it is now: its bytes and git blob id, or absent. */
export type Current = { bytes: Uint8Array; hash: string } | null;

/** One file to write: exact bytes, or null to delete. */
export interface FileWrite {
  path: string;
  before: Current;
  after: Uint8Array | null;
  /** For a work order: the one key this write sets (the rules need no re-read of the file to judge it). */
  setKey?: { key: string; value: KeyValue };
}

/** Largest track file a plan may write (the biggest real one is a few KiB). */
export const MAX_TRACK_BYTES = 64 * 1024;
/** Largest config file a plan may write. */
export const MAX_CONFIG_BYTES = 64 * 1024;

interface Allowed {
  workOrderKey: boolean;
  trackCreate: boolean;
  trackUpdate: boolean;
  trackDelete: boolean;
  setup: boolean;
}

const NONE: Allowed = { workOrderKey: false, trackCreate: false, trackUpdate: false, trackDelete: false, setup: false };
export const ALLOWED: Record<ChangeKind, Allowed> = {
  organize: { ...NONE, workOrderKey: true, trackCreate: true, trackUpdate: true, trackDelete: true },
  assign: { ...NONE, workOrderKey: true },
  unassign: { ...NONE, workOrderKey: true },
  create: { ...NONE, trackCreate: true },
  transition: { ...NONE, trackUpdate: true },
  pick: { ...NONE, trackUpdate: true },
  claim: { ...NONE, trackUpdate: true },
  release: { ...NONE, trackUpdate: true },
  rename: { ...NONE, workOrderKey: true, trackCreate: true, trackUpdate: true, trackDelete: true },
  doctor: { ...NONE, trackCreate: true, trackUpdate: true, trackDelete: true },
  init: { ...NONE, setup: true },
};

const a = (kind: string) => `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind}`;

const refuse = (path: string, why: string) =>
  new TracksError('PLAN_REFUSED', `${path}: ${why}`, { hint: 'The plan was not made by tracks for this repository, or it was edited. Make it again.', where: { file: path } });

const inDir = (path: string, dir: string) => {
  const d = dir.replace(/\/+$/, '').replace(/^\.\//, '');
  return d === '.' || d === '' ? !path.includes('/') : path.startsWith(`${d}/`) && !path.slice(d.length + 1).includes('/');
};

/** Where a path may be written: a work order, a track file, or the set-up files `init` writes. */
export function placeOf(path: string, config: Config): 'work-order' | 'track' | 'config' | 'tracks-readme' | undefined {
  if (path.startsWith('/') || path.includes('\\') || path.split('/').some((s) => s === '..' || s === '.' || s === '' || s.toLowerCase() === '.git')) return undefined;
  if (path === CONFIG_FILE) return 'config';
  if (!path.endsWith('.md')) return undefined;
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (inDir(path, config.tracksDir)) return name === 'readme.md' ? 'tracks-readme' : 'track';
  if (name !== 'readme.md' && workOrderDirs(config).some((d) => inDir(path, d))) return 'work-order';
  return undefined;
}

function checkTrackContent(path: string, content: string, creating: boolean): void {
  if (Buffer.byteLength(content) > MAX_TRACK_BYTES) throw refuse(path, `a track file of ${Buffer.byteLength(content)} bytes is over the ${MAX_TRACK_BYTES}-byte bound`);
  const name = path.slice(path.lastIndexOf('/') + 1);
  const parsed = parseTrackFileName(name);
  if (creating && (!parsed || !SLUG.test(parsed.slug))) throw refuse(path, `"${name}" is not a track file name (NNNN_TYPE_slug.md)`);
  const { doc } = readSource(path, content, '', true);
  if (!doc.ok) throw refuse(path, `the new content has no readable front matter (${doc.problems[0]?.message ?? 'unreadable'})`);
}

/**
 * Checks every change against the kind's rules and the current files, and
 * returns what to write. Throws PLAN_STALE when a file is not what the plan
 * was computed against, PLAN_REFUSED when a change is not allowed.
 */
export function materialize(plan: ChangePlan, current: (path: string) => Current, config: Config): FileWrite[];
/** The same, handing each write to `emit` as it is made (nothing is kept). */
export function materialize(plan: ChangePlan, current: (path: string) => Current, config: Config, emit: (w: FileWrite) => void): undefined;
export function materialize(plan: ChangePlan, current: (path: string) => Current, config: Config, emit?: (w: FileWrite) => void): FileWrite[] | undefined {
  const allowed = ALLOWED[plan.kind];
  if (!allowed) throw refuse('(plan)', `unknown plan kind ${JSON.stringify(plan.kind)}`);
  const stale: string[] = [];
  const writes: FileWrite[] = [];
  const push = emit ?? ((w: FileWrite) => void writes.push(w));
  const seen = new Set<string>();
  for (const c of plan.changes as FileChange[]) {
    const path = c.path;
    if (seen.has(path)) throw refuse(path, 'the file appears twice in the plan');
    seen.add(path);
    const place = placeOf(path, config);
    const now = current(path);
    if ((now?.hash ?? null) !== c.baseHash) {
      stale.push(c.baseHash === null ? `${path} (exists now)` : now === null ? `${path} (deleted)` : `${path} (changed)`);
      continue;
    }
    switch (c.action) {
      case 'set-key': {
        if (place !== 'work-order' || !allowed.workOrderKey) throw refuse(path, `${a(plan.kind)} plan may not change this file`);
        if (c.key !== trackKey(config)) throw refuse(path, `the plan changes key "${c.key}"; tracks writes only "${trackKey(config)}"`);
        const v = c.value;
        const okValue = v === null || (typeof v === 'string' && SLUG.test(v)) || (Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string' && SLUG.test(s)));
        if (!okValue) throw refuse(path, `${JSON.stringify(v)} is not a track slug or a list of slugs`);
        const after = setKeyBytes(now!.bytes, c.key, v === null ? undefined : Array.isArray(v) && v.length === 1 ? v[0]! : v, path);
        if (after) push({ path, before: now, after, setKey: { key: c.key, value: v } });
        break;
      }
      case 'create':
      case 'update': {
        if (typeof c.content !== 'string') throw refuse(path, 'the change has no content');
        if (place === 'track') {
          if (!(c.action === 'create' ? allowed.trackCreate : allowed.trackUpdate)) throw refuse(path, `${a(plan.kind)} plan may not ${c.action} a track file`);
          checkTrackContent(path, c.content, c.action === 'create');
        } else if ((place === 'config' || (place === 'tracks-readme' && c.action === 'create')) && allowed.setup) {
          if (Buffer.byteLength(c.content) > MAX_CONFIG_BYTES) throw refuse(path, 'the file is over the size bound');
        } else throw refuse(path, `${a(plan.kind)} plan may not write this file`);
        const after = c.action === 'update' && now ? spliceLines(now.bytes, decode(now.bytes, path, []), c.content, path) : Buffer.from(c.content, 'utf8');
        if (!now || Buffer.compare(Buffer.from(now.bytes), after) !== 0) push({ path, before: now, after });
        break;
      }
      case 'delete':
        if (place !== 'track' || !allowed.trackDelete) throw refuse(path, `${a(plan.kind)} plan may not delete this file`);
        push({ path, before: now, after: null });
        break;
      default:
        throw refuse(path, `unknown action ${JSON.stringify((c as { action?: unknown }).action)}`);
    }
  }
  if (stale.length) {
    throw new TracksError('PLAN_STALE', `${stale.length} file${stale.length === 1 ? '' : 's'} changed since the plan was made: ${stale.slice(0, 10).join(', ')}${stale.length > 10 ? ` and ${stale.length - 10} more` : ''}`, {
      hint: plan.kind === 'organize' ? 'Run `tracks organize` again to plan against the current files.' : 'Run the command again.',
    });
  }
  return emit ? undefined : writes;
}

/**
 * A work order's bytes with one front-matter key set (removed: undefined), or
 * null when that changes nothing. A UTF-8 file is decoded and re-encoded only
 * up to its closing fence (the body is copied as bytes); any other file goes
 * whole through the text edit and keeps the bytes of every line it did not change.
 */
export function setKeyBytes(bytes: Uint8Array, key: string, value: KeyValue | undefined, path: string): Uint8Array | null {
  if (isUtf8(bytes)) {
    const head = decodeFrontMatter(bytes, path, []);
    const edited = setFrontMatterKey(head, key, value, path);
    if (edited === head) return null;
    const rest = bytes.subarray(Buffer.byteLength(head, 'utf8'));
    const out = Buffer.allocUnsafe(Buffer.byteLength(edited, 'utf8') + rest.length);
    const n = out.write(edited, 0, 'utf8');
    out.set(rest, n);
    return out;
  }
  const text = decode(bytes, path, []);
  const edited = setFrontMatterKey(text, key, value, path);
  return edited === text ? null : spliceLines(bytes, text, edited, path);
}
