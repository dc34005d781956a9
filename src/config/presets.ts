/**
 * Presets: whole formats in one config key. A preset is written in the
 * config file's own terms (snake_case keys), so it merges with what the file
 * says exactly as the file would: keys in the file win; `fields` and
 * `id_matching` merge key by key. Pure.
 */
import { parse } from 'yaml';
import type { PresetName } from '../model/types.js';

export const PRESET_NAMES: readonly PresetName[] = ['default', 'backlog-md'];

export const DEFAULT_HELD_STATUSES = ['parked', 'blocked', 'on_hold', 'you_review', 'review', 'in_review'];

/** Backlog.md (github.com/MrLesk/Backlog.md), as its own tool writes it. */
const BACKLOG_MD: Record<string, unknown> = {
  work_orders_dir: [
    'backlog/tasks',
    { path: 'backlog/completed', status: 'Done' },
    { path: 'backlog/drafts', status: 'Draft' },
    // Backlog.md gives the ids of archived tasks out again: they are history, not what a reference means.
    { path: 'backlog/archive/tasks', status: 'Archived', archive: true },
  ],
  fields: { tags: 'labels', depends_on: 'dependencies', parent: 'parent_task_id', created: 'created_date', era: 'milestone' },
  priorities: ['high', 'medium', 'low'],
  done_statuses: ['Done', 'Archived'],
  held_statuses: [...DEFAULT_HELD_STATUSES, 'Draft'],
  // `task-208`, `BACK-208` and `208` name the same task: its ids changed prefix once, and people write any of them.
  id_matching: { ignore_case: true, prefixes: ['back', 'task'] },
};

/** Keys Backlog.md writes that tracks does not read (known, so `strict_work_order_keys` stays quiet about them). */
export const BACKLOG_MD_KEYS = ['assignee', 'reporter', 'created_date', 'updated_date', 'completed_date', 'labels', 'milestone', 'dependencies', 'references', 'documentation', 'modified_files', 'ordinal', 'parent_task_id', 'type'];

export function presetValues(name: PresetName): Record<string, unknown> {
  return name === 'backlog-md' ? structuredClone(BACKLOG_MD) : {};
}

const MERGED = new Set(['fields', 'id_matching', 'llm']);

/** The file's keys over the preset's; mappings that name parts of one thing merge key by key. */
export function withPreset(raw: Record<string, unknown>, name: PresetName): Record<string, unknown> {
  const out = presetValues(name);
  for (const [k, v] of Object.entries(raw)) {
    const base = out[k];
    out[k] = MERGED.has(k) && isRecord(base) && isRecord(v) ? { ...base, ...v } : v;
  }
  return out;
}

export interface BacklogMdSettings {
  /** Config keys to write below `preset: backlog-md` where the repository differs from the preset. */
  overrides: Record<string, unknown>;
  /** What was read, in one line each, for `tracks init` to say. */
  notes: string[];
}

/**
 * What a repository's backlog/config.yml says that the preset does not
 * already: its last status is its "done", `task_prefix` its id prefix.
 */
export function backlogMdSettings(configYml: string): BacklogMdSettings {
  const overrides: Record<string, unknown> = {};
  const notes: string[] = [];
  let cfg: unknown;
  try {
    cfg = parse(configYml);
  } catch {
    return { overrides, notes: ['backlog/config.yml is not valid YAML; using the preset as it is'] };
  }
  if (!isRecord(cfg)) return { overrides, notes };
  const statuses = Array.isArray(cfg.statuses) ? cfg.statuses.filter((s): s is string => typeof s === 'string' && s.trim() !== '') : [];
  const done = statuses.at(-1);
  if (done !== undefined) {
    notes.push(`statuses ${statuses.join(', ')}: "${done}" counts as done`);
    if (done !== 'Done') {
      overrides.work_orders_dir = (BACKLOG_MD.work_orders_dir as unknown[]).map((d) => (isRecord(d) && d.status === 'Done' ? { ...d, status: done } : d));
      overrides.done_statuses = [done, 'Archived'];
    }
  }
  const prefix = typeof cfg.task_prefix === 'string' ? cfg.task_prefix.trim().toLowerCase() : '';
  if (prefix && /^[a-z][a-z0-9_]*$/.test(prefix)) {
    notes.push(`task ids ${prefix.toUpperCase()}-N (also written task-N or N)`);
    if (prefix !== 'back') overrides.id_matching = { prefixes: [prefix, 'task'] };
  }
  return { overrides, notes };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
