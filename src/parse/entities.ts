/** SourceDoc → WorkOrder / Track, and track file names. Pure. */
import type { SourceDoc, Track, WorkOrder } from '../model/types.js';
import { DEFAULT_FIELDS, formatOf, readPriority, type FormatConfig } from '../config/fields.js';

export const TRACK_FILE = /^(\d{4})_([A-Z][A-Z0-9]*)_([a-z0-9]+(?:-[a-z0-9]+)*)\.md$/;
export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export interface TrackFileName {
  number: number;
  type: string;
  slug: string;
}

export function parseTrackFileName(name: string): TrackFileName | null {
  const m = TRACK_FILE.exec(name);
  if (!m) return null;
  return { number: Number(m[1]), type: m[2]!, slug: m[3]! };
}

export function trackFileName(number: number, type: string, slug: string): string {
  return `${String(number).padStart(4, '0')}_${type}_${slug}.md`;
}

/** Turns free text into a slug: "Runner reliability!" → "runner-reliability". */
export function slugify(text: string, max = 48): string {
  const s = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (s.length <= max) return s;
  const cut = s.slice(0, max);
  const dash = cut.lastIndexOf('-');
  return (dash > max / 2 ? cut.slice(0, dash) : cut).replace(/-+$/g, '');
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
/** The strings (and numbers, as strings) of a list, or a lone string as a list: one pass, one array (every work order has three). */
function strList(v: unknown): string[] {
  if (!Array.isArray(v)) return typeof v === 'string' && v ? [v] : [];
  const out: string[] = [];
  for (let i = 0; i < v.length; i++) {
    const x: unknown = v[i];
    if (typeof x === 'string') out.push(x);
    else if (typeof x === 'number') out.push(String(x));
  }
  return out;
}
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

const DEFAULT_FORMAT: FormatConfig = { fields: DEFAULT_FIELDS, workOrderDirs: [], priorities: [] };

/** Front matter → work order, reading each field from the key the config maps it to. */
export function toWorkOrder(doc: SourceDoc, config: FormatConfig = DEFAULT_FORMAT): WorkOrder {
  const d = doc.data;
  const format = formatOf(config);
  const f = format.fields;
  const p = readPriority(d[f.priority], format);
  const rank = p && 'rank' in p ? p : undefined;
  // Fields are copied one by one on purpose: `{ ...doc, more }` falls off V8's
  // fast path and cost ~100 µs per work order (1.3 s for 10,000).
  return {
    path: doc.path,
    hash: doc.hash,
    data: d,
    pos: doc.pos,
    keyPos: doc.keyPos,
    start: doc.start,
    problems: doc.problems,
    ok: doc.ok,
    kind: 'work-order',
    id: str(d[f.id]),
    title: str(d[f.title]),
    status: format.dirStatus(doc.path) ?? str(d[f.status]),
    tracks: strList(d[f.track]),
    dependsOn: strList(d[f.depends_on]),
    tags: strList(d[f.tags]),
    goal: typeof d[f.goal] === 'string' ? (d[f.goal] as string) : undefined,
    priority: rank?.rank,
    priorityWord: rank?.word,
    estimateHours: num(d[f.estimate_hours]),
    era: str(d[f.era]),
    parent: str(d[f.parent]) || undefined,
    created: str(d[f.created]),
  };
}

export function toTrack(doc: SourceDoc, fileName: string, body: string): Track {
  const d = doc.data;
  const parsed = parseTrackFileName(fileName);
  const slug = parsed?.slug ?? fileName.replace(/\.md$/, '');
  return {
    path: doc.path,
    hash: doc.hash,
    data: d,
    pos: doc.pos,
    keyPos: doc.keyPos,
    start: doc.start,
    problems: doc.problems,
    ok: doc.ok,
    kind: 'track',
    number: parsed?.number,
    fileType: parsed?.type,
    slug,
    name: str(d.name),
    goal: str(d.goal),
    type: str(d.type),
    status: str(d.status),
    parent: str(d.parent) || undefined,
    color: str(d.color),
    experiment: str(d.experiment) || undefined,
    hypothesis: str(d.hypothesis),
    body,
  };
}
