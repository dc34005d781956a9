/** Per-file rules: everything that can be said about one file alone. Pure. */
import type { Config, Diagnostic, SourceDoc, Track } from '../model/types.js';
import { posOf } from '../parse/document.js';
import { parseTrackFileName, SLUG } from '../parse/entities.js';
import { schemaDiagnostics } from './schema-diagnostics.js';
import { validators, type AjvError } from './schemas.js';
import { formatOf, type Format } from '../config/fields.js';
import { BACKLOG_MD_KEYS } from '../config/presets.js';
import { FIELD_NAMES, type FieldName } from '../model/types.js';

/** Keys tracks knows in work orders (the corpus format); others are kept as they are. */
export const KNOWN_WORK_ORDER_KEYS = new Set([
  'id', 'title', 'goal', 'context', 'acceptance_criteria', 'non_goals', 'stop_conditions', 'priority', 'tags',
  'estimate_hours', 'status', 'created_at', 'updated_at', 'created', 'updated', 'depends_on', 'era', 'track',
  'notes', 'archived_reason', 'deprecated_reason', 'completed_at', 'triggers', 'files_created', 'success_criteria',
  'success_metrics', 'inputs', 'what_i_tried', 'what_i_need', 'track_id', 'owner', 'assignee',
]);

function diag(doc: SourceDoc, pointer: string, severity: Diagnostic['severity'], code: string, message: string, hint?: string): Diagnostic {
  const p = posOf(doc, pointer);
  return { file: doc.path, line: p.line, col: p.col, severity, code, message, ...(hint ? { hint } : {}) };
}

function schemaOf(doc: SourceDoc, errors: AjvError[], prefix: string, severity: (e: AjvError) => Diagnostic['severity'], more: { rename?: (p: string) => string; hint?: (p: string, e: AjvError) => string | undefined } = {}) {
  return schemaDiagnostics(errors, {
    file: doc.path,
    codePrefix: prefix,
    severity,
    ...more,
    position: (ptr, key) => {
      if (key !== undefined && ptr === '' && doc.keyPos[key]) return doc.keyPos[key]!;
      return ptr === '' ? doc.start : posOf(doc, ptr);
    },
  });
}

const escape = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** `/tags/0` → `/labels/0`: a field's pointer as the file spells it. */
function renamer(format: Format): (pointer: string) => string {
  return (pointer) => {
    const cut = pointer.indexOf('/', 1);
    const head = cut < 0 ? pointer.slice(1) : pointer.slice(1, cut);
    const key = format.fields[head as FieldName];
    return key === undefined || key === head ? pointer : `/${escape(key)}${cut < 0 ? '' : pointer.slice(cut)}`;
  };
}

/**
 * The front matter under the fields' own names, for the schema: the schema is
 * written in them, whatever keys the repository uses. Priority words are
 * checked here (the schema knows integers only), and left out of the copy.
 */
function schemaSubject(wo: SourceDoc, format: Format, out: Diagnostic[]): Record<string, unknown> {
  const d = wo.data;
  const words = format.priorityRank.size > 0;
  if (format.identity && !words) return d;
  const subject: Record<string, unknown> = format.identity ? { ...d } : {};
  if (!format.identity) {
    for (const field of FIELD_NAMES) if (format.fields[field] in d) subject[field] = d[format.fields[field]];
  }
  const p = subject.priority;
  if (words && typeof p === 'string') {
    if (!format.priorityRank.has(p.trim().toLowerCase())) {
      const key = format.fields.priority;
      out.push(diag(wo, `/${escape(key)}`, 'error', 'wo/schema', `${key} "${truncate(p, 30)}" is not a priority: use one of ${format.priorityWords} (any case), or an integer (1 is the most urgent)`, 'The words and their order are priorities: in tracks.config.yaml.'));
    }
    delete subject.priority;
  }
  return subject;
}

/** Keys tracks knows in work orders of this config: its own, the mapped ones, and the preset's format. */
function knownKeys(config: Config, format: Format): Set<string> {
  const known = new Set([...KNOWN_WORK_ORDER_KEYS, ...format.fieldOf.keys()]);
  if (config.preset === 'backlog-md') for (const k of BACKLOG_MD_KEYS) known.add(k);
  return known;
}

/** Everything about one work order's front matter alone (its document: the WorkOrder made of it is not needed). */
export function workOrderDiagnostics(wo: SourceDoc, config: Config): Diagnostic[] {
  const out: Diagnostic[] = [...wo.problems];
  if (!wo.ok) return out;
  const format = formatOf(config);
  const f = format.fields;
  const v = validators().validateWorkOrder;
  const subject = schemaSubject(wo, format, out);
  if (!v(subject)) {
    const hint = (ptr: string, e: AjvError) =>
      ptr === '/priority' && e.keyword === 'type' && typeof subject.priority === 'string'
        ? 'To write priorities as words, list them in tracks.config.yaml, most urgent first: priorities: [critical, high, medium, low].'
        : undefined;
    out.push(...schemaOf(wo, v.errors ?? [], 'wo', () => 'error', { rename: format.identity ? undefined : renamer(format), hint }));
  }
  const d = wo.data;
  const track = d[f.track];
  if (Array.isArray(track) && track.length > 1 && !config.multipleTracksPerWorkOrder) {
    out.push(
      diag(wo, `/${escape(f.track)}`, 'error', 'wo/multiple-tracks', `work order is in ${track.length} tracks but the config allows one`, 'Keep one track, or set multiple_tracks_per_work_order: true in tracks.config.yaml.'),
    );
  }
  const known = config.strictWorkOrderKeys ? knownKeys(config, format) : undefined;
  // keys, then each value: Object.entries would make a pair per key of every work order
  for (const key of Object.keys(d)) {
    if (known && !known.has(key)) {
      const p = wo.keyPos[key] ?? wo.start;
      out.push({ file: wo.path, line: p.line, col: p.col, severity: 'warning', code: 'wo/unknown-key', message: `unknown key "${key}"`, hint: 'Remove it, or turn off strict_work_order_keys.' });
    }
    const value = d[key];
    if (!Array.isArray(value) || key === f.track || key === f.depends_on || key === f.tags) continue;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item && typeof item === 'object' && !Array.isArray(item) && Object.keys(item).length === 1) {
        const k = Object.keys(item)[0]!;
        out.push(
          diag(wo, `/${escape(key)}/${i}`, 'warning', 'wo/list-item-mapping', `${key}[${i}] is read as a mapping ("${truncate(k, 40)}": …), not as text`, 'Quote the item: a plain "text: more text" is a key and a value to YAML.'),
        );
      }
    }
  }
  return out;
}

export function trackDiagnostics(t: Track, config: Config): Diagnostic[] {
  const out: Diagnostic[] = [...t.problems];
  const name = t.path.slice(t.path.lastIndexOf('/') + 1);
  const parsed = parseTrackFileName(name);
  if (!parsed) {
    out.push({
      file: t.path,
      line: 1,
      col: 1,
      severity: 'error',
      code: 'track/file-name',
      message: `track file name "${name}" does not match NNNN_TYPE_slug.md`,
      hint: 'Rename it, e.g. 0007_FEAT_runner-reliability.md (4-digit number, upper-case type, kebab-case slug).',
    });
  }
  if (!t.ok) return out;
  const v = validators().validateTrack;
  if (!v(t.data)) {
    out.push(...schemaOf(t, v.errors ?? [], 'track', (e) => (e.keyword === 'additionalProperties' ? 'warning' : 'error')));
  }
  const type = typeof t.data.type === 'string' ? t.data.type : undefined;
  if (type && !config.trackTypes.includes(type)) {
    out.push(diag(t, '/type', 'error', 'track/unknown-type', `track type "${type}" is not one of: ${config.trackTypes.join(', ')}`, 'Use a configured type, or add it to track_types in tracks.config.yaml.'));
  }
  if (parsed && type && parsed.type !== type) {
    out.push(diag(t, '/type', 'error', 'track/name-mismatch', `type is ${type} but the file name says ${parsed.type}`, `Rename the file to ${name.replace(`_${parsed.type}_`, `_${type}_`)} or change type to ${parsed.type}.`));
  }
  if (parsed && typeof t.data.slug === 'string' && t.data.slug !== parsed.slug) {
    out.push(diag(t, '/slug', 'error', 'track/name-mismatch', `slug is "${t.data.slug}" but the file name says "${parsed.slug}"`, 'The file name is the source of the slug; make them agree.'));
  }
  if (parsed && !SLUG.test(parsed.slug)) {
    out.push(diag(t, '', 'error', 'track/file-name', `slug "${parsed.slug}" is not kebab-case`));
  }
  if (t.experiment && type && type !== 'EXP') {
    out.push(diag(t, '/experiment', 'warning', 'track/experiment-type', `track has experiment "${t.experiment}" but type ${type}`, 'Experiments are EXP tracks; change the type to EXP or drop the experiment key.'));
  }
  if (type === 'EXP' && t.experiment && !t.hypothesis) {
    out.push(diag(t, '/experiment', 'warning', 'track/no-hypothesis', 'experiment track has no hypothesis', 'Add "hypothesis:" saying what this track is expected to show.'));
  }
  return out;
}

function truncate(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}
