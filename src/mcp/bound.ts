/**
 * Every MCP answer is bounded: an agent's context is the scarce resource.
 * Lists are cut from their least useful end until the answer (structured
 * content plus its text) fits the token budget, and what was left out is
 * counted in the answer; long lists are paged with an opaque cursor. Pure.
 */
import { createHash } from 'node:crypto';
import { estimateTokens } from '../llm-request/tokens.js';
import { TracksError } from '../errors/index.js';

/** Well under the 25,000 tokens some clients refuse past, and small enough to leave room for the work. */
export const DEFAULT_MAX_TOKENS = 8_000;
export const MAX_TOKENS_CEILING = 20_000;

export interface Answer<T> {
  structured: T;
  text: string;
}

export function answerTokens(a: Answer<unknown>): number {
  return estimateTokens(JSON.stringify(a.structured)) + estimateTokens(a.text);
}

/** A list of the shape that may be shortened, and which end goes first. */
export interface Cut {
  name: string;
  list: unknown[];
  from?: 'end' | 'start';
}

/**
 * Shortens the lists in order (the first is cut until empty before the next
 * is touched) until `measure()` fits `maxTokens`; returns how many items of
 * each were left out. Steps of ~1/8 keep it to a few dozen measurements.
 */
export function fit(cuts: Cut[], maxTokens: number, measure: () => number): Record<string, number> {
  const omitted: Record<string, number> = {};
  for (const c of cuts) {
    while (c.list.length && measure() > maxTokens) {
      const n = Math.max(1, Math.floor(c.list.length / 8));
      if (c.from === 'start') c.list.splice(0, n);
      else c.list.splice(c.list.length - n, n);
      omitted[c.name] = (omitted[c.name] ?? 0) + n;
    }
    if (measure() <= maxTokens) break;
  }
  return omitted;
}

/** A cursor names a position in one query's answer; it is opaque to the agent. */
export function makeCursor(query: unknown, offset: number): string {
  return Buffer.from(JSON.stringify({ q: queryKey(query), o: offset })).toString('base64url');
}

export function readCursor(cursor: string | undefined, query: unknown): number {
  if (cursor === undefined || cursor === '') return 0;
  let v: { q?: unknown; o?: unknown };
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    v = {};
  }
  if (typeof v.o !== 'number' || !Number.isSafeInteger(v.o) || v.o < 0 || typeof v.q !== 'string') {
    throw new TracksError('BAD_CURSOR', 'the cursor is not one this server made', { hint: 'Pass the nextCursor of the previous answer unchanged, or leave cursor out to start from the first page.' });
  }
  if (v.q !== queryKey(query)) {
    throw new TracksError('BAD_CURSOR', 'the cursor belongs to a query with other filters', { hint: 'Keep the filters of the call that returned the cursor, or leave cursor out to start again.' });
  }
  return v.o;
}

const queryKey = (query: unknown) => createHash('sha1').update(JSON.stringify(query)).digest('base64url').slice(0, 12);
