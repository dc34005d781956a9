/** In-memory repositories for the pure lifecycle tests: texts in, Repo value out (no disk, no git). */
import { DEFAULT_CONFIG } from '../../src/config/config.js';
import { parseTrackFile, parseWorkOrderFile } from '../../src/repo/load.js';
import type { Config, Repo } from '../../src/model/types.js';
import type { PlanInput } from '../../src/lifecycle/transition.js';

export function repoOf(files: Record<string, string>, config: Partial<Config> = {}): Repo & { texts: Record<string, string> } {
  const f = (path: string) => ({ path, hash: path, bytes: new TextEncoder().encode(files[path]!) });
  const paths = Object.keys(files).sort();
  return {
    root: '/repo',
    config: { ...DEFAULT_CONFIG, ...config },
    configPath: undefined,
    configProblems: [],
    workOrders: paths.filter((p) => p.startsWith('work_orders/')).map((p) => parseWorkOrderFile(f(p))),
    tracks: paths.filter((p) => p.startsWith('tracks/')).map((p) => parseTrackFile(f(p))),
    texts: files,
  };
}

export function inputOf(repo: Repo & { texts: Record<string, string> }, extra: Partial<PlanInput> = {}): PlanInput {
  return {
    repo,
    stamp: { now: '2026-11-21T10:00:00Z', who: 'Ada <ada@example.com>' },
    head: 'a'.repeat(40),
    read: (p) => {
      const t = repo.texts[p];
      if (t === undefined) throw new Error(`no file ${p}`);
      return t;
    },
    ...extra,
  };
}
