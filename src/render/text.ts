/** Small text helpers for terminal output. Pure. */
import { sanitize } from './sanitize.js';

/** Visible width, treating wide characters (CJK, most emoji) as two cells. */
export function width(s: string): number {
  let w = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp < 32 || (cp >= 0x300 && cp < 0x370) || cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f)) continue;
    w += cp >= 0x1100 && (cp <= 0x115f || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0x1f300 && cp <= 0x1faff)) ? 2 : 1;
  }
  return w;
}

export function truncate(s: string, max: number): string {
  if (max <= 0) return '';
  if (width(s) <= max) return s;
  let out = '';
  let w = 0;
  for (const ch of s) {
    const cw = width(ch);
    if (w + cw > max - 1) break;
    out += ch;
    w += cw;
  }
  return out + '…';
}

export function pad(s: string, n: number): string {
  return s + ' '.repeat(Math.max(0, n - width(s)));
}

/** Columns sized to content; the last column takes what is left of `total`. Cells are values from files: sanitized here. */
export function table(rows: string[][], total: number, gap = 2): string[] {
  if (!rows.length) return [];
  rows = rows.map((r) => r.map((c) => sanitize(c)));
  const cols = rows[0]!.length;
  const widths = Array.from({ length: cols }, (_, i) => Math.max(...rows.map((r) => width(r[i] ?? ''))));
  const fixed = widths.slice(0, -1).reduce((a, b) => a + b + gap, 0);
  const last = Math.max(10, total - fixed);
  return rows.map((r) => r.map((c, i) => (i === cols - 1 ? truncate(c, last) : pad(c, widths[i]!))).join(' '.repeat(gap)).trimEnd());
}

export function bar(ratio: number, cells = 20): string {
  const full = Math.round(Math.max(0, Math.min(1, ratio)) * cells);
  return '█'.repeat(full) + '░'.repeat(cells - full);
}

export const pct = (r: number) => `${Math.round(r * 100)}%`;
