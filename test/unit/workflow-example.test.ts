/**
 * The GitHub Actions workflow in docs/examples/tracks.yml (and the README's
 * copy of it) has the shape GitHub expects and runs what the README says.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PROJECT } from '../helpers/repo.js';

const FILE = join(PROJECT, 'docs', 'examples', 'tracks.yml');
const text = readFileSync(FILE, 'utf8');

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  if?: string;
  'runs-on': string;
  permissions?: Record<string, string>;
  steps: Step[];
}

describe('docs/examples/tracks.yml', () => {
  const wf = parse(text) as { name: string; on: Record<string, unknown>; permissions: Record<string, string>; jobs: Record<string, Job> };

  it('is a workflow: triggers, jobs with runs-on and steps that each use or run one thing', () => {
    expect(typeof wf.name).toBe('string');
    expect(Object.keys(wf.on).sort()).toEqual(['pull_request', 'schedule', 'workflow_dispatch']);
    const cron = (wf.on.schedule as { cron: string }[])[0]!.cron;
    expect(cron.split(' ')).toHaveLength(5);
    expect(wf.permissions).toEqual({ contents: 'read' });
    for (const [name, job] of Object.entries(wf.jobs)) {
      expect(job['runs-on'], name).toBe('ubuntu-latest');
      expect(job.steps.length, name).toBeGreaterThan(0);
      for (const s of job.steps) expect(Boolean(s.uses) !== Boolean(s.run), `${name}: ${JSON.stringify(s)}`).toBe(true);
      for (const s of job.steps) if (s.uses) expect(s.uses).toMatch(/^[\w-]+\/[\w-]+@v\d+$/);
    }
  });

  it('checks pull requests', () => {
    const job = wf.jobs.check!;
    expect(job.if).toContain("== 'pull_request'");
    expect(job.steps.map((s) => s.run).filter(Boolean)).toContain('npx tracks check --require-track');
  });

  it('on a schedule, organizes only when due, without committing, then opens a pull request with the files', () => {
    const job = wf.jobs.organize!;
    expect(job.if).toContain("!= 'pull_request'");
    expect(job.permissions).toEqual({ contents: 'write', 'pull-requests': 'write' });
    const runs = job.steps.map((s) => s.run ?? s.uses);
    const organize = runs.indexOf('npx tracks organize --if-due --mode incremental --yes --no-commit');
    const pr = runs.findIndex((r) => r?.startsWith('peter-evans/create-pull-request@'));
    expect(organize).toBeGreaterThan(-1);
    expect(pr).toBeGreaterThan(organize);
    const w = job.steps[pr]!.with!;
    expect(Object.keys(w).sort()).toEqual(['add-paths', 'body', 'branch', 'commit-message', 'delete-branch', 'title']);
    expect(String(w['add-paths']).trim().split('\n')).toEqual(['tracks/**', 'work_orders/**']);
  });

  it('is the workflow the README shows', () => {
    const readme = readFileSync(join(PROJECT, 'README.md'), 'utf8');
    expect(readme).toContain('```yaml\n' + text + '```');
  });
});
