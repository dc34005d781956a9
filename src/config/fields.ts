/**
 * How a repository writes what tracks reads: which front-matter key holds each
 * field, which status a directory implies, which priority words it uses. The
 * config says it once; this turns it into lookups the hot paths can afford
 * (10,000 work orders go through them). Pure.
 */
import type { Config, FieldName } from '../model/types.js';
import { FIELD_NAMES } from '../model/types.js';

/** The PCC format: every field under its own name (`created` is `created_at` there). */
export const DEFAULT_FIELDS: Readonly<Record<FieldName, string>> = Object.freeze({
  id: 'id',
  title: 'title',
  goal: 'goal',
  tags: 'tags',
  depends_on: 'depends_on',
  status: 'status',
  priority: 'priority',
  era: 'era',
  estimate_hours: 'estimate_hours',
  parent: 'parent',
  created: 'created_at',
  track: 'track',
});

/** The part of the config that decides how a work order reads. */
export type FormatConfig = Pick<Config, 'fields' | 'workOrderDirs' | 'priorities'>;

export interface Format {
  fields: Readonly<Record<FieldName, string>>;
  /** Every field under its own name: front matter can be validated as it is. */
  identity: boolean;
  /** Front-matter key → field, for the keys that are mapped. */
  fieldOf: ReadonlyMap<string, FieldName>;
  /** The status a work order's directory implies, if any. */
  dirStatus(path: string): string | undefined;
  /** Whether the work order lives in an archive directory. */
  archived(path: string): boolean;
  /** Priority word (any case) → rank; empty when only integers are allowed. */
  priorityRank: ReadonlyMap<string, number>;
  /** The allowed words, for messages: `critical (P0), high (P1), …`. */
  priorityWords: string;
}

const compiled = new WeakMap<object, Format>();

export function formatOf(config: FormatConfig): Format {
  let f = compiled.get(config);
  if (!f) {
    f = compile(config);
    compiled.set(config, f);
  }
  return f;
}

function compile(config: FormatConfig): Format {
  const fields = config.fields;
  const fieldOf = new Map<string, FieldName>();
  for (const name of FIELD_NAMES) fieldOf.set(fields[name], name);
  const status = new Map<string, string>();
  const archive = new Set<string>();
  for (const d of config.workOrderDirs) {
    if (d.status !== undefined) status.set(d.path, d.status);
    if (d.archive) archive.add(d.path);
  }
  const dirOf = (path: string) => {
    const cut = path.lastIndexOf('/');
    return cut < 0 ? '.' : path.slice(0, cut);
  };
  const priorityRank = new Map<string, number>();
  config.priorities.forEach((level, i) => {
    for (const w of level) if (!priorityRank.has(w.toLowerCase())) priorityRank.set(w.toLowerCase(), i + 1);
  });
  return {
    fields,
    identity: FIELD_NAMES.every((n) => fields[n] === DEFAULT_FIELDS[n]),
    fieldOf,
    dirStatus: status.size ? (path) => status.get(dirOf(path)) : () => undefined,
    archived: archive.size ? (path) => archive.has(dirOf(path)) : () => false,
    priorityRank,
    priorityWords: config.priorities.map((l) => (l.length > 1 ? `${l[0]} (${l.slice(1).join(', ')})` : l[0])).join(', '),
  };
}

export type PriorityReading = { rank: number; word: string | undefined } | { invalid: true } | undefined;

/**
 * A priority value: an integer is its own rank (1 is the most urgent); a word
 * ranks like its level's number (`[high, medium, low]`: high is 1). Anything
 * else is invalid (`check` says so); absent is undefined.
 */
export function readPriority(v: unknown, format: Format): PriorityReading {
  if (v === undefined || v === null) return undefined;
  // any finite number ranks, as it always has (`check` says when it is not an integer)
  if (typeof v === 'number') return Number.isFinite(v) ? { rank: v, word: undefined } : { invalid: true };
  if (typeof v === 'string') {
    const rank = format.priorityRank.get(v.trim().toLowerCase());
    return rank === undefined ? { invalid: true } : { rank, word: v.trim() };
  }
  return { invalid: true };
}
