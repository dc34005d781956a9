import { describe, expect, it } from 'vitest';
import { packData, packJson, packMarkdown } from '../../src/pack/pack.js';
import { repoOf } from './lifecycle-repo.js';

const long = (n: number) => Array.from({ length: n }, (_, i) => `criterion ${i}: ${'é'.repeat(30)}`);
const wo = (id: string, f: Record<string, string> = {}, criteria: string[] = []) =>
  `---\nid: ${id}\ntitle: T ${id}\ngoal: Goal of ${id}\n${Object.entries({ status: 'ready', ...f })
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n')}\nacceptance_criteria:\n${criteria.map((c) => `  - ${JSON.stringify(c)}`).join('\n')}\n  - Step 1 - Parse: read the file\n---\n`;

const files: Record<string, string> = {
  'tracks/0001_FEAT_run.md': `---
name: Runner
type: FEAT
status: paused
goal: Make runs reliable
history:
  - at: 2026-11-01T10:00:00Z
    from: draft
    to: active
    by: Ada
  - at: 2026-11-02T10:00:00Z
    from: active
    to: paused
    by: Ada
    reason: waiting for quota
    commit: ${'b'.repeat(40)}
    progress: {done: 1, total: 3}
---

## Decisions

- 2026-11-01: retries use exponential backoff, capped at 60 s.
`,
  'tracks/0002_FEAT_ui.md': `---\nname: UI\ntype: FEAT\nstatus: active\n---\n`,
  'work_orders/1.md': wo('WO-1', { track: 'run', status: 'done' }),
  'work_orders/2.md': wo('WO-2', { track: 'run', priority: '2', depends_on: '[WO-9]' }, ['retries on 429']),
  'work_orders/3.md': wo('WO-3', { track: 'run', priority: '1' }),
  'work_orders/9.md': wo('WO-9', { track: 'ui' }),
  'work_orders/10.md': wo('WO-10', { track: 'ui', depends_on: '[WO-3]' }),
};
for (let i = 20; i < 80; i++) files[`work_orders/${i}.md`] = wo(`WO-${i}`, { track: 'run', priority: '3' }, long(8));

describe('context pack', () => {
  const repo = repoOf(files);
  const data = packData(repo, 'run');

  it('holds goal, status, history, decisions, work orders with criteria, and cross-track dependencies', () => {
    expect(data.track).toMatchObject({ slug: 'run', status: 'paused', goal: 'Make runs reliable' });
    expect(data.history.map((h) => h.to)).toEqual(['active', 'paused']);
    expect(data.decisionNotes).toContain('exponential backoff');
    expect(data.openWorkOrders[0]!.id).toBe('WO-3');
    const two = data.openWorkOrders.find((w) => w.id === 'WO-2')!;
    expect(two.acceptanceCriteria).toEqual(['retries on 429', 'Step 1 - Parse: read the file']);
    expect(data.crossTrack.outgoing).toEqual([{ from: 'WO-2', fromTracks: ['run'], to: 'WO-9', toTracks: ['ui'], toStatus: 'ready', toDone: false }]);
    expect(data.crossTrack.incoming.map((c) => `${c.from}→${c.to}`)).toEqual(['WO-10→WO-3']);
    expect(data.doneWorkOrders.map((w) => w.id)).toEqual(['WO-1']);
  });

  it('markdown stays within the budget and says what it left out', () => {
    const full = packMarkdown(data, 1 << 20);
    expect(full).not.toContain('Truncated');
    expect(full).toContain('## Decisions');
    expect(full).toContain('waiting for quota (checkpoint 1/3 at bbbbbbb)');
    expect(full).toContain('- WO-2 waits on **WO-9** (`ui`, ready, not done yet)');
    for (const max of [2048, 4096, 10_000, 32 * 1024]) {
      const md = packMarkdown(data, max);
      expect(Buffer.byteLength(md)).toBeLessThanOrEqual(max);
      expect(md).toMatch(/> Truncated to fit \d+ bytes: left out \d+ open work orders/);
      expect(md).toContain('# Track: Runner');
    }
    expect(Buffer.byteLength(full)).toBeGreaterThan(32 * 1024);
  });

  it('json stays within the budget and records what it left out', () => {
    const full = JSON.parse(packJson(data, 1 << 20));
    expect(full.truncated).toBeNull();
    for (const max of [4096, 32 * 1024]) {
      const text = packJson(data, max);
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(max);
      const j = JSON.parse(text);
      expect(j.truncated.omitted['open work orders']).toBeGreaterThan(0);
      expect(j.track.slug).toBe('run');
    }
  });
});
