/** Config: defaults, and tracks.config.yaml text → Config + diagnostics. Pure. */
import type { LineCounter, parseDocument } from 'yaml';
import { yaml } from '../parse/yaml.js';
import { fastParseYaml } from '../parse/fastyaml.js';
import type { Config, Diagnostic, FieldName, PresetName, WorkOrderDir } from '../model/types.js';
import { FIELD_NAMES } from '../model/types.js';
import { DEFAULT_FIELDS } from './fields.js';
import { DEFAULT_HELD_STATUSES, withPreset } from './presets.js';
import { schemaDiagnostics } from '../validate/schema-diagnostics.js';
import { validators } from '../validate/schemas.js';
import { didYouMean } from '../core/did-you-mean.js';
import { DEFAULT_CLAIMS, parseClaimsConfig } from './claims.js';

export const CONFIG_FILE = 'tracks.config.yaml';

const TOP_KEYS = ['preset', 'work_orders_dir', 'tracks_dir', 'top_level_limit', 'organize_top_level_target', 'track_types', 'multiple_tracks_per_work_order', 'single_active_track', 'organize_threshold', 'require_track', 'strict_work_order_keys', 'done_statuses', 'held_statuses', 'fields', 'priorities', 'id_matching', 'claims', 'llm'];
const NESTED_KEYS: Record<string, readonly string[]> = {
  llm: ['provider', 'model', 'max_tokens', 'base_url', 'timeout_seconds', 'request_timeout_seconds'],
  fields: FIELD_NAMES,
  id_matching: ['ignore_case', 'prefixes'],
  claims: ['branch', 'worktree', 'base', 'parallel'],
};
export const DEFAULT_MODEL = 'claude-sonnet-5-5';

export const DEFAULT_CONFIG: Config = Object.freeze({
  preset: 'default',
  workOrdersDir: 'work_orders',
  workOrderDirs: [{ path: 'work_orders' }],
  tracksDir: 'tracks',
  topLevelLimit: 8,
  trackTypes: ['FEAT', 'EXP', 'FIX', 'REFACTOR', 'CHORE', 'RESEARCH'],
  multipleTracksPerWorkOrder: false,
  singleActiveTrack: false,
  organizeThreshold: 10,
  requireTrack: false,
  strictWorkOrderKeys: false,
  doneStatuses: ['done', 'completed', 'archived', 'deprecated', 'cancelled'],
  heldStatuses: DEFAULT_HELD_STATUSES,
  fields: DEFAULT_FIELDS,
  priorities: [],
  idMatching: { ignoreCase: false, prefixes: [] },
  claims: DEFAULT_CLAIMS,
  llm: { provider: 'auto', model: DEFAULT_MODEL, maxTokens: 16000, timeoutSeconds: 300, requestTimeoutSeconds: 120 },
}) as Config;

/** The config file a `tracks init` writes: every key, with its default and a comment. */
export function defaultConfigText(): string {
  const d = DEFAULT_CONFIG;
  return `# tracks configuration. Every key is optional; these are the defaults.
# Every key is described in the "Configuration" section of the tracks README;
# \`tracks check\` validates this file.

# The format of the work orders: default (this project's own), or backlog-md for a
# Backlog.md repository. Keys below override what the preset sets.
preset: ${d.preset}

# Where work orders and track files live, relative to this file. work_orders_dir
# may be a list; an entry { path: done, status: done } gives every work order in
# that directory that status.
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

# Statuses that are not done but not free to pick up: \`tracks next\` counts them.
held_statuses: [${d.heldStatuses.join(', ')}]

# Priorities are integers (1 is the most urgent). To write words, list them most
# urgent first; a level may have several names:
# priorities: [[critical, P0], [high, P1], [medium, P2], [low, P3]]

# The key your work orders use for each field tracks reads, when it is not the
# field's own name; track is the key tracks writes. For example:
# fields: { tags: labels, depends_on: dependencies, parent: parent_task_id }

# Let dependencies find ids written in another case or with an older prefix
# (task-208 for BACK-208, or just 208):
# id_matching: { ignore_case: true, prefixes: [back, task] }

# Parallel work (\`tracks claim\`): the branch a claim creates, where --worktree
# puts its work tree ({repo} is the main work tree's directory name), the base
# branch track branches come back to (default: main, else master), and whether
# claimed tracks may be active at once even with single_active_track.
claims:
  branch: ${DEFAULT_CLAIMS.branch}
  worktree: ${DEFAULT_CLAIMS.worktree}
  # base: main
  parallel: ${DEFAULT_CLAIMS.parallel}

llm:
  # auto: Anthropic when ANTHROPIC_API_KEY is set, else an OpenAI-compatible
  # server when base_url or OPENAI_BASE_URL is set, else the offline organizer.
  # Also: anthropic, openai, local.
  provider: ${d.llm.provider}
  model: ${d.llm.model}
  max_tokens: ${d.llm.maxTokens}
  # An OpenAI-compatible server (Ollama, LM Studio, vLLM, llama.cpp), e.g.:
  # base_url: http://localhost:11434/v1
  # Deadline for all requests of one organize run, and for one silent request.
  timeout_seconds: ${d.llm.timeoutSeconds}
  request_timeout_seconds: ${d.llm.requestTimeoutSeconds}
`;
}

/**
 * The config \`tracks init\` writes for a preset other than the default: the
 * preset, the repository's own differences from it, and the general keys.
 */
export function presetConfigText(preset: PresetName, overrides: Record<string, unknown> = {}, why = ''): string {
  if (preset === 'default') return defaultConfigText();
  const d = DEFAULT_CONFIG;
  const extra = Object.entries(overrides).map(([k, v]) => `${k}: ${flow(v)}`);
  return `# tracks configuration. Every key is described in the "Configuration" section of the tracks README.
${why ? `# ${why}\n` : ''}
# The ${preset} preset sets where the work orders are, which keys hold what
# tracks reads, the priority words, the statuses that count as done and how ids
# are matched (README: "Using tracks with other formats"). Keys set here override it.
preset: ${preset}
${extra.length ? `\n# Where this repository differs from the preset:\n${extra.join('\n')}\n` : ''}
tracks_dir: ${d.tracksDir}
top_level_limit: ${d.topLevelLimit}
track_types: [${d.trackTypes.join(', ')}]
multiple_tracks_per_work_order: ${d.multipleTracksPerWorkOrder}
single_active_track: ${d.singleActiveTrack}
organize_threshold: ${d.organizeThreshold}
require_track: ${d.requireTrack}
strict_work_order_keys: ${d.strictWorkOrderKeys}

llm:
  # auto: Anthropic when ANTHROPIC_API_KEY is set, else an OpenAI-compatible
  # server when base_url or OPENAI_BASE_URL is set, else the offline organizer.
  provider: ${d.llm.provider}
  model: ${d.llm.model}
  max_tokens: ${d.llm.maxTokens}
`;
}

/** One line of YAML flow style for a small value. */
function flow(v: unknown): string {
  return new (yaml().Document)(v).toString({ collectionStyle: 'flow', lineWidth: 0, flowCollectionPadding: true }).trim();
}

export function parseConfig(text: string, path: string): { config: Config; problems: Diagnostic[] } {
  // A config the fast reader reads, with nothing to say about it, needs no `yaml` package
  // (loading it costs about 30 ms of every first run); anything to report is read again exactly, for its positions.
  const fast = fastParseYaml(text);
  if (fast) {
    const r = configFromData(fast.data, path, {});
    if (r.problems.length === 0) return r;
  }
  const problems: Diagnostic[] = [];
  const { LineCounter, parseDocument } = yaml();
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
  return configFromData(raw, path, positions(doc, lc));
}

/** The config a mapping stands for, and what is wrong with it (positioned by `pos`: pointer → line and column). */
function configFromData(raw: Record<string, unknown>, path: string, pos: Record<string, { line: number; col: number }>): { config: Config; problems: Diagnostic[] } {
  const problems: Diagnostic[] = [];
  const at = (...ptrs: string[]) => {
    for (const p of ptrs) if (pos[p]) return pos[p]!;
    return { line: 1, col: 1 };
  };
  const v = validators().validateConfig;
  if (!v(raw)) {
    const diags = schemaDiagnostics(v.errors ?? [], {
      file: path,
      severity: (e) => (e.keyword === 'additionalProperties' ? 'warning' : 'error'),
      codePrefix: 'config',
      position: (ptr, key) => (key && pos[`key:${ptr}/${key}`]) || pos[ptr] || pos[ptr.slice(0, ptr.lastIndexOf('/'))] || { line: 1, col: 1 },
    });
    for (const d of diags) {
      if (d.severity !== 'warning') {
        problems.push(d);
        continue;
      }
      // An unknown key is a warning: it does not stop the keys that are right from applying.
      const key = /unknown key "([^"]*)"/.exec(d.message)?.[1] ?? '';
      const inside = / in ([a-z_]+)$/.exec(d.message)?.[1];
      const known = (inside && NESTED_KEYS[inside]) || TOP_KEYS;
      problems.push({ ...d, code: 'config/unknown-key', message: `unknown key "${inside ? `${inside}.` : ''}${key}" is ignored`, hint: didYouMean(key, [...known]) ?? `Known keys: ${known.join(', ')}.` });
    }
    if (problems.some((d) => d.severity === 'error')) return { config: DEFAULT_CONFIG, problems };
  }
  const preset = (raw.preset as PresetName | undefined) ?? 'default';
  const merged = withPreset(raw, preset);
  const llm = (merged.llm ?? {}) as Record<string, unknown>;
  const d = DEFAULT_CONFIG;
  const dirs = dirEntries(merged.work_orders_dir) ?? d.workOrderDirs;
  const fields = { ...d.fields, ...((merged.fields ?? {}) as Partial<Record<FieldName, string>>) };
  const matching = (merged.id_matching ?? {}) as { ignore_case?: boolean; prefixes?: string[] };
  const config: Config = {
    preset,
    workOrdersDir: dirs[0]!.path,
    workOrderDirs: dirs,
    tracksDir: normDir((merged.tracks_dir as string) ?? d.tracksDir),
    topLevelLimit: (merged.top_level_limit as number) ?? d.topLevelLimit,
    ...(typeof merged.organize_top_level_target === 'number' ? { organizeTopLevelTarget: merged.organize_top_level_target } : {}),
    trackTypes: (merged.track_types as string[]) ?? d.trackTypes,
    multipleTracksPerWorkOrder: (merged.multiple_tracks_per_work_order as boolean) ?? d.multipleTracksPerWorkOrder,
    singleActiveTrack: (merged.single_active_track as boolean) ?? d.singleActiveTrack,
    organizeThreshold: (merged.organize_threshold as number) ?? d.organizeThreshold,
    requireTrack: (merged.require_track as boolean) ?? d.requireTrack,
    strictWorkOrderKeys: (merged.strict_work_order_keys as boolean) ?? d.strictWorkOrderKeys,
    doneStatuses: (merged.done_statuses as string[]) ?? d.doneStatuses,
    heldStatuses: (merged.held_statuses as string[]) ?? d.heldStatuses,
    fields,
    priorities: ((merged.priorities ?? []) as (string | string[])[]).map((l) => (Array.isArray(l) ? l : [l])),
    idMatching: { ignoreCase: matching.ignore_case ?? d.idMatching.ignoreCase, prefixes: matching.prefixes ?? d.idMatching.prefixes },
    claims: parseClaimsConfig((merged.claims ?? {}) as Record<string, unknown>),
    llm: {
      provider: (llm.provider as Config['llm']['provider']) ?? d.llm.provider,
      model: (llm.model as string) ?? d.llm.model,
      maxTokens: (llm.max_tokens as number) ?? d.llm.maxTokens,
      ...(typeof llm.base_url === 'string' ? { baseUrl: llm.base_url } : {}),
      timeoutSeconds: (llm.timeout_seconds as number) ?? d.llm.timeoutSeconds,
      requestTimeoutSeconds: (llm.request_timeout_seconds as number) ?? d.llm.requestTimeoutSeconds,
    },
  };
  const bad = (p: { line: number; col: number }, message: string, hint: string) => problems.push({ file: path, ...p, severity: 'error', code: 'config/schema', message, hint });
  const dirsFromFile = raw.work_orders_dir !== undefined;
  const checkDir = (key: string, dir: string, p: { line: number; col: number }) => {
    const parts = dir.split(/[\\/]/);
    if (dir.startsWith('/') || /^[A-Za-z]:/.test(dir) || parts.includes('..')) bad(p, `${key} must be a path inside the repository`, 'Use a relative path without "..".');
    else if (parts.some((s) => s.toLowerCase() === '.git')) bad(p, `${key} must not be inside .git`, "git's own directory holds no work orders or tracks.");
  };
  dirs.forEach((e, i) => {
    const ptr = Array.isArray(raw.work_orders_dir) ? `/work_orders_dir/${i}` : '/work_orders_dir';
    checkDir('work_orders_dir', e.path, dirsFromFile ? at(`${ptr}/path`, ptr) : at('/preset'));
  });
  checkDir('tracks_dir', config.tracksDir, at('/tracks_dir'));
  const seenDir = new Set<string>();
  dirs.forEach((e, i) => {
    if (seenDir.has(e.path)) bad(at(`/work_orders_dir/${i}`), `work_orders_dir lists ${e.path} twice`, 'List each directory once.');
    seenDir.add(e.path);
  });
  // The key tracks writes must be its own: writing into a key another field reads would change that field.
  const shared = FIELD_NAMES.find((f) => f !== 'track' && fields[f] === fields.track);
  if (shared) bad(at('/fields/track', '/fields', '/preset'), `fields.track is "${fields.track}", the key that ${shared} is read from`, 'tracks writes the track into its own key; pick another name for fields.track.');
  const words = new Map<string, number>();
  config.priorities.forEach((level, i) => {
    for (const w of level) {
      if (words.has(w.toLowerCase())) bad(at(`/priorities/${i}/${level.indexOf(w)}`, `/priorities/${i}`, '/priorities'), `priority "${w}" is listed twice`, 'Each word names one level; matching ignores case.');
      words.set(w.toLowerCase(), i);
    }
  });
  if (config.organizeTopLevelTarget !== undefined && config.organizeTopLevelTarget > config.topLevelLimit) {
    const p = at('/organize_top_level_target');
    problems.push({
      file: path,
      ...p,
      severity: 'error',
      code: 'config/schema',
      message: `organize_top_level_target (${config.organizeTopLevelTarget}) is above top_level_limit (${config.topLevelLimit})`,
      hint: `Use at most ${config.topLevelLimit}; the default, ${Math.max(1, config.topLevelLimit - 1)}, leaves one lane free.`,
    });
  }
  return { config: problems.some((x) => x.severity === 'error') ? DEFAULT_CONFIG : config, problems };
}

/** `work_orders_dir` as written (a string, or a list of strings and entries) → entries. */
function dirEntries(v: unknown): WorkOrderDir[] | undefined {
  if (v === undefined) return undefined;
  const list = Array.isArray(v) ? v : [v];
  return list.map((x) => {
    if (typeof x === 'string') return { path: normDir(x) };
    const e = x as { path: string; status?: string; archive?: boolean };
    return { path: normDir(e.path), ...(e.status !== undefined ? { status: e.status } : {}), ...(e.archive ? { archive: true } : {}) };
  });
}

/** `./backlog/tasks/` → `backlog/tasks`: the form paths are compared in. */
function normDir(dir: string): string {
  const d = dir.replace(/\\/g, '/').replace(/\/+$/, '').replace(/^(\.\/)+/, '').replace(/\/{2,}/g, '/');
  return d === '' ? '.' : d;
}

/** JSON pointer → position of each node, and `key:<pointer>` → position of each key. */
function positions(doc: ReturnType<typeof parseDocument>, lc: LineCounter): Record<string, { line: number; col: number }> {
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
  return pos;
}
