import { describe, expect, it } from 'vitest';
import { fit, makeCursor, readCursor } from '../../src/mcp/bound.js';
import { agentInstructions, instructionsForServer } from '../../src/mcp/instructions.js';
import { isTracksError } from '../../src/errors/index.js';

describe('answer bounds', () => {
  it('cuts lists in order, from the chosen end, until the measure fits, and counts what went', () => {
    const a = Array.from({ length: 100 }, (_, i) => i);
    const b = Array.from({ length: 10 }, (_, i) => i);
    const omitted = fit([{ name: 'a', list: a }, { name: 'b', list: b, from: 'start' }], 50, () => a.length + b.length);
    expect(a.length + b.length).toBeLessThanOrEqual(50);
    expect(omitted.a).toBe(100 - a.length);
    expect(omitted.b).toBeUndefined();
    expect(a[0]).toBe(0);
    const more = fit([{ name: 'a', list: a }, { name: 'b', list: b, from: 'start' }], 5, () => a.length + b.length);
    expect(a).toEqual([]);
    expect(b[b.length - 1]).toBe(9);
    expect(more.b).toBe(10 - b.length);
    expect(fit([{ name: 'a', list: [1] }], 10, () => 1)).toEqual({});
  });

  it('a cursor carries an offset for one query only', () => {
    const q = { track: 'x', status: ['ready'] };
    expect(readCursor(undefined, q)).toBe(0);
    expect(readCursor(makeCursor(q, 50), q)).toBe(50);
    for (const bad of [() => readCursor(makeCursor(q, 50), { track: 'y' }), () => readCursor('garbage', q), () => readCursor(Buffer.from('{"q":"x","o":-1}').toString('base64url'), q)]) {
      try {
        bad();
        expect.unreachable();
      } catch (e) {
        expect(isTracksError(e) && e.code).toBe('BAD_CURSOR');
      }
    }
  });
});

describe('agent instructions', () => {
  it('say how to find, take, record and finish work, and what never to do', () => {
    const md = agentInstructions({ cli: 'npx tracks' });
    expect(md).toMatch(/^## Work orders and tracks/);
    for (const s of ['npx tracks next --format json', 'npx tracks context <track>', 'npx tracks start <track>', 'npx tracks complete <track>', 'Never edit the `track:` key by hand', 'a person approves every organize change']) expect(md).toContain(s);
    expect(md).not.toContain('claim');
    expect(agentInstructions({ claims: true })).toContain('npx tracks claim <track>');
    expect(instructionsForServer().length).toBeLessThan(1000);
  });
});
