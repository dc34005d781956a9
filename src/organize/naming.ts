/**
 * What the offline organizer calls a group of work orders, and what it says
 * about it: a short noun phrase for its theme (the tag or title phrase most
 * typical of the group and rare elsewhere), a goal naming what it delivers,
 * the type its work suggests, and the status its work orders are in. Pure.
 */
import { slugify } from '../parse/entities.js';
import type { ProposedTrack } from './types.js';
import type { Corpus } from './corpus.js';
import { stem, words } from './text.js';
import { RESERVED_SLUGS } from './validate.js';

const ACRONYMS = new Set(['ui', 'ux', 'ci', 'cd', 'vm', 'api', 'llm', 'e2e', 'sms', 'sdk', 'db', 'ai', 'qa', 'sse', 'seo', 'tts', 'stt', 'pr', 'cli', 'pwa', 'css', 'html', 'json', 'yaml', 'sql', 'url', 'wo', 'gcp', 'aws', 'mcp', 'tui', 'ide', 'ssh', 'jwt', 'sso', 'csv', 'pdf']);
const SMALL = new Set(['a', 'an', 'and', 'as', 'at', 'by', 'for', 'in', 'of', 'on', 'or', 'the', 'to', 'vs', 'via', 'with']);

/**
 * Tags that say what kind of work this is, or how urgent, not what it is
 * about: a track called "Implementation" or "Urgent" tells nobody anything.
 */
const NOT_A_THEME = /^(implementation|implement|research|spike|feature|features|enhancement|improvement|bug|bugs|bugfix|bug-fix|fix|fixes|hotfix|urgent|critical|high|low|medium|future|misc|other|todo|wip|polish|mvp|v\d+|p\d|phase-?\d+|auto-generated|from-scope-creep|new|task|chore|docs?)$/;

/**
 * Verbs that open imperative titles ("Stop …", "Align …"): the action, not the
 * theme. Stems, as labels carry them. Words that are nouns as often (run, test,
 * track, shift, sync) are not here.
 */
const VERBS = new Set(
  (
    'accept align allow apply avoid bring build bump change clarify clean cleanup consolidate convert deduplicate define ' +
    'deprecate display document drop edit ensure expose extract fail fix handle harden hide honor honour include introduce ' +
    'isolate keep let migrate move normalize preserve prevent publish reduce refactor remove rename render replace ' +
    'require resolve restore return reuse rework salvage set simplify speed split stop surface thin tighten trim ' +
    'unify upgrade validate wire write'
  ).split(' '),
);

function display(word: string, c: Corpus): string {
  const cased = c.cased.get(word);
  if (cased) return cased;
  if (ACRONYMS.has(word)) return word.toUpperCase();
  return word;
}

function titleCase(ws: string[], c: Corpus): string {
  return ws
    .map((w, i) => {
      const d = display(w, c);
      if (d !== w) return d;
      if (i > 0 && SMALL.has(w)) return w;
      return w[0]!.toUpperCase() + w.slice(1);
    })
    .join(' ');
}

function surfaceOf(c: Corpus, s: string): string {
  const m = c.surface.get(s);
  if (!m) return s;
  return [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].length - b[0].length || (a[0] < b[0] ? -1 : 1))[0]![0];
}

export interface Label {
  key: string;
  text: string;
  /** Stems of its words. */
  words: Set<string>;
  /** signature(text). */
  sig: string;
  score: number;
  /** Share of the group that carries it. */
  recall: number;
}

const countCache = new WeakMap<readonly number[], Map<string, number>>();

function count(c: Corpus, docs: readonly number[]): Map<string, number> {
  let m = countCache.get(docs);
  if (m) return m;
  m = new Map<string, number>();
  for (const i of docs) for (const k of c.docs[i]!.nameKeys) m.set(k, (m.get(k) ?? 0) + 1);
  countCache.set(docs, m);
  return m;
}

/** What a key reads as, whatever the group: null when it is no theme (a verb, "Implementation", a long tag). */
interface Reading {
  text: string;
  words: Set<string>;
  sig: string;
  /** Tags and title phrases weigh a little more than single words. */
  weight: number;
  tag: boolean;
}

const readings = new WeakMap<Corpus, Map<string, Reading | null>>();

function reading(c: Corpus, k: string): Reading | null {
  let cache = readings.get(c);
  if (!cache) readings.set(c, (cache = new Map()));
  let r = cache.get(k);
  if (r !== undefined) return r;
  r = null;
  let ws: string[] = [];
  let text = '';
  let weight = 1;
  if (k.startsWith('t:')) {
    const tag = k.slice(2);
    const parts = tag.split(/[^a-z0-9]+/).filter(Boolean);
    if (!NOT_A_THEME.test(tag) && parts.length && parts.length <= 4) {
      ws = words(tag);
      text = titleCase(parts, c);
      weight = 1.1;
    }
  } else if (k.startsWith('p:')) {
    ws = k.slice(2).split(' ');
    if (VERBS.has(ws[0]!)) ws = [];
    else text = titleCase(ws.map((s) => surfaceOf(c, s)), c);
    weight = 1.05;
  } else if (!NOT_A_THEME.test(k) && !VERBS.has(k)) {
    ws = [k];
    text = titleCase([surfaceOf(c, k)], c);
  }
  if (ws.length) r = { text, words: new Set(ws.map(stem)), sig: signature(text), weight, tag: k.startsWith('t:') };
  cache.set(k, r);
  return r;
}

/** Terms frequent in `group` and rare in `among`, best first, as readable labels. */
export function labels(c: Corpus, group: readonly number[], among: readonly number[], minCount = 2): Label[] {
  const inG = count(c, group);
  const inAll = count(c, among);
  const firstTags = new Map<string, number>();
  for (const i of group) {
    const t = c.docs[i]!.tags[0];
    if (t) firstTags.set(`t:${t}`, (firstTags.get(`t:${t}`) ?? 0) + 1);
  }
  const out: Label[] = [];
  for (const [k, g] of inG) {
    if (g < minCount && group.length > 2) continue;
    const r = reading(c, k);
    if (!r) continue;
    const total = Math.max(g, inAll.get(k) ?? g);
    const recall = g / group.length;
    const precision = g / total;
    let score = (2 * precision * recall) / (precision + recall);
    // A tag is a label someone chose, and the first tag is the one they meant most.
    if (r.tag) score *= r.weight * (1 + 0.15 * ((firstTags.get(k) ?? 0) / g));
    else if (r.weight !== 1) score *= r.weight;
    out.push({ key: k, text: r.text, words: r.words, sig: r.sig, score, recall });
  }
  return out.sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : 1));
}

/** What a name says, whatever its spelling: "Tracks" and "Track" say the same. */
export function signature(text: string): string {
  const numbers = text.match(/\d+/g) ?? [];
  return `sig:${[...new Set([...words(text).map(stem), ...numbers])].sort().join(' ')}`;
}

/** Names in use, by spelling and by what they say. */
export class Names {
  private used = new Set<string>();
  constructor(existing: Iterable<string> = []) {
    for (const n of existing) this.add(n);
  }
  add(name: string): void {
    this.used.add(name.toLowerCase());
    this.used.add(signature(name));
  }
  has(name: string): boolean {
    return this.used.has(name.toLowerCase()) || this.used.has(signature(name));
  }
  clone(): Names {
    const n = new Names();
    for (const u of this.used) n.used.add(u);
    return n;
  }
}

/**
 * A short noun phrase for the group's theme: its best label, widened to a
 * phrase that contains it when one is nearly as good ("Landing Page", not
 * "Landing"). Never two unrelated labels joined by "and". `avoid` holds
 * signatures that would mislead here (a parent's theme for one of its parts).
 */
export function nameGroup(c: Corpus, group: readonly number[], among: readonly number[], taken: Names, avoid: ReadonlySet<string> = new Set()): { name: string; label?: Label } {
  let all = labels(c, group, among).filter((l) => !avoid.has(l.sig));
  if (!all.length) all = labels(c, group, among, 1).filter((l) => !avoid.has(l.sig));
  // A name most of the group does not carry misleads ("Planning" for constitution
  // work): among labels most share and no other track has, the most typical;
  // failing that, the most shared.
  const shared = (l: Label) => l.recall >= 0.34 && !taken.has(l.text);
  let typical = all.filter(shared);
  if (!typical.length && avoid.size) {
    // Nothing else is shared that widely: the theme one part took is still the group's best name.
    typical = labels(c, group, among).filter(shared);
    if (typical.length) all = typical;
  }
  const ls = typical.length ? typical : [...all].sort((x, y) => y.recall - x.recall || y.score - x.score);
  if (!ls.length) return { name: fallbackName(c, group, taken) };
  const best = ls[0]!;
  for (const l of ls) {
    if (typical.length && l.score < 0.5 * best.score) break;
    let pick = l;
    if (pick.words.size === 1) {
      const w = [...pick.words][0]!;
      const wider = ls.find((x) => x.words.size > 1 && x.words.has(w) && x.score >= 0.6 * pick.score && !avoid.has(x.sig));
      if (wider) pick = wider;
    }
    if (!taken.has(pick.text)) return { name: pick.text, label: pick };
    if (!taken.has(l.text)) return { name: l.text, label: l };
  }
  // Every good label is taken: qualify the best one with what sets this group apart.
  const second = ls.find((l) => l !== best && [...l.words].every((w) => !best.words.has(w)));
  let name = second ? `${best.text}: ${second.text}` : best.text;
  for (let n = 2; taken.has(name) && n < 10000; n++) name = `${best.text} ${n}`;
  return { name, label: best };
}

function fallbackName(c: Corpus, group: readonly number[], taken: Names): string {
  const t = c.docs[group[0]!]?.title.trim();
  let name = t ? cleanTitle(t).slice(0, 60) : 'Other Work';
  for (let n = 2; taken.has(name) && n < 10000; n++) name = `Other Work ${n}`;
  return name;
}

/** FIX, RESEARCH, CHORE or REFACTOR when most of the group's work is that; FEAT otherwise. */
export function typeOf(c: Corpus, group: readonly number[], allowed: readonly string[]): string {
  const votes = new Map<string, number>();
  for (const i of group) {
    const t = c.docs[i]!.typeHint;
    if (t) votes.set(t, (votes.get(t) ?? 0) + 1);
  }
  const [best, n] = [...votes.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0] ?? ['FEAT', 0];
  let type = n * 2 > group.length ? best : 'FEAT';
  if (type === 'REFACTOR' && !allowed.includes(type)) type = 'CHORE';
  return allowed.includes(type) ? type : allowed.includes('FEAT') ? 'FEAT' : allowed[0]!;
}

/** Completed when all its work orders are done; active when some are done or under way; otherwise left to the default. */
export function statusOf(c: Corpus, group: readonly number[], singleActive: boolean): ProposedTrack['status'] {
  let done = 0;
  let started = 0;
  for (const i of group) {
    if (c.docs[i]!.done) done++;
    else if (c.docs[i]!.started) started++;
  }
  if (group.length && done === group.length) return 'completed';
  if (done || started) return singleActive ? 'ready' : 'active';
  return undefined;
}

function cleanTitle(t: string): string {
  return t
    .replace(/^\s*\[[^\]]{1,20}\]\s*/, '')
    .replace(/[.\s]+$/, '')
    .replace(/"/g, "'")
    .trim();
}

const LEAD: Record<string, string> = { FEAT: 'Deliver', FIX: 'Fix', RESEARCH: 'Research', CHORE: 'Maintain', REFACTOR: 'Restructure', EXP: 'Try out' };

/** Members in dependency order (what others build on first), then by id. */
function ordered(c: Corpus, group: readonly number[]): number[] {
  const inG = new Set(group);
  const indeg = new Map<number, number>();
  for (const i of group) indeg.set(i, 0);
  const after = new Map<number, number[]>();
  for (const i of group) {
    for (const dep of c.docs[i]!.w.dependsOn) {
      const j = c.byId.get(dep);
      if (j === undefined || j === i || !inG.has(j)) continue;
      indeg.set(i, indeg.get(i)! + 1);
      (after.get(j) ?? after.set(j, []).get(j)!).push(i);
    }
  }
  const out: number[] = [];
  // Ready work, the lowest index first (a binary min-heap).
  const ready: number[] = [];
  const push = (x: number) => {
    let k = ready.push(x) - 1;
    while (k > 0) {
      const up = (k - 1) >> 1;
      if (ready[up]! <= x) break;
      ready[k] = ready[up]!;
      k = up;
    }
    ready[k] = x;
  };
  const pop = () => {
    const top = ready[0]!;
    const last = ready.pop()!;
    if (ready.length) {
      let k = 0;
      for (;;) {
        let m = 2 * k + 1;
        if (m >= ready.length) break;
        if (m + 1 < ready.length && ready[m + 1]! < ready[m]!) m++;
        if (ready[m]! >= last) break;
        ready[k] = ready[m]!;
        k = m;
      }
      ready[k] = last;
    }
    return top;
  };
  for (const i of group) if (indeg.get(i) === 0) push(i);
  const seen = new Set<number>();
  while (ready.length) {
    const i = pop();
    if (seen.has(i)) continue;
    seen.add(i);
    out.push(i);
    for (const j of after.get(i) ?? []) {
      indeg.set(j, indeg.get(j)! - 1);
      if (indeg.get(j) === 0) push(j);
    }
  }
  for (const i of [...group].sort((a, b) => a - b)) if (!seen.has(i)) out.push(i);
  return out;
}

/** Characters of a title quoted in a goal: two of them, a name and the rest stay under BOUNDS.text (500). */
const QUOTED = 150;

/** A title cut to QUOTED characters, at a word where there is one. */
function quoted(t: string): string {
  if (t.length <= QUOTED) return t;
  const cut = t.slice(0, QUOTED - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > QUOTED / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** The outcome, as one sentence: what the track delivers, from the work it starts with to the work it ends with. */
export function goalFor(c: Corpus, group: readonly number[], name: string, type: string): string {
  const lead = LEAD[type] ?? 'Deliver';
  const titles = ordered(c, group)
    .map((i) => quoted(cleanTitle(c.docs[i]!.title)))
    .filter(Boolean);
  if (!titles.length) return `${lead} ${name}.`;
  if (titles.length === 1) return `${lead} ${name}: "${titles[0]}".`;
  if (titles.length === 2) return `${lead} ${name}: "${titles[0]}" and "${titles[1]}".`;
  return `${lead} ${name}, from "${titles[0]}" to "${titles[titles.length - 1]}" (${titles.length} work orders).`;
}

export class Slugs {
  private taken: Set<string>;
  constructor(existing: Iterable<string>) {
    this.taken = new Set(existing);
  }
  claim(name: string, prefix?: string): string {
    const base = slugify(name, 40) || 'track';
    const candidates = [base, prefix ? slugify(`${prefix}-${base}`, 48) : undefined].filter(Boolean) as string[];
    for (const s of candidates) {
      if (!this.taken.has(s) && !RESERVED_SLUGS.has(s)) {
        this.taken.add(s);
        return s;
      }
    }
    for (let i = 2; ; i++) {
      const s = `${base}-${i}`;
      if (!this.taken.has(s)) {
        this.taken.add(s);
        return s;
      }
    }
  }
}
