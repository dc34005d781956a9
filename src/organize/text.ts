/**
 * Work-order text → weighted features for the offline organizer: tags, words
 * of titles and goals, and two-word phrases from titles (the raw material for
 * track names). Pure and deterministic.
 */

/**
 * English function words plus words every work order uses ("add", "implement",
 * "work order"): they say nothing about which track a work order belongs to.
 */
const STOP = new Set(
  (
    'a an and are as at be been being but by can could do does for from has have how if in into is it its more most ' +
    'no not of on or our so such than that the their them then there these they this those through to too up us ' +
    'use used using via was we were what when where which while who why will with within without would you your ' +
    'all any each every other same new add adds added adding implement implementation implemented make makes making ' +
    'support supports allow allows enable enables ensure ensures create creates provide provides improve improvements ' +
    'improvement update updates based instead just only also work order orders wo wos pcc per one two first v0 v1 v2 ' +
    'auto etc e g eg ie way ways thing things need needs needed so can t s better get gets let lets keep keeps show shows ' +
    'via across before after still even real'
  ).split(/\s+/),
);

/** Short words that do carry meaning in software backlogs. */
const SHORT_OK = new Set(['ui', 'ux', 'ci', 'cd', 'vm', 'db', 'ai', 'ml', 'qa', 'io', 'os', 'ip', 'id', 'js', 'ts', 'go']);

export function words(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.toLowerCase().normalize('NFKD').split(/[^a-z0-9]+/)) {
    if (!raw || STOP.has(raw) || /^\d+$/.test(raw)) continue;
    if (raw.length < 3 && !SHORT_OK.has(raw)) continue;
    out.push(raw);
  }
  return out;
}

/** A light stemmer: folds plurals and a few verb endings so "runs"/"run", "tracks"/"track" meet. */
export function stem(w: string): string {
  if (w.length <= 4) return w;
  if (w.endsWith('ies') && w.length > 5) return w.slice(0, -3) + 'y';
  if (w.endsWith('sses')) return w.slice(0, -2);
  if (w.endsWith('ss') || w.endsWith('us') || w.endsWith('is')) return w;
  if (w.endsWith('s')) return w.slice(0, -1);
  return w;
}

/**
 * What one work order can contribute, at most: a file with 300 tags, a 60-word
 * title or 50 dependencies weighs like a normal one, so time and memory grow
 * with the number of work orders, not with the size of the largest. Authors
 * put the main tag first and the gist of a title or goal early.
 */
export const CAPS = { tags: 12, titleWords: 24, goalWords: 48, deps: 16, links: 24, tagLength: 48, chars: 2000 };

/** The tags considered, in the author's order: trimmed, lower-case, unique, at most CAPS.tags. */
export function tagsOf(tags: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of tags) {
    const t = raw.toLowerCase().trim();
    if (!t || t.length > CAPS.tagLength || out.includes(t)) continue;
    out.push(t);
    if (out.length >= CAPS.tags) break;
  }
  return out;
}

export interface DocText {
  title: string;
  goal: string;
  tags: string[];
  era?: string;
  /** titleWords(title), when the caller has it already. */
  titleWords?: string[];
}

/** The words of a title that count: the first CAPS.titleWords of its first CAPS.chars characters. */
export function titleWords(title: string): string[] {
  return words(title.slice(0, CAPS.chars)).slice(0, CAPS.titleWords);
}

/** Feature weights: a tag is a deliberate label, a title a summary, a goal prose. */
export interface Weights {
  tag: number;
  tagWord: number;
  title: number;
  goal: number;
  era: number;
}
export const WEIGHTS: Weights = { tag: 3, tagWord: 1, title: 2, goal: 1, era: 1 };

/** The first tag is the main one; later tags say less and less. */
export function tagPositionWeight(i: number): number {
  return i === 0 ? 1.5 : i === 1 ? 1.1 : Math.max(0.5, 1 - 0.1 * (i - 1));
}

/**
 * Raw term counts for one document. Keys: `t:<tag>` for whole tags, `e:<era>`
 * for the era, stems of words otherwise. Also records the surface forms seen
 * per stem (for naming).
 */
export function features(d: DocText, surface?: Map<string, Map<string, number>>, weights: Weights = WEIGHTS): Map<string, number> {
  const f = new Map<string, number>();
  const add = (k: string, w: number) => {
    if (w > 0) f.set(k, (f.get(k) ?? 0) + w);
  };
  const see = (s: string, form: string) => {
    if (!surface) return;
    let m = surface.get(s);
    if (!m) surface.set(s, (m = new Map()));
    m.set(form, (m.get(form) ?? 0) + 1);
  };
  tagsOf(d.tags).forEach((t, i) => {
    const pw = tagPositionWeight(i);
    add(`t:${t}`, weights.tag * pw);
    for (const w of words(t)) {
      const s = stem(w);
      add(s, weights.tagWord * pw);
      see(s, w);
    }
  });
  for (const w of d.titleWords ?? titleWords(d.title)) {
    const s = stem(w);
    add(s, weights.title);
    see(s, w);
  }
  for (const w of words(d.goal.slice(0, CAPS.chars)).slice(0, CAPS.goalWords)) {
    const s = stem(w);
    add(s, weights.goal);
    see(s, w);
  }
  const era = d.era?.trim().toLowerCase();
  if (era && era.length <= CAPS.tagLength) add(`e:${era}`, weights.era);
  return f;
}

/** Adjacent content-word pairs of a title ("global agent", "landing page"), for names. */
export function titlePhrases(title: string, ws: string[] = titleWords(title)): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < ws.length; i++) out.push(`${stem(ws[i]!)} ${stem(ws[i + 1]!)}`);
  return out;
}
