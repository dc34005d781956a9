/** Config: defaults, and tracks.config.yaml text → Config + diagnostics. Pure. */
import { LineCounter, parseDocument } from 'yaml';
import type { Config, Diagnostic } from '../model/types.js';
import { schemaDiagnostics } from '../validate/schema-diagnostics.js';
import { validators } from '../validate/schemas.js';
import { didYouMean } from '../core/did-you-mean.js';
import { DEFAULT_CLAIMS, parseClaimsConfig } from './claims.js';

export const CONFIG_FILE = 'tracks.config.yaml';

const TOP_KEYS = ['work_orders_dir', 'tracks_dir', 'top_level_limit', 'track_types', 'multiple_tracks_per_work_order', 'single_active_track', 'organize_threshold', 'require_track', 'strict_work_order_keys', 'done_statuses', 'claims', 'llm'];
const LLM_KEYS = ['provider', 'model', 'max_tokens', 'base_url', 'timeout_seconds', 'request_timeout_seconds'];
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
  claims: DEFAULT_CLAIMS,
  llm: { provider: 'auto', model: DEFAULT_MODEL, maxTokens: 16000, timeoutSeconds: 300, requestTimeoutSeconds: 120 },
}) as Config;

/** The config file a `tracks init` writes: every key, with its default and a comment. */
export function defaultConfigText(): string {
  const d = DEFAULT_CONFIG;
  return `# tracks configuration. Every key is optional; these are the defaults.
# Every key is described in the "Configuration" section of the tracks README;
# \`tracks check\` validates this file.

# Where work orders and track files live, relative to this file.
work_orders_dir: ${d.workOrdersDir}
tracks_dir: ${d.tracksDir}

# At most this many top-level tracks that are not cancelled or archived
# (one lane each in the tech tree). Finer grain goes into sub-tracks.
top_level_limit: ${d.topLevelLimit}

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
  const pos = positions(doc, lc);
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
      const inLlm = d.message.includes(' in llm');
      problems.push({ ...d, code: 'config/unknown-key', message: `unknown key "${inLlm ? 'llm.' : ''}${key}" is ignored`, hint: didYouMean(key, inLlm ? LLM_KEYS : TOP_KEYS) ?? `Known keys: ${(inLlm ? LLM_KEYS : TOP_KEYS).join(', ')}.` });
    }
    if (problems.some((d) => d.severity === 'error')) return { config: DEFAULT_CONFIG, problems };
  }
  const llm = (raw.llm ?? {}) as Record<string, unknown>;
  const d = DEFAULT_CONFIG;
  const config: Config = {
    workOrdersDir: (raw.work_orders_dir as string) ?? d.workOrdersDir,
    tracksDir: (raw.tracks_dir as string) ?? d.tracksDir,
    topLevelLimit: (raw.top_level_limit as number) ?? d.topLevelLimit,
    trackTypes: (raw.track_types as string[]) ?? d.trackTypes,
    multipleTracksPerWorkOrder: (raw.multiple_tracks_per_work_order as boolean) ?? d.multipleTracksPerWorkOrder,
    singleActiveTrack: (raw.single_active_track as boolean) ?? d.singleActiveTrack,
    organizeThreshold: (raw.organize_threshold as number) ?? d.organizeThreshold,
    requireTrack: (raw.require_track as boolean) ?? d.requireTrack,
    strictWorkOrderKeys: (raw.strict_work_order_keys as boolean) ?? d.strictWorkOrderKeys,
    doneStatuses: (raw.done_statuses as string[]) ?? d.doneStatuses,
    claims: parseClaimsConfig((raw.claims ?? {}) as Record<string, unknown>),
    llm: {
      provider: (llm.provider as Config['llm']['provider']) ?? d.llm.provider,
      model: (llm.model as string) ?? d.llm.model,
      maxTokens: (llm.max_tokens as number) ?? d.llm.maxTokens,
      ...(typeof llm.base_url === 'string' ? { baseUrl: llm.base_url } : {}),
      timeoutSeconds: (llm.timeout_seconds as number) ?? d.llm.timeoutSeconds,
      requestTimeoutSeconds: (llm.request_timeout_seconds as number) ?? d.llm.requestTimeoutSeconds,
    },
  };
  for (const [k, dir] of [['work_orders_dir', config.workOrdersDir], ['tracks_dir', config.tracksDir]] as const) {
    const parts = dir.split(/[\\/]/);
    if (dir.startsWith('/') || parts.includes('..')) {
      const p = pos0(doc, lc, k);
      problems.push({ file: path, ...p, severity: 'error', code: 'config/schema', message: `${k} must be a path inside the repository`, hint: 'Use a relative path without "..".' });
    } else if (parts.some((s) => s.toLowerCase() === '.git')) {
      const p = pos0(doc, lc, k);
      problems.push({ file: path, ...p, severity: 'error', code: 'config/schema', message: `${k} must not be inside .git`, hint: "git's own directory holds no work orders or tracks." });
    }
  }
  return { config: problems.some((d) => d.severity === 'error') ? DEFAULT_CONFIG : config, problems };
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

function pos0(doc: ReturnType<typeof parseDocument>, lc: LineCounter, key: string) {
  const node = doc.get(key, true) as { range?: number[] } | undefined;
  return node?.range ? lc.linePos(node.range[0]!) : { line: 1, col: 1 };
}
