/** Config: defaults, and tracks.config.yaml text → Config + diagnostics. Pure. */
import { LineCounter, parseDocument } from 'yaml';
import type { Config, Diagnostic } from '../model/types.js';
import { schemaDiagnostics } from '../validate/schema-diagnostics.js';
import { validators } from '../validate/schemas.js';

export const CONFIG_FILE = 'tracks.config.yaml';
export const DEFAULT_MODEL = 'claude-sonnet-5-5';

export const DEFAULT_CONFIG: Config = Object.freeze({
  workOrdersDir: 'work_orders',
  tracksDir: 'tracks',
  topLevelLimit: 8,
  trackTypes: ['FEAT', 'EXP', 'FIX', 'REFACTOR', 'CHORE', 'RESEARCH'],
  multipleTracksPerWorkOrder: false,
  singleActiveTrack: false,
  organizeThreshold: 10,
  requireTrack: false,
  strictWorkOrderKeys: false,
  doneStatuses: ['done', 'completed', 'archived', 'deprecated', 'cancelled'],
  llm: { provider: 'auto', model: DEFAULT_MODEL, maxTokens: 16000 },
}) as Config;

/** The config file a `tracks init` writes: every key, with its default and a comment. */
export function defaultConfigText(): string {
  const d = DEFAULT_CONFIG;
  return `# tracks configuration. Every key is optional; these are the defaults.
# Schema: https://tracks.dev/schemas/config.schema.json (schemas/config.schema.json)

# Where work orders and track files live, relative to this file.
work_orders_dir: ${d.workOrdersDir}
tracks_dir: ${d.tracksDir}

# At most this many top-level tracks that are not cancelled or archived
# (one lane each in the tech tree). Finer grain goes into sub-tracks.
top_level_limit: ${d.topLevelLimit}

# organize adds top-level tracks only up to this many, leaving the rest of the
# limit for tracks you create by hand (default: top_level_limit - 1).
# organize_top_level_target: ${d.topLevelLimit - 1}

# The TYPE part of tracks/NNNN_TYPE_slug.md.
track_types: [${d.trackTypes.join(', ')}]

# May a work order belong to several tracks (track: [a, b])?
multiple_tracks_per_work_order: ${d.multipleTracksPerWorkOrder}

# Allow only one active track at a time (start/resume refuse; use switch).
single_active_track: ${d.singleActiveTrack}

# \`tracks status\` says organize is due when this many work orders have no track.
organize_threshold: ${d.organizeThreshold}

# Make "work order without a track" an error instead of a warning (for CI).
require_track: ${d.requireTrack}

# Report front matter keys tracks does not know in work orders.
strict_work_order_keys: ${d.strictWorkOrderKeys}

# Work-order statuses that count as finished for progress and \`tracks next\`.
done_statuses: [${d.doneStatuses.join(', ')}]

llm:
  # auto: Anthropic when ANTHROPIC_API_KEY is set, else the offline organizer.
  provider: ${d.llm.provider}
  model: ${d.llm.model}
  max_tokens: ${d.llm.maxTokens}
`;
}

export function parseConfig(text: string, path: string): { config: Config; problems: Diagnostic[] } {
  const problems: Diagnostic[] = [];
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  for (const e of doc.errors) {
    const p = lc.linePos(e.pos[0]);
    problems.push({ file: path, line: p.line, col: p.col, severity: 'error', code: 'config/yaml', message: e.message.split('\n')[0]! });
  }
  if (problems.length) return { config: DEFAULT_CONFIG, problems };
  const raw = (doc.toJS() ?? {}) as Record<string, unknown>;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push({ file: path, line: 1, col: 1, severity: 'error', code: 'config/schema', message: 'config must be a mapping of keys to values' });
    return { config: DEFAULT_CONFIG, problems };
  }
  const v = validators().validateConfig;
  if (!v(raw)) {
    const pos: Record<string, { line: number; col: number }> = {};
    const walk = (node: unknown, ptr: string) => {
      const n = node as { range?: number[]; items?: unknown[] } | null;
      if (!n || typeof n !== 'object') return;
      if (n.range) pos[ptr || '/'] = lc.linePos(n.range[0]!);
      for (const [i, it] of (n.items ?? []).entries()) {
        const pair = it as { key?: { value?: unknown; range?: number[] }; value?: unknown };
        if (pair && 'key' in pair && pair.key) {
          const kp = `${ptr}/${String(pair.key.value)}`;
          if (pair.key.range) pos[`key:${kp}`] = lc.linePos(pair.key.range[0]!);
          walk(pair.value, kp);
        } else walk(it, `${ptr}/${i}`);
      }
    };
    walk(doc.contents, '');
    problems.push(
      ...schemaDiagnostics(v.errors ?? [], {
        file: path,
        severity: () => 'error',
        codePrefix: 'config',
        position: (ptr, key) => (key && pos[`key:${ptr}/${key}`]) || pos[ptr] || pos[ptr.slice(0, ptr.lastIndexOf('/'))] || { line: 1, col: 1 },
      }),
    );
    return { config: DEFAULT_CONFIG, problems };
  }
  const llm = (raw.llm ?? {}) as Record<string, unknown>;
  const d = DEFAULT_CONFIG;
  const config: Config = {
    workOrdersDir: (raw.work_orders_dir as string) ?? d.workOrdersDir,
    tracksDir: (raw.tracks_dir as string) ?? d.tracksDir,
    topLevelLimit: (raw.top_level_limit as number) ?? d.topLevelLimit,
    ...(typeof raw.organize_top_level_target === 'number' ? { organizeTopLevelTarget: raw.organize_top_level_target } : {}),
    trackTypes: (raw.track_types as string[]) ?? d.trackTypes,
    multipleTracksPerWorkOrder: (raw.multiple_tracks_per_work_order as boolean) ?? d.multipleTracksPerWorkOrder,
    singleActiveTrack: (raw.single_active_track as boolean) ?? d.singleActiveTrack,
    organizeThreshold: (raw.organize_threshold as number) ?? d.organizeThreshold,
    requireTrack: (raw.require_track as boolean) ?? d.requireTrack,
    strictWorkOrderKeys: (raw.strict_work_order_keys as boolean) ?? d.strictWorkOrderKeys,
    doneStatuses: (raw.done_statuses as string[]) ?? d.doneStatuses,
    llm: {
      provider: (llm.provider as Config['llm']['provider']) ?? d.llm.provider,
      model: (llm.model as string) ?? d.llm.model,
      maxTokens: (llm.max_tokens as number) ?? d.llm.maxTokens,
    },
  };
  if (config.organizeTopLevelTarget !== undefined && config.organizeTopLevelTarget > config.topLevelLimit) {
    const p = pos0(doc, lc, 'organize_top_level_target');
    problems.push({
      file: path,
      ...p,
      severity: 'error',
      code: 'config/schema',
      message: `organize_top_level_target (${config.organizeTopLevelTarget}) is above top_level_limit (${config.topLevelLimit})`,
      hint: `Use at most ${config.topLevelLimit}; the default, ${Math.max(1, config.topLevelLimit - 1)}, leaves one lane free.`,
    });
  }
  for (const [k, dir] of [['work_orders_dir', config.workOrdersDir], ['tracks_dir', config.tracksDir]] as const) {
    if (dir.startsWith('/') || dir.split(/[\\/]/).includes('..')) {
      const p = pos0(doc, lc, k);
      problems.push({ file: path, ...p, severity: 'error', code: 'config/schema', message: `${k} must be a path inside the repository`, hint: 'Use a relative path without "..".' });
    }
  }
  return { config: problems.length ? DEFAULT_CONFIG : config, problems };
}

function pos0(doc: ReturnType<typeof parseDocument>, lc: LineCounter, key: string) {
  const node = doc.get(key, true) as { range?: number[] } | undefined;
  return node?.range ? lc.linePos(node.range[0]!) : { line: 1, col: 1 };
}
