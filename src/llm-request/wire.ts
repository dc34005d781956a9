/**
 * What the model writes, and how it becomes a Proposal. Pure.
 *
 * The model does not write `assignments` one object per work order: at ~15
 * output tokens each that alone would cap a request near 8,000 work orders and
 * make output (5× the input price) dominate cost. It writes `assign`, one group
 * per track with the work-order handles it received (~3 tokens each); decoding
 * expands handles to ids and groups to Proposal.assignments. Everything else
 * (tracks, merges, retire, notes) comes straight from proposal.schema.json.
 */
import type { Mode, Proposal, ProposedTrack } from '../organize/types.js';
import type { IdCodec } from './format.js';
import type { RequestKind } from './prompt.js';

type Schema = Record<string, unknown>;

function assignSchema(trackEnum?: readonly string[]): Schema {
  return {
    type: 'array',
    description: 'One entry per track that receives work orders.',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['track', 'wos'],
      properties: {
        track: trackEnum?.length ? { type: 'string', enum: [...trackEnum] } : { $ref: '#/$defs/slug' },
        wos: { type: 'array', description: 'Work-order ids exactly as written in the data.', items: { type: 'string' } },
      },
    },
  };
}

/**
 * The output schema for one request, derived from the proposal schema so the
 * two cannot drift. `trackTypes` narrows `type` to the configured types; in a
 * chunk, `trackSlugs` narrows `track` to the decided tracks (the API enforces
 * enums, unlike patterns, which its schema transform turns into prose).
 */
export function wireSchema(proposal: Schema, kind: RequestKind, mode: Mode, trackTypes: readonly string[], trackSlugs?: readonly string[]): Schema {
  const props = proposal.properties as Record<string, Schema>;
  const tracks = structuredClone(props.tracks!) as Schema;
  const item = (tracks.items as Schema).properties as Record<string, Schema>;
  if (trackTypes.length) item.type = { type: 'string', enum: [...trackTypes] };
  const properties: Record<string, Schema> = {};
  const required: string[] = [];
  if (kind !== 'chunk') {
    properties.tracks = tracks;
    required.push('tracks');
    if (mode === 'reorg') {
      properties.merges = props.merges!;
      properties.retire = props.retire!;
    }
  }
  if (kind !== 'phase1') {
    properties.assign = assignSchema(kind === 'chunk' ? trackSlugs : undefined);
    required.push('assign');
  }
  if (kind !== 'chunk') properties.notes = props.notes!;
  return { type: 'object', additionalProperties: false, required, properties, $defs: proposal.$defs };
}

export interface Decoded {
  /** Present when the shape was usable. */
  value?: { tracks: unknown[]; assign: { track: string; wos: string[] }[]; merges?: unknown[]; retire?: unknown[]; notes?: unknown[] };
  violations: string[];
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** JSON text → the wire value, or violations a model can act on. */
export function parseAnswer(text: string, kind: RequestKind): Decoded {
  let v: unknown;
  try {
    v = JSON.parse(jsonPart(text));
  } catch (e) {
    return { violations: [`The answer is not valid JSON (${(e as Error).message}). Answer with one JSON object only.`] };
  }
  if (!isObj(v)) return { violations: ['The answer must be one JSON object.'] };
  const violations: string[] = [];
  const tracks = v.tracks ?? [];
  if (kind !== 'chunk' && !Array.isArray(tracks)) violations.push('`tracks` must be an array.');
  const assign: { track: string; wos: string[] }[] = [];
  if (kind !== 'phase1') {
    if (!Array.isArray(v.assign)) violations.push('`assign` must be an array of {track, wos}.');
    else
      v.assign.forEach((g, i) => {
        if (!isObj(g) || typeof g.track !== 'string' || !Array.isArray(g.wos) || !g.wos.every((x) => typeof x === 'string'))
          violations.push(`\`assign[${i}]\` must be {"track": slug, "wos": [ids]}.`);
        else assign.push({ track: g.track, wos: g.wos as string[] });
      });
  }
  if (violations.length) return { violations };
  const value: NonNullable<Decoded['value']> = { tracks: tracks as unknown[], assign };
  // null stands for "absent": strict structured output (OpenAI) makes every optional field required and nullable.
  for (const k of ['merges', 'retire', 'notes'] as const) if (v[k] !== undefined && v[k] !== null) value[k] = v[k] as unknown[];
  return { value, violations };
}

/**
 * Wire value → Proposal. Handles become full ids; an id the codec does not
 * know is kept as written, so the validator names it as unknown rather than
 * the tool hiding it.
 */
export function toProposal(value: NonNullable<Decoded['value']>, codec: IdCodec): Proposal {
  const p: Proposal = {
    tracks: value.tracks as ProposedTrack[],
    assignments: value.assign.flatMap((g) => g.wos.map((h) => ({ wo: codec.decode(h) ?? h, track: g.track }))),
  };
  if (value.merges) p.merges = value.merges as Proposal['merges'];
  if (value.retire) p.retire = value.retire as Proposal['retire'];
  if (value.notes) p.notes = value.notes as string[];
  return p;
}

/**
 * The JSON in an answer written without structured output: models without it
 * tend to wrap the object in a ```json fence, put a sentence before it, or
 * think aloud in <think>…</think> first. Anything else is left for JSON.parse
 * to reject, so the model hears exactly what was wrong.
 */
export function jsonPart(text: string): string {
  const t = text.replace(/^\s*<think>[\s\S]*?<\/think>/, '').trim();
  const fenced = /```(?:json)?\s*\n([\s\S]*?)\n\s*```/.exec(t)?.[1]?.trim();
  const start = t.indexOf('{');
  const end = t.lastIndexOf('}');
  const braces = start >= 0 && end > start ? t.slice(start, end + 1) : undefined;
  for (const c of [t, fenced, braces]) {
    if (c === undefined) continue;
    try {
      JSON.parse(c);
      return c;
    } catch {
      // try the next reading
    }
  }
  return t;
}

/** Keywords strict structured output (OpenAI) rejects; their meaning moves into the description, and the validator checks them. */
const UNSUPPORTED = ['pattern', 'maxLength', 'minLength', 'minItems', 'maxItems', 'minimum', 'maximum', 'format', 'uniqueItems'] as const;

/**
 * The wire schema in the subset that OpenAI's strict mode accepts (and that
 * local servers' grammar compilers handle best): every property required,
 * optional ones nullable, no length, range or pattern keywords (moved into the
 * description, as Anthropic's SDK does), no $id or $schema.
 */
export function strictSchema(schema: Schema): Schema {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!isObj(node)) return node;
    const out: Schema = {};
    const notes: string[] = [];
    for (const [k, v] of Object.entries(node)) {
      if (k === '$id' || k === '$schema') continue;
      if ((UNSUPPORTED as readonly string[]).includes(k) && (typeof v !== 'object' || v === null)) {
        notes.push(`${k}: ${String(v)}`);
        continue;
      }
      if (k === 'properties' && isObj(v)) out[k] = Object.fromEntries(Object.entries(v).map(([name, sub]) => [name, walk(sub)]));
      else if (k === '$defs' && isObj(v)) out[k] = Object.fromEntries(Object.entries(v).map(([name, sub]) => [name, walk(sub)]));
      else out[k] = walk(v);
    }
    if (notes.length) out.description = [out.description, `{${notes.join(', ')}}`].filter(Boolean).join(' ');
    if (isObj(out.properties)) {
      const props = out.properties as Record<string, Schema>;
      const required = new Set((out.required as string[] | undefined) ?? []);
      for (const name of Object.keys(props)) if (!required.has(name)) props[name] = { anyOf: [props[name], { type: 'null' }] };
      out.required = Object.keys(props);
      out.additionalProperties = false;
    }
    return out;
  };
  return walk(schema) as Schema;
}
