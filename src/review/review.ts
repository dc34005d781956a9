/**
 * Interactive review of a proposal, item by item: accept, reject or edit,
 * with accept-all / reject-all. Works on the proposal (the decisions), so the
 * plan is rebuilt from exactly what a person accepted; every reject and edit
 * is validated before it is kept. All input goes through a Prompter.
 */
import type { Repo } from '../model/types.js';
import type { Mode, Proposal, ProposedTrack } from '../organize/types.js';
import { validateProposal } from '../organize/validate.js';
import { isRetired } from '../organize/scope.js';
import { diffProposal, fieldsOf } from '../plan/diff.js';
import { renderItem, plain, type Paint } from '../plan/render.js';
import type { PlanItem } from '../plan/types.js';
import { sanitize } from '../render/sanitize.js';
import type { Choice, Prompter } from '../term/prompter.js';
import { sanitizePrompts } from '../render/prompts.js';

export interface ReviewIO {
  prompter: Prompter;
  print: (s: string) => void;
  paint?: Paint;
}

type Action = 'accept' | 'reject' | 'edit' | 'accept-all' | 'reject-all';

const KIND: Record<PlanItem['kind'], string> = {
  'new-track': 'New track',
  'change-track': 'Changed track',
  merge: 'Merge',
  retire: 'Retire',
  moves: 'Work orders',
};

function clone(p: Proposal): Proposal {
  return structuredClone(p);
}

/** Removes an item from a draft proposal, with what depends on it. */
export function rejectItem(repo: Repo, draft: Proposal, item: PlanItem): Proposal {
  const p = clone(draft);
  const existing = new Map(repo.tracks.map((t) => [t.slug, t]));
  switch (item.kind) {
    case 'new-track': {
      // Its new sub-tracks go with it; existing tracks moved under it go back where they were.
      const removed = new Set([item.slug]);
      let grew = true;
      while (grew) {
        grew = false;
        for (const t of p.tracks) {
          if (!existing.has(t.slug) && t.parent && removed.has(t.parent) && !removed.has(t.slug)) {
            removed.add(t.slug);
            grew = true;
          }
        }
      }
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
    // Not itself, not one of its own descendants.
    const below = new Set([slug]);
    let grew = true;
    const parentOf = (s: string) => p.tracks.find((x) => x.slug === s)?.parent ?? repo.tracks.find((x) => x.slug === s)?.parent ?? null;
    const all = liveSlugs(repo, p);
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
    const choices: Choice<string | null>[] = [{ name: '(top level)', value: null }, ...all.filter((s) => !below.has(s)).map((s) => ({ name: s, value: s }))];
    t.parent = await io.prompter.select<string | null>({ message: `Parent of ${slug}:`, choices, default: t.parent });
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

/** Walks a person through every item of `proposal`; resolves to what they accepted. */
export async function reviewProposal(repo: Repo, proposal: Proposal, mode: Mode, rawIO: ReviewIO): Promise<Proposal> {
  // Names, goals and titles in prompts come from the model and the files: shown, never obeyed.
  const io: ReviewIO = { ...rawIO, prompter: sanitizePrompts(rawIO.prompter) };
  const paint = io.paint ?? plain;
  const check = (p: Proposal) => validateProposal(p, repo, mode, { complete: false });
  let draft = clone(proposal);
  const queue = diffProposal(repo, draft).map((i) => i.id);
  let acceptRest = false;
  for (let n = 0; n < queue.length; n++) {
    if (acceptRest) break;
    for (;;) {
      const item = diffProposal(repo, draft).find((i) => i.id === queue[n]);
      if (!item) break; // went away with an earlier reject
      io.print(`\n${paint.dim(`[${n + 1}/${queue.length}]`)} ${paint.bold(KIND[item.kind])}\n${renderItem(item, paint, 40).map((l) => `  ${l}`).join('\n')}\n`);
      const editable = item.kind === 'new-track' || item.kind === 'change-track' || item.kind === 'moves';
      const choices: Choice<Action>[] = [
        { name: 'Accept', value: 'accept' },
        { name: 'Reject', value: 'reject' },
        ...(editable ? [{ name: 'Edit…', value: 'edit' as Action }] : []),
        { name: 'Accept all remaining', value: 'accept-all' },
        { name: 'Reject all remaining', value: 'reject-all' },
      ];
      const what = item.kind === 'moves' ? `→ ${item.track}` : item.kind === 'merge' ? `${item.from.join(', ')} → ${item.into}` : item.slug;
      const action = await io.prompter.select<Action>({ message: `${KIND[item.kind]} ${what}:`, choices });
      if (action === 'accept') break;
      if (action === 'accept-all') {
        acceptRest = true;
        break;
      }
      if (action === 'reject-all') {
        for (let m = n; m < queue.length; m++) {
          const it = diffProposal(repo, draft).find((i) => i.id === queue[m]);
          if (!it) continue;
          const next = rejectItem(repo, draft, it);
          const errs = check(next);
          if (errs.length) io.print(paint.yellow(`Kept ${sanitize(it.id)}: rejecting it would leave ${sanitize(errs.join(' '))}\n`));
          else draft = next;
        }
        return draft;
      }
      const next = action === 'reject' ? rejectItem(repo, draft, item) : item.kind === 'moves' ? await editMoves(repo, draft, item, io) : await editTrack(repo, draft, (item as { slug: string }).slug, io);
      if (!next) continue;
      const errs = check(next);
      if (errs.length) {
        io.print(paint.yellow(`Not possible: ${sanitize(errs.join(' '))}\n`));
        continue;
      }
      draft = next;
      if (action === 'reject') break;
    }
  }
  return draft;
}
