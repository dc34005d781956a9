/** Plan → text for people: the summary, one item, a file diff, the commit message. Pure. */
import type { Move, Plan, PlanItem, TrackFields } from './types.js';
import { sanitize } from '../render/sanitize.js';
import { plural } from '../render/plural.js';

/** The colours used; a chalk instance fits, and `plain` turns them off. */
export interface Paint {
  green: (s: string) => string;
  red: (s: string) => string;
  yellow: (s: string) => string;
  cyan: (s: string) => string;
  dim: (s: string) => string;
  bold: (s: string) => string;
}

const id = (s: string) => s;
export const plain: Paint = { green: id, red: id, yellow: id, cyan: id, dim: id, bold: id };

/**
 * Names, goals, reasons and titles come from files and from the model's
 * proposal: everything shown to a person is sanitized (`s`, and `q` quotes).
 * The commit message is not shown here: it is written to git as it is.
 */
const s = (v: string | null | undefined) => sanitize(v ?? '');
const q = (v: string) => s(JSON.stringify(v));
const trackList = (l: string[]) => (l.length ? s(l.join(', ')) : '(none)');

export function headline(plan: Plan): string {
  const s = plan.summary;
  const parts = [
    plural(s.newTracks, 'new track'),
    plural(s.changedTracks, 'changed track'),
    plural(s.merges, 'merge'),
    plural(s.retired, 'retired track'),
  ];
  return `${parts.join(', ')}; ${plural(s.moved, 'work order')} ${s.moved === 1 ? 'moves' : 'move'}; ${plural(s.files, 'file')} to write.`;
}

function fieldChanges(before: TrackFields, after: TrackFields): string[] {
  const out: string[] = [];
  if (before.name !== after.name) out.push(`name ${q(before.name)} → ${q(after.name)}`);
  if (before.type !== after.type) out.push(`type ${s(before.type)} → ${s(after.type)}`);
  if (before.parent !== after.parent) out.push(`parent ${s(before.parent ?? '(top level)')} → ${s(after.parent ?? '(top level)')}`);
  if (before.goal !== after.goal) out.push(`goal ${q(before.goal)} → ${q(after.goal)}`);
  return out;
}

export function moveLine(m: Move, p: Paint = plain): string {
  const title = m.title.length > 60 ? `${s(m.title.slice(0, 59))}…` : s(m.title);
  return `${p.bold(s(m.wo))}  ${title}  ${p.dim(trackList(m.from))} → ${p.green(trackList(m.to))}`;
}

/** One item as a few lines (`max` caps the work orders listed). */
export function renderItem(item: PlanItem, p: Paint = plain, max = Infinity): string[] {
  const out: string[] = [];
  const moves = (ms: Move[]) => {
    for (const m of ms.slice(0, max)) out.push(`    ${moveLine(m, p)}`);
    if (ms.length > max) out.push(p.dim(`    … and ${ms.length - max} more`));
  };
  switch (item.kind) {
    case 'new-track': {
      const f = item.fields;
      out.push(`${p.green('+')} ${p.bold(s(item.slug))}  ${s(f.type)}${f.status ? ` ${s(f.status)}` : ''}  ${q(f.name)}${f.parent ? `  under ${s(f.parent)}` : '  (top level)'}  ${p.dim(plural(item.workOrders, 'work order'))}`);
      if (f.goal) out.push(`    ${p.dim('goal:')} ${s(f.goal)}`);
      break;
    }
    case 'change-track':
      out.push(`${p.yellow('~')} ${p.bold(s(item.slug))}  ${fieldChanges(item.before, item.after).join('; ')}`);
      break;
    case 'merge':
      out.push(`${p.yellow('⇢')} ${p.bold(s(item.from.join(', ')))} → ${p.bold(s(item.into))}  ${p.dim(`(${plural(item.moves.length, 'work order')} move; ${item.from.length === 1 ? 'the source is' : 'the sources are'} archived)`)}`);
      if (item.reason) out.push(`    ${p.dim('why:')} ${s(item.reason)}`);
      moves(item.moves);
      break;
    case 'retire':
      out.push(`${p.red('-')} ${p.bold(s(item.slug))}  ${p.dim('archived')}${item.reason ? `  ${p.dim('why:')} ${s(item.reason)}` : ''}`);
      break;
    case 'moves':
      out.push(`${p.cyan('→')} ${p.bold(s(item.track) || '(no track)')}  ${p.dim(plural(item.moves.length, 'work order'))}`);
      moves(item.moves);
      break;
  }
  return out;
}

/** The whole plan: headline, then tracks, merges, retirements, and moves grouped by target track. */
export function renderSummary(plan: Plan, p: Paint = plain, opts: { maxMoves?: number } = {}): string {
  const out: string[] = [`${p.bold(`Organize (${plan.mode})`)}: ${headline(plan)}`];
  const section = (title: string, kinds: PlanItem['kind'][]) => {
    const items = plan.items.filter((i) => kinds.includes(i.kind));
    if (!items.length) return;
    out.push('', p.bold(title));
    for (const i of items) out.push(...renderItem(i, p, opts.maxMoves).map((l) => `  ${l}`));
  };
  section('New tracks', ['new-track']);
  section('Changed tracks', ['change-track']);
  section('Merges', ['merge']);
  section('Retired tracks', ['retire']);
  section('Work orders, by new track (before → after)', ['moves']);
  if (plan.skipped.length) {
    out.push('', p.bold(p.yellow(`Skipped ${plural(plan.skipped.length, 'work order')} that cannot be edited`)));
    for (const k of plan.skipped) out.push(`  ${s(k.path)}: ${s(k.reason)}`);
  }
  return out.join('\n') + '\n';
}

/** One line per file (`max` caps the lines, the rest counted). */
export function renderFiles(plan: Plan, p: Paint = plain, max = Infinity): string {
  const sign = { create: p.green('A'), update: p.yellow('M'), 'set-key': p.yellow('M'), delete: p.red('D') };
  const lines = plan.changes.slice(0, max).map((c) => `${sign[c.action]} ${s(c.path)}`);
  if (plan.changes.length > max) lines.push(p.dim(`… and ${plural(plan.changes.length - max, 'more file')} (\`--dry-run\` lists them all)`));
  return lines.join('\n') + (lines.length ? '\n' : '');
}

/** A unified-style diff of a file's old and new text (one hunk around the changed lines). */
export function renderDiff(path: string, before: string | null, after: string | null, p: Paint = plain, context = 2): string {
  const head = `${p.bold(`--- ${before === null ? '/dev/null' : `a/${s(path)}`}`)}\n${p.bold(`+++ ${after === null ? '/dev/null' : `b/${s(path)}`}`)}\n`;
  const a = before === null ? [] : before.split('\n');
  const b = after === null ? [] : after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  if (start === endA && start === endB) return head + p.dim('(no change)\n');
  const from = Math.max(0, start - context);
  const toA = Math.min(a.length, endA + context);
  const toB = Math.min(b.length, endB + context);
  const lines = [p.cyan(`@@ -${from + 1},${toA - from} +${from + 1},${toB - from} @@`)];
  // Lines of the files themselves: shown, never obeyed (a CRLF line end is just an end).
  const ln = (v: string | undefined) => s((v ?? '').replace(/\r$/, ''));
  for (let i = from; i < start; i++) lines.push(` ${ln(a[i])}`);
  for (let i = start; i < endA; i++) lines.push(p.red(`-${ln(a[i])}`));
  for (let i = start; i < endB; i++) lines.push(p.green(`+${ln(b[i])}`));
  for (let i = endA; i < toA; i++) lines.push(` ${ln(a[i])}`);
  return head + lines.join('\n') + '\n';
}

/** At most `max` characters, cut at a word boundary (never mid-word), with an ellipsis when cut. */
export function cutAtWord(s: string, max: number): string {
  if (s.length <= max) return s;
  const room = s.slice(0, max - 1);
  const space = room.lastIndexOf(' ');
  return `${(space > max / 2 ? room.slice(0, space) : room).replace(/[\s,;:]+$/, '')}…`;
}

function wrap(text: string, width = 72): string[] {
  const out: string[] = [];
  let line = '';
  for (const w of text.split(' ')) {
    if (line && line.length + 1 + w.length > width) {
      out.push(line);
      line = `  ${w}`;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) out.push(line);
  return out;
}

/** The commit message: a subject under 72 characters, then what changed, by kind. */
export function commitMessage(plan: Plan): string {
  const s = plan.summary;
  const parts: string[] = [];
  if (s.newTracks) parts.push(plural(s.newTracks, 'new track'));
  if (s.changedTracks) parts.push(`${s.changedTracks} changed`);
  if (s.merges) parts.push(plural(s.merges, 'merge'));
  if (s.retired) parts.push(`${s.retired} retired`);
  const moves = plan.items.flatMap((i) => (i.kind === 'moves' || i.kind === 'merge' ? i.moves : []));
  const fresh = moves.filter((m) => m.from.length === 0).length;
  if (fresh) parts.push(`${plural(fresh, 'work order')} assigned`);
  const moved = moves.length - fresh;
  if (moved) parts.push(fresh ? `${moved} moved` : `${plural(moved, 'work order')} moved`);
  let subject = `tracks organize (${plan.mode}): ${parts.join(', ') || 'no changes'}`;
  subject = cutAtWord(subject, 72);
  const body: string[] = [];
  const of = (k: PlanItem['kind']) => plan.items.filter((i) => i.kind === k);
  const news = of('new-track') as Extract<PlanItem, { kind: 'new-track' }>[];
  if (news.length) body.push(...wrap(`New tracks: ${news.map((i) => `${i.slug}${i.fields.parent ? ` (under ${i.fields.parent})` : ''}`).join(', ')}.`));
  for (const i of of('change-track') as Extract<PlanItem, { kind: 'change-track' }>[]) body.push(...wrap(`Changed ${i.slug}: ${fieldChanges(i.before, i.after).join('; ')}.`));
  for (const i of of('merge') as Extract<PlanItem, { kind: 'merge' }>[]) body.push(...wrap(`Merged ${i.from.join(', ')} into ${i.into} (${plural(i.moves.length, 'work order')}).`));
  for (const i of of('retire') as Extract<PlanItem, { kind: 'retire' }>[]) body.push(...wrap(`Retired ${i.slug}${i.reason ? `: ${i.reason}` : ''}.`));
  const groups = of('moves') as Extract<PlanItem, { kind: 'moves' }>[];
  if (groups.length) body.push(...wrap(`Work orders: ${groups.map((i) => `${i.track || '(none)'} +${i.moves.length}`).join(', ')}.`));
  const via = plan.provider ? `\n\nProposed by the ${plan.provider === 'local' ? 'offline organizer' : `${plan.provider} provider`} and reviewed.` : '';
  return `${subject}${body.length ? `\n\n${body.join('\n')}` : ''}${via}\n`;
}
