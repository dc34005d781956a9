/**
 * Interactive review of a proposal, item by item: accept, reject or edit,
 * with accept-all / reject-all and a way back to the previous item. Works on
 * the proposal (the decisions), so the plan is rebuilt from exactly what a
 * person accepted; every reject and edit is validated before it is kept, and a
 * choice that leaves something behind (the sub-tracks of a rejected track, the
 * open work of a track being retired) is resolved by asking, never by dropping
 * it. With a `finish`, the review ends on a screen that shows the plan and the
 * files it writes, checked against `tracks check`'s rules, and lets the person
 * revise before anything is written. All input goes through a Prompter.
 */
import type { Diagnostic, Repo } from '../model/types.js';
import type { Mode, Proposal, ProposedTrack } from '../organize/types.js';
import { validateProposal } from '../organize/validate.js';
import { isRetired } from '../organize/scope.js';
import { isDone } from '../core/status.js';
import { diffProposal, fieldsOf, targets } from '../plan/diff.js';
import { headline, renderFiles, renderItem, renderSummary, plain, type Paint } from '../plan/render.js';
import type { Plan, PlanItem } from '../plan/types.js';
import { sanitize } from '../render/sanitize.js';
import type { Choice, Prompter } from '../term/prompter.js';
import { sanitizePrompts } from '../render/prompts.js';
import { plural } from '../render/plural.js';

export interface ReviewIO {
  prompter: Prompter;
  print: (s: string) => void;
  paint?: Paint;
}

/** What the last screen needs from the command: the plan a draft makes, and the rules it must keep. */
export interface ReviewFinish {
  plan: (p: Proposal) => Plan;
  /** Errors `tracks check` would report that the plan introduces (apply refuses such a plan). */
  broken: (plan: Plan) => Diagnostic[];
  /** The final choice, e.g. "Write 12 files and commit". */
  action: (plan: Plan) => string;
}

type Action = 'accept' | 'reject' | 'edit' | 'accept-all' | 'reject-all' | 'back';

const KIND: Record<PlanItem['kind'], string> = {
  'new-track': 'New track',
  'change-track': 'Changed track',
  merge: 'Merge',
  retire: 'Retire',
  moves: 'Work orders',
};

/** Files listed on the final screen before the rest are counted. */
const MAX_FILES_SHOWN = 40;

function clone(p: Proposal): Proposal {
  return structuredClone(p);
}

const ids = (l: string[], max = 5) => (l.length <= max ? l.join(', ') : `${l.slice(0, max).join(', ')} and ${l.length - max} more`);

/** What becomes of the new sub-tracks of a rejected track: rejected with it, or moved (null: top level). */
export type SubTrackFate = { reject: true } | { parent: string | null };

/** Sub-tracks proposed as new, directly under `slug`. */
function newChildren(repo: Repo, p: Proposal, slug: string): ProposedTrack[] {
  const existing = new Set(repo.tracks.map((t) => t.slug));
  return p.tracks.filter((t) => t.parent === slug && !existing.has(t.slug));
}

/** New tracks under `slug` at any depth, `slug` included. */
function newSubtree(repo: Repo, p: Proposal, slug: string): Set<string> {
  const existing = new Set(repo.tracks.map((t) => t.slug));
  const out = new Set([slug]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const t of p.tracks) {
      if (!existing.has(t.slug) && t.parent && out.has(t.parent) && !out.has(t.slug)) {
        out.add(t.slug);
        grew = true;
      }
    }
  }
  return out;
}

/**
 * Removes an item from a draft proposal, with what depends on it. A rejected
 * new track's new sub-tracks are rejected with it unless `fate` gives them
 * another parent; existing tracks moved under it go back where they were.
 */
export function rejectItem(repo: Repo, draft: Proposal, item: PlanItem, fate: SubTrackFate = { reject: true }): Proposal {
  const p = clone(draft);
  const existing = new Map(repo.tracks.map((t) => [t.slug, t]));
  switch (item.kind) {
    case 'new-track': {
      if ('parent' in fate) for (const t of p.tracks) if (t.parent === item.slug && !existing.has(t.slug)) t.parent = fate.parent;
      const removed = newSubtree(repo, p, item.slug);
      p.tracks = p.tracks.filter((t) => !removed.has(t.slug));
      for (const t of p.tracks) if (t.parent && removed.has(t.parent)) t.parent = existing.get(t.slug)?.parent ?? null;
      p.assignments = p.assignments.filter((a) => !removed.has(a.track));
      if (p.merges) p.merges = p.merges.filter((m) => !removed.has(m.into));
      break;
    }
    case 'change-track':
      p.tracks = p.tracks.filter((t) => t.slug !== item.slug);
      break;
    case 'merge': {
      const from = new Set(item.from);
      p.merges = (p.merges ?? []).filter((m) => !(m.into === item.into && m.from.join('+') === item.from.join('+')));
      const inSource = new Set(repo.workOrders.filter((w) => w.tracks.some((s) => from.has(s))).map((w) => w.id));
      p.assignments = p.assignments.filter((a) => !(a.track === item.into && inSource.has(a.wo)));
      break;
    }
    case 'retire':
      p.retire = (p.retire ?? []).filter((r) => r.slug !== item.slug);
      break;
    case 'moves': {
      const ids = new Set(item.moves.map((m) => m.wo));
      p.assignments = p.assignments.filter((a) => !(ids.has(a.wo) && a.track === item.track));
      break;
    }
  }
  if (p.merges && !p.merges.length) delete p.merges;
  if (p.retire && !p.retire.length) delete p.retire;
  return p;
}

/** What would still be inside each track the draft retires: open work orders and live sub-tracks. */
export function leftInRetiring(repo: Repo, p: Proposal): Map<string, { open: string[]; subTracks: string[] }> {
  const out = new Map<string, { open: string[]; subTracks: string[] }>();
  const retiring = new Set((p.retire ?? []).map((r) => r.slug));
  if (!retiring.size) return out;
  const entry = (slug: string) => out.get(slug) ?? (out.set(slug, { open: [], subTracks: [] }), out.get(slug)!);
  for (const [w, list] of targets(repo, p)) {
    if (isDone(w, repo.config)) continue;
    for (const s of new Set(list)) if (retiring.has(s)) entry(s).open.push(w.id!);
  }
  const leaving = new Set([...retiring, ...(p.merges ?? []).flatMap((m) => m.from)]);
  const proposed = new Map(p.tracks.map((t) => [t.slug, t]));
  const seen = new Set<string>();
  for (const t of [...p.tracks, ...repo.tracks]) {
    if (seen.has(t.slug)) continue;
    seen.add(t.slug);
    const old = repo.tracks.find((x) => x.slug === t.slug);
    if ((old && isRetired(old)) || leaving.has(t.slug)) continue;
    const parent = proposed.get(t.slug)?.parent ?? (old ? (old.parent ?? null) : null);
    if (parent && retiring.has(parent)) entry(parent).subTracks.push(t.slug);
  }
  return out;
}

/** Tracks a work order or a track can be put in after this draft: live, not leaving. */
function liveSlugs(repo: Repo, p: Proposal): string[] {
  const leaving = new Set([...(p.merges ?? []).flatMap((m) => m.from), ...(p.retire ?? []).map((r) => r.slug)]);
  const out: string[] = [];
  for (const t of p.tracks) if (!leaving.has(t.slug)) out.push(t.slug);
  for (const t of repo.tracks) if (!isRetired(t) && !leaving.has(t.slug) && !out.includes(t.slug)) out.push(t.slug);
  return out;
}

function trackEntry(repo: Repo, p: Proposal, slug: string): ProposedTrack {
  let t = p.tracks.find((x) => x.slug === slug);
  if (!t) {
    const old = repo.tracks.find((x) => x.slug === slug)!;
    t = { slug, ...fieldsOf(old) };
    p.tracks.push(t);
  }
  return t;
}

/** Live tracks that `slug` could go under: not itself, not one of its own descendants. */
function parentChoices(repo: Repo, p: Proposal, slug: string, exclude: ReadonlySet<string> = new Set()): Choice<string | null>[] {
  const below = new Set([slug, ...exclude]);
  const parentOf = (s: string) => p.tracks.find((x) => x.slug === s)?.parent ?? repo.tracks.find((x) => x.slug === s)?.parent ?? null;
  const all = liveSlugs(repo, p);
  let grew = true;
  while (grew) {
    grew = false;
    for (const s of all) {
      const par = parentOf(s);
      if (par && below.has(par) && !below.has(s)) {
        below.add(s);
        grew = true;
      }
    }
  }
  return [{ name: '(top level)', value: null }, ...all.filter((s) => !below.has(s)).map((s) => ({ name: s, value: s }))];
}

async function editTrack(repo: Repo, draft: Proposal, slug: string, io: ReviewIO): Promise<Proposal | undefined> {
  const p = clone(draft);
  const t = trackEntry(repo, p, slug);
  const what = await io.prompter.select<string>({
    message: `Edit ${slug}:`,
    choices: [
      { name: `Name (${t.name})`, value: 'name' },
      { name: `Type (${t.type})`, value: 'type' },
      { name: `Parent (${t.parent ?? 'top level'})`, value: 'parent' },
      { name: 'Goal', value: 'goal', description: t.goal },
      { name: 'Back', value: 'back' },
    ],
  });
  if (what === 'back') return undefined;
  if (what === 'name') {
    t.name = (await io.prompter.input({ message: 'Name:', default: t.name, validate: (v) => (v.trim() ? true : 'A name cannot be empty.') })).trim();
  } else if (what === 'goal') {
    t.goal = (await io.prompter.input({ message: 'Goal:', default: t.goal })).trim();
  } else if (what === 'type') {
    t.type = await io.prompter.select({ message: 'Type:', choices: repo.config.trackTypes.map((x) => ({ name: x, value: x })), default: t.type });
  } else {
    t.parent = await io.prompter.select<string | null>({ message: `Parent of ${slug}:`, choices: parentChoices(repo, p, slug), default: t.parent });
  }
  return p;
}

async function editMoves(repo: Repo, draft: Proposal, item: Extract<PlanItem, { kind: 'moves' }>, io: ReviewIO): Promise<Proposal | undefined> {
  const what = await io.prompter.select<string>({
    message: `Edit the work orders going to ${item.track}:`,
    choices: [
      { name: 'Move a work order to another track', value: 'move' },
      { name: 'Drop an assignment (the work order keeps its current track)', value: 'drop' },
      { name: 'Back', value: 'back' },
    ],
  });
  if (what === 'back') return undefined;
  const wo = await io.prompter.select<string>({
    message: what === 'move' ? 'Which work order?' : 'Drop which assignment?',
    choices: item.moves.map((m) => ({ name: `${m.wo}  ${m.title}`, value: m.wo })),
  });
  const p = clone(draft);
  if (what === 'drop') {
    p.assignments = p.assignments.filter((a) => a.wo !== wo);
    return p;
  }
  const to = await io.prompter.select<string>({
    message: `Move ${wo} to:`,
    choices: liveSlugs(repo, p)
      .filter((s) => s !== item.track)
      .map((s) => ({ name: s, value: s })),
  });
  p.assignments = [...p.assignments.filter((a) => a.wo !== wo), { wo, track: to }];
  return p;
}

const itemLabel = (item: PlanItem) =>
  item.kind === 'moves' ? `→ ${item.track || '(no track)'}` : item.kind === 'merge' ? `${item.from.join(', ')} → ${item.into}` : item.slug;

interface Step {
  /** Index in the queue of the item decided. */
  n: number;
  /** The draft before the decision. */
  draft: Proposal;
}

/** The state of one review: where it is, what has been decided, and how to undo it. */
class Review {
  private readonly io: ReviewIO;
  private readonly paint: Paint;
  private readonly queue: string[];
  draft: Proposal;
  n = 0;
  readonly history: Step[] = [];

  constructor(
    private readonly repo: Repo,
    proposal: Proposal,
    private readonly mode: Mode,
    rawIO: ReviewIO,
  ) {
    // Names, goals and titles in prompts come from the model and the files: shown, never obeyed.
    this.io = { ...rawIO, prompter: sanitizePrompts(rawIO.prompter) };
    this.paint = rawIO.paint ?? plain;
    this.draft = clone(proposal);
    this.queue = diffProposal(repo, this.draft).map((i) => i.id);
  }

  private say(s: string) {
    this.io.print(s);
  }

  private problems(p: Proposal): string[] {
    return validateProposal(p, this.repo, this.mode, { complete: false });
  }

  private itemAt(n: number): PlanItem | undefined {
    return diffProposal(this.repo, this.draft).find((i) => i.id === this.queue[n]);
  }

  /** Back to the item decided last, with the draft as it was before that decision. */
  back(): boolean {
    const step = this.history.pop();
    if (!step) return false;
    this.draft = step.draft;
    this.n = step.n;
    return true;
  }

  private keep(next: Proposal) {
    this.history.push({ n: this.n, draft: this.draft });
    this.draft = next;
  }

  /**
   * A rejected new track with new sub-tracks: asks what becomes of them.
   * Undefined when the person goes back.
   */
  private async rejectTrack(item: Extract<PlanItem, { kind: 'new-track' }>): Promise<Proposal | undefined> {
    const next = await this.rejectTrackWork(item);
    if (next) {
      // Existing tracks the proposal put under it stay where they are now: said, not done silently.
      const back = this.draft.tracks.filter((t) => t.parent === item.slug && this.repo.tracks.some((x) => x.slug === t.slug));
      for (const t of back) {
        const now = this.repo.tracks.find((x) => x.slug === t.slug)!.parent ?? null;
        this.say(this.paint.dim(`${sanitize(t.slug)} stays ${now ? `under ${sanitize(now)}` : 'at the top level'}.\n`));
      }
    }
    return next;
  }

  private async rejectTrackWork(item: Extract<PlanItem, { kind: 'new-track' }>): Promise<Proposal | undefined> {
    const subs = newChildren(this.repo, this.draft, item.slug);
    const own = this.draft.assignments.filter((a) => a.track === item.slug).length;
    const stay = (n: number) => `${plural(n, 'work order')} ${n === 1 ? 'stays' : 'stay'} ${this.mode === 'initial' ? 'without a track' : n === 1 ? 'where it is' : 'where they are'}`;
    if (!subs.length) {
      const next = await this.settleRetirements(rejectItem(this.repo, this.draft, item), `do not reject ${item.slug}`);
      if (next && own) this.say(this.paint.dim(`Rejected ${sanitize(item.slug)}: its ${stay(own)}.\n`));
      return next;
    }
    const under = newSubtree(this.repo, this.draft, item.slug);
    under.delete(item.slug);
    const theirs = this.draft.assignments.filter((a) => under.has(a.track)).length;
    const names = ids(subs.map((t) => t.slug));
    for (;;) {
      const fate = await this.io.prompter.select<'reject' | 'top' | 'under' | 'back'>({
        message: `${item.slug} has ${plural(subs.length, 'sub-track')} (${names}) with ${plural(theirs, 'work order')}. Rejecting ${item.slug}:`,
        choices: [
          { name: `Reject ${subs.length === 1 ? 'it' : 'them'} too (${subs.length === 1 ? 'its' : 'their'} ${stay(theirs)})`, value: 'reject' },
          { name: `Make ${subs.length === 1 ? 'it a top-level track' : 'them top-level tracks'}`, value: 'top' },
          { name: `Put ${subs.length === 1 ? 'it' : 'them'} under another track…`, value: 'under' },
          { name: `Back (keep ${item.slug})`, value: 'back' },
        ],
      });
      if (fate === 'back') return undefined;
      let next: Proposal;
      if (fate === 'reject') next = rejectItem(this.repo, this.draft, item);
      else {
        let parent: string | null = null;
        if (fate === 'under') {
          const choices = parentChoices(this.repo, this.draft, item.slug).filter((c) => c.value !== null);
          if (!choices.length) {
            this.say(this.paint.yellow('There is no other live track to put them under.\n'));
            continue;
          }
          parent = await this.io.prompter.select<string | null>({ message: `Put ${names} under:`, choices });
        }
        next = rejectItem(this.repo, this.draft, item, { parent });
      }
      const settled = await this.settleRetirements(next, `do not reject ${item.slug}`);
      if (!settled) return undefined;
      next = settled;
      const errs = this.problems(next);
      if (errs.length) {
        this.say(this.paint.yellow(`Not possible: ${sanitize(errs.join(' '))}\n`));
        continue;
      }
      const lost = fate === 'reject' ? own + theirs : own;
      if (lost) this.say(this.paint.dim(`Rejected ${sanitize(item.slug)}${fate === 'reject' ? ` and ${sanitize(names)}` : ''}: ${stay(lost)}.\n`));
      return next;
    }
  }

  /**
   * A choice that would leave open work orders or live sub-tracks in a track
   * being retired: asks whether to keep that track. Undefined when the person
   * would rather not make the choice.
   */
  private async settleRetirements(next: Proposal, undo: string): Promise<Proposal | undefined> {
    const before = leftInRetiring(this.repo, this.draft);
    let p = next;
    for (const [slug, left] of leftInRetiring(this.repo, next)) {
      const had = before.get(slug);
      const fresh = left.open.some((id) => !had?.open.includes(id)) || left.subTracks.some((s) => !had?.subTracks.includes(s));
      if (!fresh) continue;
      const what = [
        left.open.length ? `${plural(left.open.length, 'open work order')} (${ids(left.open)})` : '',
        left.subTracks.length ? `${left.subTracks.length === 1 ? 'its sub-track' : 'its sub-tracks'} ${ids(left.subTracks)}` : '',
      ]
        .filter(Boolean)
        .join(' and ');
      const keep = await this.io.prompter.select<boolean>({
        message: `${slug} is to be retired, but ${what} would stay in it:`,
        choices: [
          { name: `Keep ${slug} (do not retire it)`, value: true },
          { name: `Back (${undo})`, value: false },
        ],
      });
      if (!keep) return undefined;
      p = clone(p);
      p.retire = (p.retire ?? []).filter((r) => r.slug !== slug);
      if (!p.retire.length) delete p.retire;
      this.say(this.paint.dim(`Kept ${sanitize(slug)}: it is not retired.\n`));
    }
    return p;
  }

  /** The reject of one item, with every question it raises; undefined when the person goes back. */
  private async reject(item: PlanItem, undo: string): Promise<Proposal | undefined> {
    return item.kind === 'new-track' ? this.rejectTrack(item) : this.settleRetirements(rejectItem(this.repo, this.draft, item), undo);
  }

  /** Rejects every item from the current one on, keeping those that cannot go. */
  private async rejectRest(): Promise<void> {
    const start = this.draft;
    for (let m = this.n; m < this.queue.length; m++) {
      const it = this.itemAt(m);
      if (!it) continue;
      // Reject-all takes sub-tracks with their parent: they are later items, and rejected too.
      const rejected = rejectItem(this.repo, this.draft, it);
      const next = await this.settleRetirements(rejected, `do not reject ${itemLabel(it)}`);
      const errs = next ? this.problems(next) : [];
      if (!next) continue;
      if (errs.length) this.say(this.paint.yellow(`Kept ${sanitize(it.id)}: rejecting it would leave ${sanitize(errs.join(' '))}\n`));
      else this.draft = next;
    }
    this.history.push({ n: this.n, draft: start });
    this.n = this.queue.length;
  }

  /** Asks about every item from the current one to the end (or until accept-all / reject-all). */
  async walk(): Promise<void> {
    const { io, paint } = this;
    while (this.n < this.queue.length) {
      const item = this.itemAt(this.n);
      if (!item) {
        this.n++; // went away with an earlier reject
        continue;
      }
      io.print(`\n${paint.dim(`[${this.n + 1}/${this.queue.length}]`)} ${paint.bold(KIND[item.kind])}\n${renderItem(item, paint, 40).map((l) => `  ${l}`).join('\n')}\n`);
      const editable = item.kind === 'new-track' || item.kind === 'change-track' || item.kind === 'moves';
      const choices: Choice<Action>[] = [
        { name: 'Accept', value: 'accept' },
        { name: 'Reject', value: 'reject' },
        ...(editable ? [{ name: 'Edit…', value: 'edit' as Action }] : []),
        { name: 'Accept all remaining', value: 'accept-all' },
        { name: 'Reject all remaining', value: 'reject-all' },
        ...(this.history.length ? [{ name: 'Back to the previous item', value: 'back' as Action }] : []),
      ];
      const action = await io.prompter.select<Action>({ message: `${KIND[item.kind]} ${itemLabel(item)}:`, choices });
      if (action === 'back') {
        this.back();
        continue;
      }
      if (action === 'accept') {
        this.keep(this.draft);
        this.n++;
        continue;
      }
      if (action === 'accept-all') {
        this.keep(this.draft);
        this.n = this.queue.length;
        return;
      }
      if (action === 'reject-all') {
        await this.rejectRest();
        return;
      }
      const undo = action === 'reject' ? `do not reject ${itemLabel(item)}` : 'do not make this edit';
      const next =
        action === 'reject'
          ? await this.reject(item, undo)
          : await (item.kind === 'moves' ? editMoves(this.repo, this.draft, item, io) : editTrack(this.repo, this.draft, (item as { slug: string }).slug, io)).then((p) => p && this.settleRetirements(p, undo));
      if (!next) continue;
      const errs = this.problems(next);
      if (errs.length) {
        io.print(paint.yellow(`Not possible: ${sanitize(errs.join(' '))}\n`));
        continue;
      }
      if (action === 'reject') {
        this.keep(next);
        this.n++;
      } else this.draft = next; // an edit: the item is asked again, as edited
    }
  }

  /**
   * The last screen: the plan and its files, checked against the rules; write,
   * go back and revise, or quit. Undefined when the person quits.
   */
  async finish(f: ReviewFinish): Promise<Plan | undefined> {
    const { io, paint } = this;
    for (;;) {
      await this.walk();
      const plan = f.plan(this.draft);
      if (!plan.changes.length) {
        io.print(`\n${paint.bold('Nothing accepted:')} the reviewed plan changes no file.\n`);
        const what = await io.prompter.select<'back' | 'quit'>({
          message: 'Nothing to write:',
          choices: [...(this.history.length ? [{ name: 'Back to the last item', value: 'back' as const }] : []), { name: 'Quit (write nothing)', value: 'quit' }],
          default: 'quit',
        });
        if (what === 'quit' || !this.back()) return undefined;
        continue;
      }
      const broken = f.broken(plan);
      if (broken.length) {
        const shown = broken.slice(0, 5).map((d) => `  ${sanitize(d.file)}: ${sanitize(d.message)} [${d.code}]`);
        io.print(
          paint.yellow(
            `\nNot possible: the reviewed plan would break ${broken.length === 1 ? 'a rule' : `${broken.length} rules`} that \`tracks check\` enforces:\n${shown.join('\n')}${broken.length > 5 ? `\n  … and ${broken.length - 5} more` : ''}\n`,
          ) + (this.history.length ? 'Back to the last item: change a choice so the repository stays valid.\n' : ''),
        );
        if (!this.back()) return undefined;
        continue;
      }
      const files = renderFiles(plan, paint, MAX_FILES_SHOWN);
      // The headline again under a long file list, right above the question.
      io.print(`\n${renderSummary(plan, paint, { maxMoves: 5 })}\n${paint.bold(`Files (${plan.changes.length})`)}\n${files}\n${paint.bold(headline(plan))}\n`);
      const action = f.action(plan);
      const what = await io.prompter.select<'write' | 'back' | 'quit'>({
        message: `${action}?`,
        choices: [
          { name: action, value: 'write' },
          ...(this.history.length ? [{ name: 'Back to the last item (revise)', value: 'back' as const }] : []),
          { name: 'Quit (write nothing)', value: 'quit' },
        ],
      });
      if (what === 'write') return plan;
      if (what === 'quit') return undefined;
      this.back();
    }
  }
}

/** Walks a person through every item of `proposal`; resolves to what they accepted. */
export async function reviewProposal(repo: Repo, proposal: Proposal, mode: Mode, io: ReviewIO): Promise<Proposal> {
  const r = new Review(repo, proposal, mode, io);
  await r.walk();
  return r.draft;
}

/**
 * The whole review: every item, then the plan and its files on a last screen
 * where the person writes, revises or quits. Resolves to the plan to write,
 * already checked against `tracks check`'s rules, or undefined (write nothing).
 */
export async function reviewPlan(repo: Repo, proposal: Proposal, mode: Mode, io: ReviewIO, finish: ReviewFinish): Promise<Plan | undefined> {
  return new Review(repo, proposal, mode, io).finish(finish);
}

