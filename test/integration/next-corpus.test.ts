/**
 * `next`, `report` and `context` on a dependency graph taken from the real
 * corpus (pcc-head): the people-directory cluster WO-2026-260..267, whose
 * depends_on edges are left exactly as found.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setFrontMatterKey } from '../../src/parse/edit.js';
import { cli, corpusRepo, read, removeRepo, track, write } from '../helpers/repo.js';

let dir: string;
const file = (id: string) => `work_orders/${readdirSync(join(dir, 'work_orders')).find((f) => f.startsWith(id + '-'))!}`;
function edit(id: string, key: string, value: string) {
  const p = file(id);
  write(dir, p, setFrontMatterKey(read(dir, p), key, value, p));
}
const PEOPLE = [260, 261, 262, 263, 264, 265, 267].map((n) => `WO-2026-${n}`);
const MISC = [274, 275, 276, 277, 278, 279, 280].map((n) => `WO-2026-${n}`);

beforeAll(() => {
  dir = corpusRepo('head');
  write(dir, 'tracks/0001_FEAT_people.md', track('People directory'));
  write(dir, 'tracks/0002_FEAT_agents.md', track('Agent context'));
  write(dir, 'tracks/0003_FEAT_misc.md', track('Misc', { status: 'paused' }));
  // In the corpus these are awaiting review; make them startable work, keep their edges.
  for (const id of [...PEOPLE, 'WO-2026-266']) edit(id, 'status', 'ready');
  for (const id of PEOPLE) edit(id, 'track', 'people');
  edit('WO-2026-266', 'track', 'agents');
  for (const id of MISC) edit(id, 'track', 'misc');
});
afterAll(() => removeRepo(dir));

const ids = (items: { id: string }[]) => items.map((i) => i.id);

describe('next on the real dependency graph', () => {
  it('orders by priority, then by how much each unblocks (transitively, across tracks)', async () => {
    const r = await cli(dir, ['next', 'people', '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(ids(j.ready)).toEqual(['WO-2026-260', 'WO-2026-261']);
    expect(j.ready[0].unblocks).toEqual(['WO-2026-262', 'WO-2026-263', 'WO-2026-264', 'WO-2026-265', 'WO-2026-266', 'WO-2026-267']);
    expect(j.ready[1].unblocks).toEqual(['WO-2026-262', 'WO-2026-263', 'WO-2026-265', 'WO-2026-266', 'WO-2026-267']);
    expect(j.ready[0].reason).toBe('priority 1; unblocks 6 (WO-2026-262, WO-2026-263, WO-2026-264 +3)');
    expect(ids(j.blocked)).toEqual(['WO-2026-262', 'WO-2026-263', 'WO-2026-264', 'WO-2026-265', 'WO-2026-267']);
  });

  it('when the roots are done, the next layer comes up in order', async () => {
    edit('WO-2026-260', 'status', 'done');
    edit('WO-2026-261', 'status', 'done');
    try {
      const j = JSON.parse((await cli(dir, ['next', 'people', '--format', 'json'])).stdout);
      expect(ids(j.ready)).toEqual(['WO-2026-262', 'WO-2026-263', 'WO-2026-264', 'WO-2026-265']);
      expect(j.ready.map((i: { unblocks: string[] }) => i.unblocks.length)).toEqual([2, 1, 0, 0]);
      expect(ids(j.blocked)).toEqual(['WO-2026-267']);
      const text = (await cli(dir, ['next', 'people'])).stdout;
      expect(text).toContain('4 work orders can start in people');
      expect(text).toMatch(/1\. WO-2026-262 +Conversation History Aggregation/i);
      expect(text).toContain('WO-2026-267  waits on WO-2026-262 (people, ready), WO-2026-263 (people, ready)');
    } finally {
      edit('WO-2026-260', 'status', 'ready');
      edit('WO-2026-261', 'status', 'ready');
    }
  });

  it('equal unblocking falls back to priority then id', async () => {
    const j = JSON.parse((await cli(dir, ['next', 'misc', '--format', 'json'])).stdout);
    expect(ids(j.ready)).toEqual(['WO-2026-274', 'WO-2026-275', 'WO-2026-277', 'WO-2026-276', 'WO-2026-278', 'WO-2026-279', 'WO-2026-280']);
  });

  it('a work order blocked by another track says so; without a track, one item per active track', async () => {
    const agents = JSON.parse((await cli(dir, ['next', 'agents', '--format', 'json'])).stdout);
    expect(agents.ready).toEqual([]);
    expect(agents.blocked[0].waitingOn).toEqual([
      { id: 'WO-2026-260', status: 'ready', tracks: ['people'], crossTrack: true },
      { id: 'WO-2026-262', status: 'ready', tracks: ['people'], crossTrack: true },
    ]);
    const all = await cli(dir, ['next']);
    expect(all.stdout).toMatch(/people +WO-2026-260/);
    expect(all.stdout).toMatch(/agents +nothing can start now \(1 blocked, 0 held/);
    expect(all.stdout).not.toContain('misc');
  });
});

describe('report and context on the corpus', () => {
  it('report: distribution, unassigned, cross-track blocking, limit usage', async () => {
    const j = JSON.parse((await cli(dir, ['report', '--format', 'json'])).stdout);
    // one corpus file already says `track: live-demo`, a track that does not exist here: it has no track (one is unreadable)
    expect(j.workOrders).toMatchObject({ total: 205, assigned: 15, unassigned: 189, unknownTrack: 1, unreadable: 1 });
    expect(j.tracks.map((t: { slug: string; count: number }) => `${t.slug}:${t.count}`)).toEqual(['people:7', 'agents:1', 'misc:7']);
    expect(j.topLevel).toEqual({ used: 3, limit: 8, tracks: ['agents', 'misc', 'people'] });
    const b266 = j.blocked.find((b: { id: string }) => b.id === 'WO-2026-266');
    expect(b266.waitingOn.every((w: { crossTrack: boolean }) => w.crossTrack)).toBe(true);
    const md = (await cli(dir, ['report'])).stdout;
    expect(md).toContain('**205 work orders**');
    expect(md).toContain('189 unassigned (92%; 1 of them names a track that does not exist) · 1 unreadable, see `tracks check`');
    expect(md).toContain('**other track**');
  });

  it('context pack: goal, work orders with acceptance criteria, cross-track dependencies, bounded', async () => {
    const md = (await cli(dir, ['context', 'people'])).stdout;
    expect(md).toContain('# Track: People directory (`people`)');
    expect(md).toContain('### WO-2026-260 ');
    expect(md).toContain('Acceptance criteria:');
    expect(md).toMatch(/\*\*WO-2026-266\*\* \(`agents`\) waits on WO-2026-260/);
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(32 * 1024);
    const small = await cli(dir, ['context', 'people', '--max-bytes', '3000']);
    expect(Buffer.byteLength(small.stdout)).toBeLessThanOrEqual(3000);
    expect(small.stdout).toMatch(/> Truncated to fit 3000 bytes: left out \d+ open work orders/);
    const j = JSON.parse((await cli(dir, ['context', 'people', '--format', 'json', '--max-bytes', '3000'])).stdout);
    expect(j.truncated.maxBytes).toBe(3000);
    const bad = await cli(dir, ['context', 'peple']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Did you mean "people"?');
  });
});
