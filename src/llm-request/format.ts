/**
 * The compact line format the LLM reads: one line per work order and per
 * track, positional fields separated by `|`, a legend instead of repeated
 * prefixes. Pure.
 */
import type { Repo, Track, WorkOrder } from '../model/types.js';
import { estimateTokens } from './tokens.js';

/**
 * Work-order text is data: it must not be able to close the data block, add a
 * line, or shift the positional fields. Angle brackets become look-alike
 * guillemets, the field separator a slash, every run of whitespace (newlines
 * included) one space, control characters vanish.
 */
export function neutralise(text: string): string {
  return text
    .replace(/[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]/g, ' ')
    .replace(/</g, '‹')
    .replace(/>/g, '›')
    .replace(/\|/g, '/')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Ids are mostly `WO-2026-NNN`; repeating the shared prefix costs about five
 * tokens per id (and per dependency). The most common prefix goes into the
 * legend and lines carry the rest (the "handle"); other ids lose only the part
 * every id shares (`WO-2025-004` → `2025-004`). The model answers with
 * handles; `decode` maps them back (and accepts full ids too).
 */
export interface IdCodec {
  /** The prefix dropped from the most common ids ('' when none). */
  prefix: string;
  /** The prefix dropped from the other ids ('' when none). */
  common: string;
  encode(id: string): string;
  /** A dependency reference: the id it resolves to (core/deps), encoded; unresolved ones as written. */
  encodeRef(ref: string): string;
  /** Full id for a handle or a full id the model wrote anyway; undefined if unknown. */
  decode(handle: string): string | undefined;
}

function commonPrefix(xs: readonly string[]): string {
  if (!xs.length) return '';
  let p = xs[0]!;
  for (const x of xs) while (!x.startsWith(p)) p = p.slice(0, -1);
  // Cut back to a separator so a handle never starts mid-word or mid-number.
  const m = /^.*[^A-Za-z0-9]/.exec(p);
  return m ? m[0] : '';
}

/** Handle → id for a scheme, or undefined if two ids would share a handle. */
function scheme(ids: readonly string[], prefix: string, common: string): Map<string, string> | undefined {
  const toId = new Map<string, string>();
  for (const id of ids) toId.set(id, id);
  const handles = new Map<string, string>();
  for (const id of ids) {
    const h = prefix && id.startsWith(prefix) ? id.slice(prefix.length) : common && id.startsWith(common) ? id.slice(common.length) : id;
    if (!h || handles.has(h) || (h !== id && toId.has(h))) return undefined;
    handles.set(h, id);
  }
  for (const [h, id] of handles) toId.set(h, id);
  return toId;
}

export function idCodec(all: readonly string[], resolve: (ref: string) => { id: string | undefined } | undefined = () => undefined): IdCodec {
  const ids = [...new Set(all)];
  const counts = new Map<string, number>();
  for (const id of ids) {
    const m = /^(.*\D)\d+$/.exec(id);
    if (m) counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
  }
  let prefix = '';
  let best = 1;
  for (const [p, n] of counts) if (n > best || (n === best && p < prefix)) [prefix, best] = [p, n];
  let common = commonPrefix(ids);
  if (common === prefix) common = '';
  let toId = scheme(ids, prefix, common);
  if (!toId && common) [common, toId] = ['', scheme(ids, prefix, '')];
  if (!toId) [prefix, common, toId] = ['', '', scheme(ids, '', '')!];
  const map = toId;
  const strip = (id: string) => (prefix && id.startsWith(prefix) ? id.slice(prefix.length) : common && id.startsWith(common) ? id.slice(common.length) : id);
  const encode = (id: string) => {
    const h = strip(id);
    return map.get(h) === id ? h : id;
  };
  return {
    prefix,
    common,
    encode,
    encodeRef: (ref) => encode(resolve(ref)?.id ?? ref),
    decode: (h) => map.get(h.trim()),
  };
}

/** The first `words` words of the goal's first paragraph; "…" marks a cut. */
export function trimGoal(goal: unknown, words: number): string {
  if (typeof goal !== 'string') return '';
  const all = neutralise(goal).split(' ').filter(Boolean);
  if (all.length <= words) return all.join(' ').replace(/[.;:,]$/, '');
  return all.slice(0, words).join(' ').replace(/[.;:,]$/, '') + '…';
}

export interface LineOptions {
  /** Estimated tokens a line may take; the goal gets what the other columns leave. */
  lineBudget: number;
  /** Goals are cut to at most this many words, and at least `minGoalWords` survive. */
  maxGoalWords: number;
  minGoalWords: number;
  /** Group by current track too (reorg). */
  byTrack: boolean;
}

export const LINE_DEFAULTS: LineOptions = { lineBudget: 38, maxGoalWords: 16, minGoalWords: 6, byTrack: false };

export const WORK_ORDER_COLUMNS = 'id|title|goal|tags|deps';

/**
 * `061|Shift Context Assembly|Create an API that…|autonomous api|060`. Status,
 * era and track are group headers instead of columns: they repeat across many
 * lines, and a header costs its tokens once.
 */
export function workOrderLine(w: WorkOrder, codec: IdCodec, o: LineOptions): string {
  const head = [codec.encode(w.id ?? ''), neutralise(w.title ?? '')].join('|');
  const tail = [w.tags.map(neutralise).join(' '), w.dependsOn.map((d) => codec.encodeRef(neutralise(d))).join(' ')];
  while (tail.length && tail[tail.length - 1] === '') tail.pop();
  const rest = tail.length ? '|' + tail.join('|') : '';
  const goal = fitGoal(w.goal, o.lineBudget - estimateTokens(head + '||' + rest), o);
  if (!goal && !rest) return head;
  return `${head}|${goal}${rest}`;
}

const costs = new Map<string, number>();

/** Tokens of " word" (memoised: the same words recur across thousands of goals). */
function wordCost(word: string): number {
  let c = costs.get(word);
  if (c === undefined) {
    c = estimateTokens(' ' + word);
    if (costs.size < 100_000) costs.set(word, c);
  }
  return c;
}

/** Words a reader restores without effort; dropping them leaves room for content words. */
const FILLER = new Set(['a', 'an', 'the', 'that', 'which', 'just', 'very', 'really']);

/** The goal's words as lines carry them: neutralised, without filler. */
export function goalWords(goal: unknown): string[] {
  if (typeof goal !== 'string') return [];
  return neutralise(goal)
    .split(' ')
    .filter((x) => x && !FILLER.has(x.toLowerCase()));
}

function fitGoal(goal: unknown, budget: number, o: LineOptions): string {
  if (typeof goal !== 'string') return '';
  const words = goalWords(goal);
  let n = 0;
  let used = 0;
  // Word costs are close to additive; the leading space belongs to the word.
  while (n < words.length && n < o.maxGoalWords) {
    const c = wordCost(words[n]!);
    if (n >= o.minGoalWords && used + c > budget) break;
    used += c;
    n++;
  }
  const text = words.slice(0, n).join(' ').replace(/[.;:,]$/, '');
  return n < words.length ? text + '…' : text;
}

/** Group header for a run of work orders sharing status, era (and track). */
export function groupKey(w: WorkOrder, byTrack: boolean): string {
  const parts: string[] = [];
  if (byTrack) parts.push(`track ${w.tracks.length ? w.tracks.map(neutralise).join(' ') : '(none)'}`);
  parts.push(`era ${neutralise(w.era ?? '') || '(none)'}`, `status ${neutralise(w.status ?? '') || '(none)'}`);
  return `# ${parts.join(', ')}`;
}

/** Work orders as grouped lines (headers sorted, ids ascending within a group). */
export function workOrderLines(
  wos: readonly WorkOrder[],
  codec: IdCodec,
  o: LineOptions,
  render: (w: WorkOrder) => string = (w) => workOrderLine(w, codec, o),
): string[] {
  const groups = new Map<string, WorkOrder[]>();
  for (const w of wos) {
    const k = groupKey(w, o.byTrack);
    (groups.get(k) ?? groups.set(k, []).get(k)!).push(w);
  }
  const out: string[] = [];
  for (const k of [...groups.keys()].sort()) {
    out.push(k);
    for (const w of groups.get(k)!.sort(byId)) out.push(render(w));
  }
  return out;
}

export const byId = (a: WorkOrder, b: WorkOrder) => ((a.id ?? '') < (b.id ?? '') ? -1 : (a.id ?? '') > (b.id ?? '') ? 1 : 0);

export const TRACK_COLUMNS = 'slug|name|type|status|parent|size|goal|common tags';

export function trackLine(t: Track, size: number, topTags: string[], goalWords: number): string {
  return [
    neutralise(t.slug),
    neutralise(t.name ?? ''),
    neutralise(t.type ?? t.fileType ?? ''),
    neutralise(t.status ?? ''),
    neutralise(t.parent ?? ''),
    String(size),
    trimGoal(t.goal, goalWords),
    topTags.map(neutralise).join(' '),
  ].join('|');
}

/** The most common tags among a track's work orders (at most `n`). */
export function commonTags(members: readonly WorkOrder[], n: number): string[] {
  const counts = new Map<string, number>();
  for (const w of members) for (const t of w.tags) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, n).map(([t]) => t);
}

/** Track summaries: one line each, with size and common tags of its members. */
export function trackLines(repo: Repo, goalWords = 16): string[] {
  const members = new Map<string, WorkOrder[]>();
  for (const w of repo.workOrders) for (const s of w.tracks) (members.get(s) ?? members.set(s, []).get(s)!).push(w);
  return [...repo.tracks]
    .sort((a, b) => (a.number ?? 0) - (b.number ?? 0) || (a.slug < b.slug ? -1 : 1))
    .map((t) => trackLine(t, members.get(t.slug)?.length ?? 0, commonTags(members.get(t.slug) ?? [], 4), goalWords));
}

/**
 * The reference the brief measures against: a one-line summary of id, title,
 * status, priority, tags and dependencies, with nothing abbreviated.
 */
export function baselineLine(w: WorkOrder): string {
  const parts = [w.id ?? '', w.title ?? '', `status: ${w.status ?? ''}`, `priority: ${w.priorityWord ?? w.priority ?? ''}`];
  parts.push(`tags: ${w.tags.join(', ')}`, `deps: ${w.dependsOn.join(', ')}`);
  return parts.join(' | ');
}
