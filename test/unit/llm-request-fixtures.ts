/** In-memory work orders, tracks and repositories for context-builder tests. */
import { DEFAULT_CONFIG } from '../../src/config/config.js';
import type { Config, Repo, SourceDoc, Track, WorkOrder } from '../../src/model/types.js';
import { toTrack, toWorkOrder } from '../../src/parse/entities.js';

function doc(path: string, data: Record<string, unknown>): SourceDoc {
  return { path, hash: 'h', data, pos: {}, keyPos: {}, start: { line: 1, col: 1 }, problems: [], ok: true };
}

export function mkWo(id: string, extra: Record<string, unknown> = {}): WorkOrder {
  return toWorkOrder(doc(`work_orders/${id}.md`, { id, title: `Work ${id}`, status: 'ready', ...extra }));
}

export function mkTrack(slug: string, extra: Record<string, unknown> = {}, number = 1): Track {
  const file = `${String(number).padStart(4, '0')}_FEAT_${slug}.md`;
  return toTrack(doc(`tracks/${file}`, { name: `Track ${slug}`, goal: `Goal of ${slug}`, type: 'FEAT', status: 'active', ...extra }), file, '');
}

export function mkRepo(workOrders: WorkOrder[], tracks: Track[] = [], config: Partial<Config> = {}): Repo {
  return { root: '/nowhere', config: { ...DEFAULT_CONFIG, ...config }, configPath: undefined, workOrders, tracks, configProblems: [] };
}

const WORDS = 'runner canvas voice chat agent budget economy deploy vm metrics dashboard kanban review tests shift handoff onboarding landing search cache'.split(' ');

/** `n` varied work orders `WO-2026-0001…`, with tags, goals and some dependencies. Deterministic. */
export function synthWos(n: number, opts: { track?: (i: number) => string | undefined; start?: number } = {}): WorkOrder[] {
  const out: WorkOrder[] = [];
  const start = opts.start ?? 1;
  for (let k = 0; k < n; k++) {
    const i = start + k;
    const a = WORDS[i % WORDS.length]!;
    const b = WORDS[(i * 7) % WORDS.length]!;
    const id = `WO-2026-${String(i).padStart(4, '0')}`;
    const t = opts.track?.(i);
    out.push(
      mkWo(id, {
        title: `${a} ${b} improvement number ${i}`,
        goal: `Make the ${a} handle ${b} cases so that users of the ${a} stop losing work when ${b} fails under load.`,
        tags: [a, b],
        depends_on: i > 3 ? [`WO-2026-${String(i - 3).padStart(4, '0')}`] : [],
        status: i % 3 ? 'done' : 'ready',
        era: i % 2 ? 'v2' : 'v1',
        ...(t ? { track: t } : {}),
      }),
    );
  }
  return out;
}
