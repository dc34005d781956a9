/**
 * One count of unassigned and unreadable work orders (src/core/counts.ts),
 * the same in `status`, `check`, `list --unassigned` and `report`, on copies of
 * the real corpora: pcc-head (an unreadable file, a `track:` naming a track that
 * does not exist), organized, with a few work orders made unassigned again; and
 * Backlog.md (ids handed out again in its archive).
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, git, read, removeRepo, tempRepo, tempRepos, writable, write } from '../helpers/repo.js';
import { BACKLOG_MD } from '../fixtures/parse/corpus.js';
import { setFrontMatterKey } from '../../src/parse/edit.js';
import { statusShape } from '../../src/shapes/status.js';
import { loadRepo } from '../../src/repo/load.js';

const { corpus } = tempRepos();

/** The four commands' own numbers (and the MCP overview's shape), from their JSON and their text. */
async function fourCounts(d: string) {
  const status = JSON.parse((await cli(d, ['status', '--format', 'json'])).stdout).workOrders;
  const statusText = (await cli(d, ['status'])).stdout.split('\n')[0];
  const check = JSON.parse((await cli(d, ['check', '--format', 'json'])).stdout).summary.workOrders;
  const checkText = (await cli(d, ['check'])).stdout.trim().split('\n').pop();
  const listJson = JSON.parse((await cli(d, ['list', '--unassigned', '--format', 'json'])).stdout);
  const listText = (await cli(d, ['list', '--unassigned'])).stderr.trim().split('\n').pop()!;
  const report = JSON.parse((await cli(d, ['report', '--format', 'json'])).stdout).workOrders;
  const reportMd = (await cli(d, ['report'])).stdout;
  const listUnreadable = Number(/(\d+) unreadable work orders? not listed/.exec(listText)?.[1] ?? 0);
  return { status, statusText, check, checkText, list: { unassigned: listJson.total, unreadable: listUnreadable, text: listText }, report, reportMd };
}

function expectAgreement(c: Awaited<ReturnType<typeof fourCounts>>, unassigned: number, unreadable: number) {
  expect([c.status.unassigned, c.check.unassigned, c.list.unassigned, c.report.unassigned]).toEqual([unassigned, unassigned, unassigned, unassigned]);
  expect([c.status.unreadable, c.check.unreadable, c.list.unreadable, c.report.unreadable]).toEqual([unreadable, unreadable, unreadable, unreadable]);
  // The text says the same: status and check print the same line.
  expect(c.checkText).toBe(c.statusText);
  expect(c.reportMd).toContain(`${unassigned} unassigned (`);
}

describe('the same counts everywhere, on real corpora', () => {
  it('pcc-head, before and after organize, with work orders made unassigned again and one naming a deleted track', async () => {
    const d = corpus('head');
    let c = await fourCounts(d);
    expectAgreement(c, 204, 1);
    expect(c.status).toMatchObject({ total: 205, unreadable: 1, assigned: 0 });
    expect(c.statusText).toBe('Work orders: 205 (1 unreadable); 0 with a track, 204 without.');
    // `track: live-demo` names no track here: unassigned, and counted as such.
    expect(c.report.unknownTrack).toBe(1);
    expect(c.check.unknownTrack).toBe(1);

    expect((await cli(d, ['organize', '--yes'])).code).toBe(0);
    const files = git(d, 'ls-files', 'work_orders').trim().split('\n');
    const edit = (path: string, value: string | null) => write(d, path, setFrontMatterKey(read(d, path), 'track', value, path));
    const assigned = files.filter((p) => /^track: /m.test(read(d, p)));
    edit(assigned[0]!, null);
    edit(assigned[1]!, null);
    edit(assigned[2]!, 'a-track-that-was-deleted');
    git(d, 'commit', '-qam', 'three work orders lose their track');
    c = await fourCounts(d);
    expectAgreement(c, 3, 1);
    expect(c.status).toMatchObject({ total: 205, assigned: 201 });
    expect(c.list.text).toBe('3 work orders without a track; 1 unreadable work order not listed (`tracks check` says why)');
    // The MCP overview answers the status shape.
    const repo = await loadRepo(d);
    expect(statusShape(repo).workOrders).toEqual(c.status);
  });

  it('Backlog.md: ids given out again count as unreadable (with an id an earlier work order has), in all four', async () => {
    const d = tempRepo();
    try {
      cpSync(join(BACKLOG_MD, 'backlog'), join(d, 'backlog'), { recursive: true });
      writable(join(d, 'backlog'));
      write(d, 'tracks.config.yaml', 'preset: backlog-md\n');
      git(d, 'add', '-A');
      git(d, 'commit', '-qm', 'Backlog.md corpus');
      const c = await fourCounts(d);
      expect(c.status).toMatchObject({ total: 673, duplicateIds: 10 });
      expectAgreement(c, 663, 10);
      expect(c.statusText).toBe('Work orders: 673 (10 with an id an earlier work order has); 0 with a track, 663 without.');
    } finally {
      removeRepo(d);
    }
  });
});
