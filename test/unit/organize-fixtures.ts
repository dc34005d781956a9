/** In-memory repositories for organize/plan/review unit tests (no disk, no git). */
import { DEFAULT_CONFIG } from '../../src/config/config.js';
import { parseTrackFile, parseWorkOrderFile } from '../../src/repo/load.js';
import { blobId } from '../../src/fs/source.js';
import type { Config, Repo } from '../../src/model/types.js';

export function repoFrom(files: Record<string, string>, config: Partial<Config> = {}): Repo & { text: (p: string) => string } {
  const src = (path: string) => {
    const bytes = new TextEncoder().encode(files[path]!);
    return { path, hash: blobId(bytes), bytes };
  };
  const paths = Object.keys(files).sort();
  return {
    root: '/nowhere',
    config: { ...DEFAULT_CONFIG, ...config },
    configPath: undefined,
    configProblems: [],
    workOrders: paths.filter((p) => p.startsWith('work_orders/')).map((p) => parseWorkOrderFile(src(p))),
    tracks: paths.filter((p) => p.startsWith('tracks/')).map((p) => parseTrackFile(src(p))),
    text: (p: string) => {
      if (!(p in files)) throw new Error(`no file ${p}`);
      return files[p]!;
    },
  };
}

export function wo(id: string, extra: Record<string, string> = {}): string {
  const lines = [`id: ${id}`, `title: ${extra.title ?? `Work ${id}`}`, 'status: ready', ...Object.entries(extra).filter(([k]) => k !== 'title').map(([k, v]) => `${k}: ${v}`)];
  return `---\n${lines.join('\n')}\n---\n\nBody of ${id}.\n`;
}

export function trk(name: string, extra: Record<string, string> = {}): string {
  const fields: Record<string, string> = { name, type: 'FEAT', status: 'active', goal: `Goal of ${name}`, parent: 'null', ...extra };
  return `---\n${Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join('\n')}\n---\n\n## Description\n`;
}

/** A small repo: two tracks (one a sub-track), three assigned and two unassigned work orders. */
export function smallRepo(config: Partial<Config> = {}, status = 'active') {
  return repoFrom(
    {
      'tracks/0001_FEAT_runner.md': trk('Runner', { status }),
      'tracks/0002_FIX_runner-retries.md': trk('Runner retries', { type: 'FIX', parent: 'runner', status }),
      'tracks/0003_FEAT_ui.md': trk('UI', { status }),
      'work_orders/WO-1.md': wo('WO-1', { track: 'runner', tags: '[runner]' }),
      'work_orders/WO-2.md': wo('WO-2', { track: 'runner-retries', tags: '[runner, retry]' }),
      'work_orders/WO-3.md': wo('WO-3', { track: 'ui', tags: '[ui]' }),
      'work_orders/WO-4.md': wo('WO-4', { tags: '[ui, canvas]' }),
      'work_orders/WO-5.md': wo('WO-5', { tags: '[runner]' }),
    },
    config,
  );
}
