/**
 * The context builder: repository + mode → the requests an LLM organizer
 * sends, within a token budget. Pure.
 *
 * Small repositories get one request. When the work orders to place do not fit
 * (input budget, or the answer would not fit max_tokens), the work splits in
 * two phases: (1) propose tracks from statistics over all work orders and a
 * diverse sample; (2) place the work orders in chunks, each request carrying
 * the decided track list as a stable, cacheable prefix.
 */
import { dependencyResolver } from '../core/deps.js';
import type { Repo, WorkOrder } from '../model/types.js';
import { RETIRED_STATUSES } from '../model/types.js';
import { inScope, topLevelTarget } from '../organize/scope.js';
import type { Mode, Proposal, ProposedTrack } from '../organize/types.js';
import { proposalSchema } from '../validate/schemas.js';
import {
  LINE_DEFAULTS,
  TRACK_COLUMNS,
  byId,
  commonTags,
  idCodec,
  neutralise,
  trackLines,
  trimGoal,
  workOrderLine,
  workOrderLines,
  type IdCodec,
  type LineOptions,
} from './format.js';
import { dataBlock, systemPrompt, type PromptFacts, type RequestKind } from './prompt.js';
import { estimateTokens } from './tokens.js';
import { wireSchema } from './wire.js';

export interface BuildOptions {
  /** max_tokens of each call: bounds the answer (and any thinking). */
  maxOutputTokens: number;
  /** Largest estimated input per request. */
  inputBudget?: number;
  /** Estimated tokens of the phase-1 work-order sample. */
  sampleBudget?: number;
  /** Most work orders per phase-2 chunk (attention degrades on very long lists). */
  maxChunk?: number;
  line?: Partial<LineOptions>;
}

const DEFAULTS = { inputBudget: 100_000, sampleBudget: 24_000, maxChunk: 1_000 };

/** Share of max_tokens the answer may plan to use; the rest is headroom for thinking. */
export const ANSWER_SHARE = 0.6;
/** Rough allowance for adaptive thinking in cost estimates (tokens per request). */
export const THINKING_ALLOWANCE = 1_500;
/** Estimated output tokens for one track definition (slug, name, type, goal, parent). */
export const TRACK_OUT = 70;

export interface RequestSpec {
  kind: RequestKind;
  /** Stable system blocks; each is a cache breakpoint. */
  system: string[];
  user: string;
  schema: Record<string, unknown>;
  estInputTokens: number;
  estOutputTokens: number;
  /** Work orders this request must place (empty in phase 1). */
  workOrders: WorkOrder[];
}

export interface OrganizeContext {
  mode: Mode;
  repo: Repo;
  codec: IdCodec;
  /** Work orders the model must place. */
  targets: WorkOrder[];
  strategy: 'single' | 'two-phase';
  /** Phase-2 chunks (two-phase only). */
  chunks: WorkOrder[][];
  facts: Omit<PromptFacts, 'kind'>;
  line: LineOptions;
  options: Required<Omit<BuildOptions, 'line'>>;
  /** A work order's line (memoised: requests, chunking and sampling all need it). */
  lineOf(w: WorkOrder): string;
  /** Estimated tokens of that line, newline included. */
  tokensOf(w: WorkOrder): number;
}

/** Work orders the model is asked to place: the organize scope the validator enforces, in id order. */
export function targetsFor(repo: Repo, mode: Mode): WorkOrder[] {
  return inScope(repo, mode).sort(byId);
}

export function buildContext(repo: Repo, mode: Mode, options: BuildOptions): OrganizeContext {
  const opts = { ...DEFAULTS, ...options };
  const line: LineOptions = { ...LINE_DEFAULTS, byTrack: mode === 'reorg', ...options.line };
  const codec = idCodec(
    repo.workOrders.map((w) => w.id).filter((x): x is string => typeof x === 'string' && x !== ''),
    dependencyResolver(repo.workOrders, repo.config),
  );
  const targets = targetsFor(repo, mode);
  const sample = targets.find((w) => codec.prefix && w.id!.startsWith(codec.prefix) && codec.encode(w.id!) !== w.id);
  const sample2 = targets.find((w) => codec.common && !w.id!.startsWith(codec.prefix || '\0') && codec.encode(w.id!) !== w.id);
  const facts: OrganizeContext['facts'] = {
    mode,
    topLevelLimit: repo.config.topLevelLimit,
    topLevelTarget: topLevelTarget(repo.config),
    trackTypes: repo.config.trackTypes,
    multiplePerWorkOrder: repo.config.multipleTracksPerWorkOrder,
    prefix: codec.prefix,
    common: codec.common,
    ...(sample ? { example: { handle: codec.encode(sample.id!), id: sample.id! } } : {}),
    ...(sample2 ? { example2: { handle: codec.encode(sample2.id!), id: sample2.id! } } : {}),
  };
  const lines = new Map<WorkOrder, string>();
  const tokens = new Map<WorkOrder, number>();
  const lineOf = (w: WorkOrder) => lines.get(w) ?? lines.set(w, workOrderLine(w, codec, line)).get(w)!;
  const tokensOf = (w: WorkOrder) => tokens.get(w) ?? tokens.set(w, estimateTokens(lineOf(w)) + 1).get(w)!;
  const ctx: OrganizeContext = { mode, repo, codec, targets, strategy: 'single', chunks: [], facts, line, options: opts, lineOf, tokensOf };
  // Sum line estimates first: rendering one request for 10,000 work orders only to find it too big is wasted work.
  let dataTokens = 0;
  for (const w of targets) dataTokens += tokensOf(w);
  if (dataTokens <= opts.inputBudget) {
    const single = singleRequest(ctx);
    const fits = single.estInputTokens <= opts.inputBudget && single.estOutputTokens - THINKING_ALLOWANCE <= ANSWER_SHARE * opts.maxOutputTokens;
    if (fits) return ctx;
  }
  ctx.strategy = 'two-phase';
  ctx.chunks = chunk(ctx);
  return ctx;
}

function expectedNewTracks(ctx: OrganizeContext): number {
  const n = ctx.targets.length;
  if (ctx.mode === 'incremental') return Math.min(3, Math.ceil(n / 10));
  return Math.min(ctx.facts.topLevelLimit * 3, Math.max(3, Math.ceil(n / 8)));
}

function assignOut(ctx: OrganizeContext, wos: readonly WorkOrder[], groups: number): number {
  let n = 10 + groups * 15;
  for (const w of wos) n += estimateTokens(`"${ctx.codec.encode(w.id!)}",`);
  return n;
}

function existingBlock(repo: Repo): string {
  return repo.tracks.length ? dataBlock('tracks', [TRACK_COLUMNS, ...trackLines(repo)]) + '\n' : '';
}

function header(ctx: OrganizeContext, what: string): string {
  const t = ctx.repo.tracks.length;
  return `Mode: ${ctx.mode}. ${what}${t ? ` ${t} existing track${t === 1 ? '' : 's'}.` : ' No tracks exist yet.'}`;
}

/**
 * A request whose user turn is `intro` followed by the work-order block. The
 * estimate reuses the memoised per-line figures instead of re-reading the
 * whole text (which for 10,000 work orders is most of the builder's time).
 */
function spec(ctx: OrganizeContext, kind: RequestKind, system: string[], intro: string, data: readonly WorkOrder[], out: number, place: WorkOrder[], slugs?: string[]): RequestSpec {
  const schema = wireSchema(proposalSchema(), kind, ctx.mode, ctx.facts.trackTypes, slugs);
  const lines = workOrderLines(data, ctx.codec, ctx.line, ctx.lineOf);
  const user = `${intro}\n${dataBlock('work_orders', lines)}`;
  let dataTokens = 8;
  for (const w of data) dataTokens += ctx.tokensOf(w);
  for (const l of lines) if (l.startsWith('# era ') || l.startsWith('# track ')) dataTokens += estimateTokens(l) + 1;
  // The schema travels with the request and counts as input.
  const estInputTokens = estimateTokens(`${system.join('\n')}\n${intro}`) + dataTokens + estimateTokens(JSON.stringify(schema));
  return { kind, system, user, schema, estInputTokens, estOutputTokens: out + THINKING_ALLOWANCE, workOrders: place };
}

export function singleRequest(ctx: OrganizeContext): RequestSpec {
  const intro = header(ctx, `${ctx.targets.length} work order${ctx.targets.length === 1 ? '' : 's'} to place.`) + '\n' + existingBlock(ctx.repo);
  const tracksOut = expectedNewTracks(ctx) * TRACK_OUT;
  const groups = ctx.mode === 'incremental' ? ctx.repo.tracks.length + 1 : expectedNewTracks(ctx);
  const system = [systemPrompt({ ...ctx.facts, kind: 'single' })];
  return spec(ctx, 'single', system, intro.trimEnd(), ctx.targets, tracksOut + assignOut(ctx, ctx.targets, groups), ctx.targets);
}

const STOP = new Set(
  'a an the and or of to in on for with by from as at is are be be into via per not no all any can add use make when that this these those its it new each more into out up so only than then via'.split(' '),
);

function countTop<T>(items: Iterable<T>, n: number): [T, number][] {
  const m = new Map<T, number>();
  for (const x of items) m.set(x, (m.get(x) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1] || (String(a[0]) < String(b[0]) ? -1 : 1)).slice(0, n);
}

const fmtCounts = (xs: [string, number][]) => xs.map(([k, n]) => `${k} ${n}`).join(', ');

/**
 * A diverse sample within a token budget: round-robin over tags from the most
 * common down, taking the next work order not yet taken in each (untagged work
 * orders form a bucket of their own). Deterministic.
 */
export function sampleWorkOrders(ctx: OrganizeContext, budget: number): WorkOrder[] {
  const buckets = new Map<string, WorkOrder[]>();
  for (const w of ctx.targets) for (const t of w.tags.length ? w.tags : ['']) (buckets.get(t) ?? buckets.set(t, []).get(t)!).push(w);
  const order = [...buckets].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1)).map(([, ws]) => ws);
  const ptr = order.map(() => 0);
  const taken = new Set<WorkOrder>();
  let used = 0;
  for (let progress = true; progress; ) {
    progress = false;
    for (let i = 0; i < order.length; i++) {
      const ws = order[i]!;
      while (ptr[i]! < ws.length && taken.has(ws[ptr[i]!]!)) ptr[i]!++;
      if (ptr[i]! >= ws.length) continue;
      const w = ws[ptr[i]!]!;
      const cost = ctx.tokensOf(w);
      if (used + cost > budget) return [...taken];
      taken.add(w);
      used += cost;
      progress = true;
    }
  }
  return [...taken];
}

export function phase1Request(ctx: OrganizeContext): RequestSpec {
  const t = ctx.targets;
  const words = t.flatMap((w) =>
    `${w.title ?? ''} ${w.goal ?? ''}`
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((x) => x.length > 2 && !STOP.has(x) && !/^\d+$/.test(x)),
  );
  const stats = [
    `statuses: ${fmtCounts(countTop(t.map((w) => neutralise(w.status ?? '') || '(none)'), 30))}`,
    `eras: ${fmtCounts(countTop(t.map((w) => neutralise(w.era ?? '') || '(none)'), 30))}`,
    `tags (most common first): ${fmtCounts(countTop(t.flatMap((w) => w.tags.map(neutralise)), 200))}`,
    `words in titles and goals: ${fmtCounts(countTop(words, 150))}`,
  ];
  const sample = sampleWorkOrders(ctx, ctx.options.sampleBudget);
  const intro = [
    header(ctx, `${t.length} work orders to place: statistics over all of them, then a sample of ${sample.length}.`),
    dataBlock('statistics', stats),
    existingBlock(ctx.repo).trimEnd(),
  ]
    .filter(Boolean)
    .join('\n');
  return spec(ctx, 'phase1', [systemPrompt({ ...ctx.facts, kind: 'phase1' })], intro, sample, expectedNewTracks(ctx) * TRACK_OUT, []);
}

/** A track as the chunk requests list it: existing ones with size and tags, decided ones as new. */
export interface DecidedTrack {
  slug: string;
  name: string;
  type: string;
  goal: string;
  parent: string | null;
  status: string;
  size: string;
  tags: string[];
}

/**
 * The track list after phase 1: existing tracks with the proposed changes
 * applied, minus retired and merged-away ones, plus new ones.
 */
export function decidedTracks(repo: Repo, phase1: Pick<Proposal, 'tracks' | 'merges' | 'retire'>): DecidedTrack[] {
  const gone = new Set([...(phase1.retire ?? []).map((r) => r.slug), ...(phase1.merges ?? []).flatMap((m) => m.from)]);
  const changed = new Map(phase1.tracks.map((t) => [t.slug, t]));
  const members = new Map<string, WorkOrder[]>();
  for (const w of repo.workOrders) for (const s of w.tracks) (members.get(s) ?? members.set(s, []).get(s)!).push(w);
  const out: DecidedTrack[] = [];
  const existing = new Set<string>();
  for (const t of repo.tracks) {
    existing.add(t.slug);
    if (gone.has(t.slug) || RETIRED_STATUSES.includes(t.status as never)) continue;
    const c = changed.get(t.slug);
    out.push({
      slug: t.slug,
      name: c?.name ?? t.name ?? '',
      type: c?.type ?? t.type ?? t.fileType ?? '',
      goal: c?.goal ?? t.goal ?? '',
      parent: c ? c.parent : (t.parent ?? null),
      status: t.status ?? '',
      size: String(members.get(t.slug)?.length ?? 0),
      tags: commonTags(members.get(t.slug) ?? [], 4),
    });
  }
  for (const t of phase1.tracks)
    if (!existing.has(t.slug)) out.push({ slug: t.slug, name: t.name, type: t.type, goal: t.goal, parent: t.parent, status: 'new', size: '', tags: [] });
  return out;
}

function decidedLines(tracks: readonly DecidedTrack[]): string[] {
  return [
    TRACK_COLUMNS,
    ...tracks.map((t) =>
      [t.slug, t.name, t.type, t.status, t.parent ?? '', t.size, trimGoal(t.goal, 24), t.tags.join(' ')].map((x) => neutralise(String(x))).join('|'),
    ),
  ];
}

function chunk(ctx: OrganizeContext): WorkOrder[][] {
  const probe = chunkRequest(ctx, [], decidedTracks(ctx.repo, { tracks: [] }));
  // Reserve room for the decided tracks, which are not known yet.
  const fixed = probe.estInputTokens + expectedNewTracks(ctx) * 40;
  const chunks: WorkOrder[][] = [];
  let cur: WorkOrder[] = [];
  let inTok = 0;
  let outTok = 0;
  for (const w of ctx.targets) {
    const i = ctx.tokensOf(w);
    const o = estimateTokens(`"${ctx.codec.encode(w.id!)}",`);
    const full = cur.length >= ctx.options.maxChunk || fixed + inTok + i > ctx.options.inputBudget || 200 + outTok + o > ANSWER_SHARE * ctx.options.maxOutputTokens;
    if (full && cur.length) {
      chunks.push(cur);
      cur = [];
      inTok = outTok = 0;
    }
    cur.push(w);
    inTok += i;
    outTok += o;
  }
  if (cur.length) chunks.push(cur);
  return chunks;
}

export function chunkRequest(ctx: OrganizeContext, wos: WorkOrder[], tracks: readonly DecidedTrack[], index = 0, of = 1): RequestSpec {
  const system = [systemPrompt({ ...ctx.facts, kind: 'chunk' }), dataBlock('tracks', decidedLines(tracks))];
  const intro = `Mode: ${ctx.mode}. Chunk ${index + 1} of ${of}: ${wos.length} work order${wos.length === 1 ? '' : 's'} to place.`;
  return spec(ctx, 'chunk', system, intro, wos, assignOut(ctx, wos, Math.min(tracks.length, 24)), wos, tracks.map((t) => t.slug));
}

/** The whole run's size without calling anything (for --dry-run and --max-cost). */
export function planEstimate(ctx: OrganizeContext): { requests: number; inputTokens: number; outputTokens: number } {
  if (ctx.strategy === 'single') {
    const s = singleRequest(ctx);
    return { requests: 1, inputTokens: s.estInputTokens, outputTokens: s.estOutputTokens };
  }
  const p1 = phase1Request(ctx);
  const guess = decidedTracks(ctx.repo, { tracks: placeholderTracks(ctx) });
  let inputTokens = p1.estInputTokens;
  let outputTokens = p1.estOutputTokens;
  ctx.chunks.forEach((c, i) => {
    const r = chunkRequest(ctx, c, guess, i, ctx.chunks.length);
    inputTokens += r.estInputTokens;
    outputTokens += r.estOutputTokens;
  });
  return { requests: 1 + ctx.chunks.length, inputTokens, outputTokens };
}

/** Stand-ins of typical size for tracks phase 1 has not proposed yet. */
function placeholderTracks(ctx: OrganizeContext): ProposedTrack[] {
  return Array.from({ length: expectedNewTracks(ctx) }, (_, i) => ({
    slug: `placeholder-track-${i + 1}`,
    name: 'Placeholder track name of usual length',
    type: ctx.facts.trackTypes[0] ?? 'FEAT',
    goal: 'A goal sentence of ordinary length that names the outcome this track delivers for the project.',
    parent: null,
  }));
}
