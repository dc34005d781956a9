/** Rendering new track files and choosing their numbers. Pure. */
import type { Track } from '../model/types.js';
import { renderInline } from '../parse/edit.js';
import { trackFileName } from '../parse/entities.js';

/** Colour-blind-friendly palette (Tableau 10); lanes take them in order. */
export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

export interface NewTrack {
  slug: string;
  name: string;
  type: string;
  goal?: string;
  status?: string;
  parent?: string | null;
  color?: string;
  experiment?: string;
  hypothesis?: string;
  /** ISO timestamp; passed in (the core reads no clock). */
  now: string;
  /** Markdown body below the front matter. */
  body?: string;
}

export function nextColor(tracks: Pick<Track, 'color'>[], offset = 0): string {
  const used = new Set(tracks.map((t) => t.color?.toLowerCase()));
  const free = PALETTE.filter((c) => !used.has(c));
  return free[offset] ?? PALETTE[(tracks.length + offset) % PALETTE.length]!;
}

/** The next free track numbers (never reusing a number, even of an archived track). */
export function nextNumbers(tracks: Pick<Track, 'number'>[], count: number): number[] {
  const max = Math.max(0, ...tracks.map((t) => t.number ?? 0));
  return Array.from({ length: count }, (_, i) => max + 1 + i);
}

export function renderTrackFile(t: NewTrack): string {
  const lines: string[] = [
    `name: ${renderInline(t.name)}`,
    `type: ${t.type}`,
    `status: ${t.status ?? 'draft'}`,
    `goal: ${renderInline(t.goal ?? '')}`,
    `parent: ${t.parent ? t.parent : 'null'}`,
    `color: ${renderInline(t.color ?? PALETTE[0]!)}`,
  ];
  if (t.experiment) lines.push(`experiment: ${t.experiment}`);
  if (t.hypothesis !== undefined) lines.push(`hypothesis: ${renderInline(t.hypothesis)}`);
  lines.push(`created_at: ${renderInline(t.now)}`, `updated_at: ${renderInline(t.now)}`);
  const body = t.body ?? `\n## Description\n\n${t.goal ?? ''}\n\n## Decisions\n\n`;
  return `---\n${lines.join('\n')}\n---\n${body.startsWith('\n') ? body : '\n' + body}`;
}

export function trackPath(tracksDir: string, number: number, type: string, slug: string): string {
  return `${tracksDir.replace(/\/$/, '')}/${trackFileName(number, type, slug)}`;
}
