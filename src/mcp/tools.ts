/**
 * The MCP tools: few, bounded, exact. Each answers the JSON shape of the CLI
 * command it stands for (src/shapes/, the pack, check's JSON, the outcome of
 * a write), plus a short text for people; every write goes through the one
 * change pipeline (runChange: the repository lock, the rules, one commit).
 * Nothing here knows the MCP SDK: src/mcp/server.ts serves these.
 */
import { workOrdersLine } from '../render/counts.js';
import { createHash } from 'node:crypto';
import { join, relative, isAbsolute } from 'node:path';
import type { Ctx } from '../cli/ctx.js';
import { openRepo } from '../cli/repo.js';
import { outcomeLine, outcomeShape, runChange, lifecycleInput, readText, checkPlan, stamp, type Applied } from '../cli/change.js';
import { TracksError } from '../errors/index.js';
import { statusShape, type StatusShape } from '../shapes/status.js';
import { showShape, type ShowShape } from '../shapes/show.js';
import { nextShape } from '../shapes/next.js';
import { findWorkOrders, unknownStatusNote, workOrdersShape, type WorkOrdersShape } from '../shapes/list.js';
import { assignExtra, lifecycleExtra } from '../shapes/change.js';
import { packData, packJson, type PackData } from '../pack/pack.js';
import { planAssign, planUnassign } from '../plan/assign.js';
import { VERB_NAMES, type Verb } from '../lifecycle/states.js';
import type { ChangePlan } from '../plan/types.js';
import type { Repo } from '../model/types.js';
import { answerTokens, DEFAULT_MAX_TOKENS, fit, makeCursor, MAX_TOKENS_CEILING, readCursor, type Answer } from './bound.js';
import { noun } from '../render/plural.js';

export interface Annotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

export type JsonSchema = Record<string, unknown>;

export interface ToolEnv {
  /** A fresh context per call, rooted where the server serves. */
  ctx: Ctx;
}

export interface Tool {
  name: string;
  title: string;
  description: string;
  input: JsonSchema;
  /** File name in schemas/output/ of the shape it answers. */
  output: string;
  annotations: Annotations;
  writes: boolean;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  run(env: ToolEnv, args: any): Promise<Answer<object>>;
}

const READ: Annotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

const obj = (properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema => ({ type: 'object', properties, required, additionalProperties: false });
const str = (description: string): JsonSchema => ({ type: 'string', minLength: 1, description });
const int = (description: string, minimum: number, maximum: number, dflt: number): JsonSchema => ({ type: 'integer', minimum, maximum, default: dflt, description });
const TRACK = str('track slug (or its exact name)');
const CURSOR: JsonSchema = { type: 'string', description: 'nextCursor of the previous answer' };
const DRY_RUN: JsonSchema = { type: 'boolean', default: false, description: 'only say what would change' };

const n = (x: number) => x.toLocaleString('en-US');
const pct = (done: number, total: number) => (total ? `${Math.round((done / total) * 100)}%` : '–');
const plural = (k: number, one: string, many?: string) => `${n(k)} ${noun(k, one, many)}`;

const NOTE_ROOM = 250;

/** Cuts the listed arrays until structured + text fit; records what went in `truncated`. */
function bounded<T extends object>(shape: T, text: (s: T) => string, cuts: Parameters<typeof fit>[0], maxTokens = DEFAULT_MAX_TOKENS): Answer<T> {
  const a = { structured: shape, text: text(shape) };
  // Room for the note of what was left out, which is added after the cut.
  const omitted = fit(cuts, maxTokens - NOTE_ROOM, () => answerTokens({ structured: a.structured, text: (a.text = text(a.structured)) }));
  if (Object.keys(omitted).length) {
    (a.structured as Record<string, unknown>).truncated = { maxTokens, omitted };
    a.text = text(a.structured);
  }
  return a;
}

const truncNote = (s: object) => {
  const t = (s as { truncated?: unknown }).truncated as { omitted?: Record<string, number> } | null | undefined;
  return t?.omitted && Object.keys(t.omitted).length ? `\nLeft out to stay within the answer bound: ${Object.entries(t.omitted).map(([k, v]) => `${n(v)} ${k}`).join(', ')}.` : '';
};

// ——— read tools ———

const overview: Tool = {
  name: 'tracks_overview',
  title: 'Tracks overview',
  description: 'Start here. Work-order counts, top-level tracks with progress and the limit they count against, active tracks, and whether organize is due. Same shape as `tracks status --format json`.',
  input: obj({}),
  output: 'status',
  annotations: READ,
  writes: false,
  async run({ ctx }) {
    const repo = await openRepo(ctx);
    const s: StatusShape = statusShape(repo);
    const text = (x: StatusShape) => {
      const w = x.workOrders;
      const lines = [
        workOrdersLine(w),
        `Tracks: ${n(x.tracks.total)}${x.tracks.retired ? ` (${x.tracks.retired} retired)` : ''}; top level ${x.tracks.topLevel} of ${x.tracks.topLevelLimit}; ${x.tracks.active} active.`,
      ];
      if (x.active.length) lines.push(`Active: ${x.active.map((t) => `${t.slug} ${t.done}/${t.total}`).join(', ')}.`);
      else lines.push('No active track: work_next with a track slug still lists what can start there.');
      if (x.organize.due) lines.push(`Organize is due: ${plural(x.organize.unassigned, 'work order')} ${x.organize.unassigned === 1 ? 'has' : 'have'} no track (threshold ${x.organize.threshold}). organize_propose makes a plan for a person to review.`);
      if (!w.total && !x.tracks.total) lines.push(`No work orders in ${repo.config.workOrdersDir}/ and no tracks in ${repo.config.tracksDir}/ under ${repo.root}.`);
      return lines.join('\n') + truncNote(x);
    };
    return bounded(s, text, [{ name: 'active tracks', list: s.active }, { name: 'top-level tracks', list: s.topLevel }]);
  },
};

const show: Tool = {
  name: 'track_show',
  title: 'Show a track',
  description: "One track: goal, status, parent, sub-tracks, progress (with sub-tracks), and its own work orders grouped by status, open work first. Same shape as `tracks show --format json`; long groups are cut (each group keeps its count).",
  input: obj({ track: TRACK }, ['track']),
  output: 'show',
  annotations: READ,
  writes: false,
  async run({ ctx }, args: { track: string }) {
    const repo = await openRepo(ctx);
    const s: ShowShape & { truncated?: unknown } = showShape(repo, args.track);
    s.truncated = null;
    const text = (x: typeof s) => {
      const lines = [`${x.name ?? x.slug} (${x.slug}) · ${x.type ?? '?'} · ${x.status ?? '?'}${x.parent ? ` · sub-track of ${x.parent}` : ''} · ${x.progress.done}/${x.progress.total} done (${pct(x.progress.done, x.progress.total)})`];
      if (x.goal) lines.push(`Goal: ${x.goal.replace(/\s+/g, ' ')}`);
      if (x.subTracks.length) lines.push(`Sub-tracks: ${x.subTracks.map((c) => `${c.slug} (${c.status ?? '?'}, ${c.progress.done}/${c.progress.total})`).join(', ')}`);
      lines.push(x.workOrders.length ? `Work orders${x.subTracks.length ? ' (with its sub-tracks\')' : ''}: ${x.workOrders.map((g) => `${g.status} ${g.count}`).join(', ')}.` : `No work orders in this track${x.subTracks.length ? ' or its sub-tracks' : ''}.`);
      return lines.join('\n') + truncNote(x) + (truncNote(x) ? ` work_orders_find with track "${x.slug}" pages through all of them.` : '');
    };
    // Finished work goes first, then the other groups from the end.
    return bounded(s, text, [...s.workOrders].reverse().map((g) => ({ name: `${g.status} work orders`, list: g.items })));
  },
};

const next: Tool = {
  name: 'work_next',
  title: 'What can start now',
  description:
    'Work orders that can start now (every depends_on done), best first, each with the reason for its place: priority, then how many open work orders it unblocks. With a track: its ready, blocked and held work (sub-tracks included). Without: the next item of each active track, each work order in one row. Same shape as `tracks next --format json`.',
  input: obj({ track: TRACK, limit: int('items per list', 1, 100, 10) }),
  output: 'next',
  annotations: READ,
  writes: false,
  async run({ ctx }, args: { track?: string; limit?: number }) {
    const repo = await openRepo(ctx);
    const s = nextShape(repo, args.track, { limit: args.limit ?? 10 }) as NextLoose;
    const line = (i: { id: string; title: string | null; reason: string }) => `${i.id} ${i.title ?? ''} — ${i.reason}`;
    const text = (x: typeof s) => {
      if (x.tracks) {
        if (!x.tracks.length) return 'No active track. Start one with track_transition (action "start"), or pass a track to see what can start there.';
        // a sub-track's row says whose: the parent's row leaves its work out
        return x.tracks.map((t) => `${t.track}${t.parent ? ` (under ${t.parent})` : ''}: ${t.next ? line(t.next) : `nothing ready (${t.open} open, ${t.blocked} blocked, ${t.held} held)`}`).join('\n') + truncNote(x);
      }
      const left = x.counts!.retired ? `, ${x.counts!.retired} left out (in cancelled or archived tracks)` : '';
      const lines = [`${x.track}: ${x.counts!.ready} ready, ${x.counts!.blocked} blocked, ${x.counts!.held} held${left}. Order: ${x.order}.`];
      x.ready!.forEach((i, k) => lines.push(`${k + 1}. ${line(i)}`));
      if (x.blocked!.length) lines.push(`Blocked: ${x.blocked!.map((b) => `${b.id} (waits on ${b.waitingOn.map((w) => w.id).join(', ')})`).join('; ')}`);
      return lines.join('\n') + truncNote(x);
    };
    const a = { structured: s, text: text(s) };
    const cuts = s.tracks ? [{ name: 'tracks', list: s.tracks }] : [{ name: 'blocked', list: s.blocked! }, { name: 'ready', list: s.ready! }];
    const cut = fit(cuts, DEFAULT_MAX_TOKENS - NOTE_ROOM, () => answerTokens({ structured: s, text: (a.text = text(s)) }));
    if (Object.keys(cut).length) {
      // Beyond the limit and beyond the bound are both "left out": one count per list.
      const before = s.truncated ?? { omitted: {} };
      const omitted = { ...before.omitted };
      for (const [k, v] of Object.entries(cut)) omitted[k] = (omitted[k] ?? 0) + v;
      s.truncated = { ...before, maxTokens: DEFAULT_MAX_TOKENS, omitted };
      a.text = text(s);
    }
    return a;
  },
};

/** The two forms of the next shape, read loosely (src/shapes/next.ts builds it). */
type NextItemJson = { id: string; title: string | null; reason: string };
interface NextLoose {
  version: 1;
  order: string;
  track: string | null;
  ready?: NextItemJson[];
  blocked?: { id: string; waitingOn: { id: string }[] }[];
  counts?: { ready: number; blocked: number; held: number; retired: number };
  tracks?: { track: string; parent: string | null; next: NextItemJson | null; open: number; blocked: number; held: number }[];
  truncated?: { limit?: number; maxTokens?: number; omitted: Record<string, number> } | null;
}

const context: Tool = {
  name: 'track_context',
  title: 'Context pack for a track',
  description:
    'Everything whoever works on a track next needs: goal, status and history, recorded decisions, dependencies crossing into other tracks, open work orders in `work_next` order with goals and acceptance criteria, done ones in a line. Bounded by max_tokens; what does not fit is counted in `truncated`. Same shape as `tracks context --format json`.',
  input: obj({ track: TRACK, max_tokens: int('answer bound in tokens', 1000, MAX_TOKENS_CEILING, DEFAULT_MAX_TOKENS) }, ['track']),
  output: 'context',
  annotations: READ,
  writes: false,
  async run({ ctx }, args: { track: string; max_tokens?: number }) {
    const max = args.max_tokens ?? DEFAULT_MAX_TOKENS;
    const data = packData(await openRepo(ctx), args.track);
    const text = (p: PackData) => {
      const t = p.track;
      const lines = [
        `${t.name ?? t.slug} (${t.slug}) · ${t.status ?? '?'} · ${p.progress.done}/${p.progress.total} done. ${plural(p.openWorkOrders.length, 'open work order')} shown${p.openWorkOrders[0] ? `, first ${p.openWorkOrders[0].id} ${p.openWorkOrders[0].title ?? ''}` : ''}.`,
        `${plural(p.crossTrack.outgoing.length, 'dependency', 'dependencies')} on other tracks, ${n(p.crossTrack.incoming.length)} from them; ${plural(p.history.length, 'history entry', 'history entries')}.`,
      ];
      if (p.truncated) lines.push(`Left out to fit: ${Object.entries(p.truncated.omitted).map(([k, v]) => `${n(v)} ${k}`).join(', ')} (raise max_tokens, or use work_next / work_orders_find).`);
      return lines.join('\n');
    };
    // packJson bounds bytes; tokens run at roughly a third of the compact bytes: start there and tighten.
    let bytes = max * 4;
    for (;;) {
      const pack = JSON.parse(packJson(data, bytes)) as PackData;
      const a = { structured: pack, text: text(pack) };
      if (answerTokens(a) <= max || bytes < 2048) return a;
      bytes = Math.floor(bytes * 0.85);
    }
  },
};

const find: Tool = {
  name: 'work_orders_find',
  title: 'Find work orders',
  description: 'Work orders filtered by track (sub-tracks included), status and words in id, title, goal or tags; paged: pass nextCursor back as cursor. Same shape as `tracks list --format json`.',
  input: obj({
    track: TRACK,
    status: { type: 'array', items: { type: 'string' }, description: 'any of these statuses' },
    text: str('words that must all appear'),
    unassigned: { type: 'boolean', description: 'only work orders without a track' },
    limit: int('page size', 1, 200, 50),
    cursor: CURSOR,
  }),
  output: 'list',
  annotations: READ,
  writes: false,
  async run({ ctx }, args: { track?: string; status?: string[]; text?: string; unassigned?: boolean; limit?: number; cursor?: string }) {
    const repo = await openRepo(ctx);
    const query = { track: args.track, status: args.status, text: args.text, unassigned: args.unassigned };
    const offset = readCursor(args.cursor, query);
    const wos = findWorkOrders(repo, query);
    const size = args.limit ?? 50;
    const s: WorkOrdersShape & { nextCursor?: string } = workOrdersShape(repo, wos, { offset, size });
    const note = args.status ? unknownStatusNote(repo, args.status) : undefined;
    const text = (x: typeof s) => {
      const rows = x.workOrders.map((w) => `${w.id ?? w.path} [${w.status ?? 'no status'}] ${Array.isArray(w.track) ? w.track.join(',') || '—' : (w.track ?? '—')} ${w.title ?? ''}`);
      const range = x.workOrders.length ? `${n(offset + 1)}–${n(offset + x.workOrders.length)} of ${n(x.total)}` : `none of ${n(x.total)}`;
      return [`Work orders ${range}${x.nextCursor ? '; more with cursor' : ''}.`, ...(note ? [note] : []), ...rows].join('\n');
    };
    const page = { name: 'work orders on this page', list: s.workOrders };
    const a = bounded(s, text, [page]);
    // A page cut to fit ends earlier: the cursor goes on from there, and nothing is lost.
    const end = offset + a.structured.workOrders.length;
    if (end < wos.length) a.structured.nextCursor = makeCursor(query, end);
    delete (a.structured as { truncated?: unknown }).truncated;
    a.text = text(a.structured);
    return a;
  },
};

interface CheckJson {
  version: 1;
  ok: boolean;
  summary: { files: number; errors: number; warnings: number };
  problems: { file: string; line: number; col: number; severity: 'error' | 'warning'; code: string; message: string; hint?: string }[];
  byCode?: Record<string, number>;
  nextCursor?: string;
}

const check: Tool = {
  name: 'tracks_check',
  title: 'Check the repository',
  description: 'Validate work orders, tracks and the config as `tracks check` does: problems with file:line:col, severity, rule code, message and hint, errors first, paged. `summary` and `byCode` count every problem.',
  input: obj({
    severity: { enum: ['error', 'warning', 'all'], default: 'all', description: 'which problems to list' },
    code: str('only this rule code, e.g. wo/unknown-track'),
    limit: int('page size', 1, 500, 100),
    cursor: CURSOR,
  }),
  output: 'check',
  annotations: READ,
  writes: false,
  async run({ ctx }, args: { severity?: 'error' | 'warning' | 'all'; code?: string; limit?: number; cursor?: string }) {
    // The check command itself (its cache, its JSON): the tool and `tracks check --format json` cannot drift apart.
    const { run } = await import('../main.js');
    let out = '';
    let err = '';
    const code = await run(['-C', ctx.root(), 'check', '--format', 'json'], { ...ctx.io, stdout: (s) => void (out += s), stderr: (s) => void (err += s) });
    if (!out.trim()) throw new TracksError('INTERNAL', `tracks check printed no JSON (exit ${code}): ${err.trim().slice(0, 500)}`);
    const full = JSON.parse(out) as CheckJson;
    const query = { severity: args.severity ?? 'all', code: args.code };
    const offset = readCursor(args.cursor, query);
    const byCode: Record<string, number> = {};
    for (const p of full.problems) byCode[p.code] = (byCode[p.code] ?? 0) + 1;
    const rank = (s: string) => (s === 'error' ? 0 : 1);
    const wanted = full.problems
      .filter((p) => (query.severity === 'all' || p.severity === query.severity) && (!query.code || p.code === query.code))
      .map((p, i) => ({ p, i }))
      .sort((a, b) => rank(a.p.severity) - rank(b.p.severity) || a.i - b.i)
      .map((x) => x.p);
    const s: CheckJson = { ...full, problems: wanted.slice(offset, offset + (args.limit ?? 100)), byCode };
    const text = (x: CheckJson) => {
      const head = `${plural(x.summary.files, 'file')} checked: ${plural(x.summary.errors, 'error')}, ${plural(x.summary.warnings, 'warning')}.${Object.keys(byCode).length ? ` By code: ${Object.entries(byCode).map(([k, v]) => `${k} ${v}`).join(', ')}.` : ''}`;
      return [head, ...x.problems.slice(0, 10).map((p) => `${p.file}:${p.line}:${p.col} ${p.severity} ${p.message} [${p.code}]`), ...(x.problems.length > 10 ? [`… ${n(x.problems.length - 10)} more in the structured answer.`] : []), ...(x.nextCursor ? ['More with cursor.'] : [])].join('\n');
    };
    const a = bounded(s, text, [{ name: 'problems on this page', list: s.problems }]);
    const end = offset + a.structured.problems.length;
    if (end < wanted.length) a.structured.nextCursor = makeCursor(query, end);
    delete (a.structured as { truncated?: unknown }).truncated;
    a.text = text(a.structured);
    return a;
  },
};

// ——— write tools ———

function changeAnswer(applied: Applied<ChangePlan> | undefined, extra: Record<string, unknown>, lines: string[]): Answer<object> {
  if (!applied) throw new TracksError('INTERNAL', 'the change had nothing to plan');
  const s = outcomeShape(applied.outcome, applied.plan, extra);
  // A dry run's plan holds whole file contents: the changed paths say enough here.
  if ('plan' in s) delete (s as { plan?: unknown }).plan;
  return { structured: s, text: [...lines, outcomeLine(applied.outcome, applied.plan)].join('\n') };
}

const assign: Tool = {
  name: 'work_order_assign',
  title: 'Assign work orders to a track',
  description:
    'Set the `track` key of work orders (by id or path), the one key tracks writes, changing exactly that line, then commit exactly those files; track null removes the key. Waits for the repository lock like the CLI. Refused (nothing written) on an unknown or retired track, a file with uncommitted changes, or a merge in progress. Same shape as `tracks assign --format json`.',
  input: obj(
    {
      work_orders: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1, maxItems: 200, description: 'ids or paths' },
      track: { type: ['string', 'null'], description: 'track slug, or null to unassign' },
      add: { type: 'boolean', default: false, description: 'add to the list instead of replacing (needs multiple_tracks_per_work_order)' },
      dry_run: DRY_RUN,
    },
    ['work_orders', 'track'],
  ),
  output: 'change',
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  writes: true,
  async run({ ctx }, args: { work_orders: string[]; track: string | null; add?: boolean; dry_run?: boolean }) {
    const applied = await runChange(ctx, { commit: true, dryRun: args.dry_run, format: 'json' }, (repo, st) =>
      args.track === null ? planUnassign(repo, args.work_orders, undefined, { now: st.now }) : planAssign(repo, args.work_orders, args.track, { add: args.add, now: st.now }),
    );
    const plan = applied?.plan as import('../plan/assign.js').AssignPlan | undefined;
    const lines = plan ? [...plan.moves.map((m) => `${m.wo.id ?? m.wo.path}: ${m.from.join(', ') || '(none)'} → ${m.to.join(', ') || '(none)'}`), ...(plan.unchanged.length ? [`Already so: ${plan.unchanged.map((w) => w.id ?? w.path).join(', ')}.`] : [])] : [];
    return changeAnswer(applied, plan ? assignExtra(plan) : {}, lines);
  },
};

const ACTIONS = [...VERB_NAMES, 'switch'] as const;

const transition: Tool = {
  name: 'track_transition',
  title: 'Move a track through its lifecycle',
  description:
    'start, pause (with a reason: it records a checkpoint), resume, complete, fail, cancel, archive, ready, or switch (pause the active track and start this one). Appends a history entry to the track file and commits that file, through the repository lock. A refused transition names the allowed ones. Same shape as `tracks <verb> --format json`.',
  input: obj(
    {
      track: TRACK,
      action: { enum: [...ACTIONS], description: 'the lifecycle verb' },
      reason: str('why; recorded in the history and the commit'),
      force: { type: 'boolean', default: false, description: 'complete even though work orders are open' },
      dry_run: DRY_RUN,
    },
    ['track', 'action'],
  ),
  output: 'change',
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  writes: true,
  async run({ ctx }, args: { track: string; action: Verb | 'switch'; reason?: string; force?: boolean; dry_run?: boolean }) {
    const m = await import('../lifecycle/transition.js');
    const { describeStep } = await import('../lifecycle/render.js');
    const { makeColor } = await import('../term/color.js');
    const applied = await runChange(ctx, { commit: true, dryRun: args.dry_run, format: 'json' }, (repo, st) =>
      args.action === 'switch' ? m.planSwitch(lifecycleInput(ctx, repo, st), args.track, args.reason) : m.planVerb(lifecycleInput(ctx, repo, st), args.track, args.action, args.reason, { force: args.force }),
    );
    if (!applied) return changeAnswer(applied, {}, []);
    const plain = makeColor(ctx.io, { machine: true });
    return changeAnswer(applied, lifecycleExtra(applied.plan, applied.repo), applied.plan.steps.map((s) => describeStep(s, plain).split('\n')[0]!));
  },
};

const claimTool: Tool = {
  name: 'track_claim',
  title: 'Claim a track to work on it, or release it',
  description:
    "claim (default): record that you work on a track (a draft or ready track is started), commit it, then create the track's branch from that commit (tracks/<slug>) and, with worktree, a work tree on it: work there. Refused, naming the holder, when someone else claimed it in any branch or work tree; of two claims at once exactly one wins. release: end your claim (with complete, complete the track; open work needs force), on the track's branch. Shapes of `tracks claim|release --format json`.",
  input: obj(
    {
      track: TRACK,
      action: { enum: ['claim', 'release'], default: 'claim', description: 'claim the track, or release your claim' },
      as: str('who claims it (pass your agent name; default: the git user), or whose claim to release'),
      branch: str('claim: the branch to work on (default tracks/<slug>)'),
      worktree: { type: ['boolean', 'string'], default: false, description: 'claim: true for a work tree at the default place (../<repo>-<slug>), or a directory' },
      reason: str('why; recorded in the history and the commit'),
      steal: { type: 'boolean', default: false, description: "claim: take over someone else's claim (needs reason)" },
      complete: { type: 'boolean', default: false, description: 'release: also complete the track' },
      force: { type: 'boolean', default: false, description: 'release with complete: even though work orders are open' },
      dry_run: DRY_RUN,
    },
    ['track'],
  ),
  output: 'change',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  writes: true,
  async run(
    { ctx },
    args: { track: string; action?: 'claim' | 'release'; as?: string; branch?: string; worktree?: boolean | string; reason?: string; steal?: boolean; complete?: boolean; force?: boolean; dry_run?: boolean },
  ) {
    if (args.action === 'release') {
      const { planRelease } = await import('../parallel/plan-claim.js');
      const applied = await runChange(ctx, { commit: true, dryRun: args.dry_run, format: 'json' }, (repo, st) =>
        planRelease(lifecycleInput(ctx, repo, st), { ref: args.track, as: args.as, reason: args.reason, complete: args.complete, force: args.force }),
      );
      if (!applied) return changeAnswer(applied, {}, []);
      const plan = applied.plan;
      const extra = { track: plan.slug, released: { by: plan.released.by, at: plan.released.at || null, branch: plan.released.branch ?? null }, completed: plan.completed, status: { from: plan.entry.from, to: plan.entry.to } };
      return changeAnswer(applied, extra, [`released ${plan.slug} (claimed by ${plan.released.by})${plan.completed ? ' and completed it' : ''}`]);
    }
    const { claimTrack } = await import('../workspace/claim-run.js');
    const r = await claimTrack(ctx, args.track, { commit: true, dryRun: args.dry_run, format: 'json', as: args.as, branch: args.branch, worktree: args.worktree || undefined, reason: args.reason, steal: args.steal });
    if (!r.applied) {
      const lines = r.held?.branchLine ?? [];
      return { structured: { version: 1, kind: 'claim', outcome: 'nothing', commit: null, files: [], message: '', held: true, branchSteps: lines }, text: [`${args.track} is already claimed by you; nothing to commit.`, ...lines].join('\n') };
    }
    const plan = r.applied.plan;
    const steps = r.steps?.done ?? r.steps?.planned.map((l) => `would ${l}`) ?? [];
    const extra = {
      track: plan.slug,
      claim: { by: plan.claim.by, at: plan.claim.at, branch: plan.claim.branch },
      status: { from: plan.entry.from, to: plan.entry.to },
      stolenFrom: plan.stolen ? { by: plan.stolen.by, at: plan.stolen.at || null, branch: plan.stolen.branch ?? null } : null,
      worktree: r.steps?.worktreeDir ?? null,
      branchSteps: steps,
    };
    return changeAnswer(r.applied, extra, [`claimed ${plan.slug} for ${plan.claim.by} on branch ${plan.claim.branch}${r.steps?.worktreeDir ? ` (work tree ${r.steps.worktreeDir})` : ''}`, ...steps]);
  },
};

// ——— organize, proposed only ———

/** The provider organize_propose uses: the offline organizer unless the config names another (never chosen from the environment alone). */
export function proposeProvider(config: Repo['config']): 'local' | 'anthropic' | 'openai' {
  const p = config.llm.provider;
  return p === 'auto' ? 'local' : p;
}

function propose(provider: ReturnType<typeof proposeProvider>): Tool {
  const offline = provider === 'local';
  return {
    name: 'organize_propose',
    title: 'Propose an organization (for a person to apply)',
    description: `Run organize without applying it (${offline ? 'the offline organizer' : `the ${provider} provider configured in tracks.config.yaml`}): the plan is saved in the repository's git directory and its summary returned with the command that applies it. Applying is a person's act: show them the summary and the command (\`tracks apply <file>\`); never apply it yourself.`,
    input: obj({ mode: { enum: ['initial', 'incremental', 'reorg'], description: 'default: from the repository' } }),
    output: 'organize-proposal',
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: offline, openWorldHint: !offline },
    writes: false,
    async run({ ctx }, args: { mode?: 'initial' | 'incremental' | 'reorg' }) {
      const { defaultMode, inScope } = await import('../organize/scope.js');
      const { validateProposal } = await import('../organize/validate.js');
      const { buildPlan } = await import('../plan/build.js');
      const { headline, renderItem } = await import('../plan/render.js');
      const { planToJson } = await import('../plan/serialize.js');
      const { writeOutputFile } = await import('../fs/output.js');
      const { makeProvider, modelFor } = await import('../commands/organize.js');
      const g = ctx.git();
      if (!g) throw new TracksError('NOT_A_GIT_REPO', `${ctx.root()} is not in a git work tree: organize_propose keeps its plan in the git directory`, { hint: 'Run `git init` there first.' });
      const repo = await openRepo(ctx);
      const auto = defaultMode(repo);
      const mode = args.mode ?? auto.mode;
      if (mode === 'initial' && repo.tracks.length) {
        throw new TracksError('BAD_MODE', `mode initial is for a repository without tracks, and this one has ${repo.tracks.length}`, { hint: 'Use mode incremental to place work orders without a track, or reorg to review the whole structure.' });
      }
      const name = proposeProvider(repo.config);
      const empty = (headline: string) => ({
        structured: { version: 1, id: null, file: null, apply: null, mode, provider: name, headline, summary: { newTracks: 0, changedTracks: 0, merges: 0, retired: 0, moved: 0, files: 0 }, items: [], truncated: null },
        text: `${headline} No plan saved.`,
      });
      if (!inScope(repo, mode).length) return empty(mode === 'incremental' ? 'Nothing to organize: every work order has a track.' : 'Nothing to organize: there are no work orders.');
      const model = modelFor(repo, name, undefined);
      const provider = await makeProvider(ctx, repo, name, model);
      const validate = (c: unknown) => validateProposal(c, repo, mode);
      const result = await provider.propose(repo, { mode, validate, onProgress: (l) => ctx.io.stderr(`${l}\n`), signal: new AbortController().signal, ...(model ? { model } : {}) });
      const violations = validate(result.proposal);
      if (violations.length) throw new TracksError('PROPOSAL_INVALID', `the ${name} proposal breaks ${violations.length} rule${violations.length === 1 ? '' : 's'}: ${violations.slice(0, 5).join(' ')}`);
      const st = await stamp(ctx);
      const plan = buildPlan({ repo, proposal: result.proposal, mode, readText: readText(ctx), now: st.now, who: st.who, provider: name });
      if (!plan.changes.length) return empty('Nothing to change: the proposal matches the repository.');
      checkPlan(ctx, plan, repo);
      // The id is the proposal and the files it was made against (not the clock): the same proposal is the same file.
      const id = createHash('sha1').update(JSON.stringify({ mode, proposal: result.proposal, bases: plan.changes.map((c) => [c.path, c.baseHash]) })).digest('hex').slice(0, 12);
      const file = join(g.gitDir, 'tracks', 'plans', `${id}.json`);
      writeOutputFile(file, planToJson(plan));
      const rel = relative(ctx.root(), file);
      const shown = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
      const apply = `tracks apply ${/\s/.test(shown) ? JSON.stringify(shown) : shown}`;
      const items = plan.items.map((i) => ({ kind: i.kind, text: renderItem(i, undefined, 5).join('\n') }));
      const s = { version: 1, id, file, apply, mode, provider: name, headline: headline(plan), summary: plan.summary, items, truncated: null as unknown };
      const text = (x: typeof s) =>
        [`Organize (${mode}, ${name}): ${x.headline}`, ...x.items.slice(0, 12).map((i) => i.text.split('\n')[0]!), ...(x.items.length > 12 ? [`… ${plural(x.items.length - 12, 'more item')} in the structured answer.`] : []), `Plan saved. A person reviews and applies it with: ${apply}`].join('\n') + truncNote(x);
      return bounded(s, text, [{ name: 'items', list: s.items }]);
    },
  };
}

/** The tools served, in the order an agent meets them. */
export function tools(config: Repo['config'] | undefined): Tool[] {
  return [overview, next, show, context, find, check, assign, transition, claimTool, propose(config ? proposeProvider(config) : 'local')];
}
