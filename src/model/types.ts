/** Shared value types. No behaviour lives here. */

export interface Pos {
  /** 1-based line in the file. */
  line: number;
  /** 1-based column. */
  col: number;
}

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  /** Path relative to the repository root, with forward slashes. */
  file: string;
  line: number;
  col: number;
  severity: Severity;
  /** Stable rule code, e.g. `track/unknown-parent`. */
  code: string;
  message: string;
  hint?: string;
}

export const TRACK_STATUSES = [
  'draft',
  'ready',
  'active',
  'paused',
  'completed',
  'failed',
  'cancelled',
  'archived',
] as const;
export type TrackStatus = (typeof TRACK_STATUSES)[number];

/** Statuses that no longer count against the top-level limit. */
export const RETIRED_STATUSES: readonly TrackStatus[] = ['cancelled', 'archived'];

/** A parsed markdown file with front matter, shared by work orders and tracks. */
export interface SourceDoc {
  /** Path relative to the repository root, forward slashes. */
  path: string;
  /** Content hash (git blob id when read from git, sha1 of bytes otherwise). */
  hash: string;
  /** Front matter as plain data; `{}` when absent or unreadable. */
  data: Record<string, unknown>;
  /** JSON pointer ("/key", "/key/0") → position in the file. */
  pos: Record<string, Pos>;
  /** Position of each top-level key itself (for "unknown key" style messages). */
  keyPos: Record<string, Pos>;
  /** Position of the opening fence (or 1:1). */
  start: Pos;
  /** Problems found while reading (YAML errors, encoding, fences). */
  problems: Diagnostic[];
  /** Whether front matter was found and parsed into a mapping. */
  ok: boolean;
}

export interface WorkOrder extends SourceDoc {
  kind: 'work-order';
  id: string | undefined;
  title: string | undefined;
  status: string | undefined;
  /** Track slugs (normalised to a list; empty when unassigned). */
  tracks: string[];
  /** Dependency references as written; `resolveDependency` (core/deps) says which work order each one means. */
  dependsOn: string[];
  tags: string[];
  goal: string | undefined;
  /** Rank: 1 is the most urgent; a priority word ranks like its level's number. */
  priority: number | undefined;
  /** The priority word as written, when it was a word (`high`); undefined for integers. */
  priorityWord: string | undefined;
  estimateHours: number | undefined;
  era: string | undefined;
  /** Reference to a parent work order (Backlog.md's `parent_task_id`), as written. */
  parent: string | undefined;
  created: string | undefined;
}

export interface Track extends SourceDoc {
  kind: 'track';
  /** From the file name. */
  number: number | undefined;
  fileType: string | undefined;
  slug: string;
  name: string | undefined;
  goal: string | undefined;
  type: string | undefined;
  status: TrackStatus | string | undefined;
  parent: string | undefined;
  color: string | undefined;
  experiment: string | undefined;
  hypothesis: string | undefined;
  body: string;
}

/** What tracks reads from a work order, each under the key the repository uses for it. */
export const FIELD_NAMES = ['id', 'title', 'goal', 'tags', 'depends_on', 'status', 'priority', 'era', 'estimate_hours', 'parent', 'created', 'track'] as const;
export type FieldName = (typeof FIELD_NAMES)[number];

export interface WorkOrderDir {
  /** Relative to the repository root, forward slashes, no trailing slash. */
  path: string;
  /** The status every work order in this directory has, whatever its file says. */
  status?: string;
  /** Retired work orders whose ids may be reused: a duplicate id here is a warning, and references mean the other one. */
  archive?: boolean;
}

export type PresetName = 'default' | 'backlog-md';

export interface Config {
  preset: PresetName;
  /** The first of `workOrderDirs` (messages name it). */
  workOrdersDir: string;
  workOrderDirs: WorkOrderDir[];
  /** Field → front-matter key; `track` is the key tracks writes. */
  fields: Record<FieldName, string>;
  /** Priority words by level, most urgent first, lower-cased: level n ranks like the integer n. Empty: integers only. */
  priorities: string[][];
  /** How dependency (and parent) references find work orders beyond an exact id. */
  idMatching: { ignoreCase: boolean; prefixes: string[] };
  /** Statuses that are neither done nor free to pick up (`next` counts them instead of offering them). */
  heldStatuses: string[];
  tracksDir: string;
  topLevelLimit: number;
  /** Top-level tracks organize fills up to (`organize_top_level_target`); unset: one below the limit. */
  organizeTopLevelTarget?: number;
  trackTypes: string[];
  multipleTracksPerWorkOrder: boolean;
  singleActiveTrack: boolean;
  organizeThreshold: number;
  requireTrack: boolean;
  strictWorkOrderKeys: boolean;
  doneStatuses: string[];
  /** Parallel work (`claims:` in the config); defaults when absent (src/config/claims.ts). */
  claims?: ClaimsConfig;
  llm: {
    provider: 'auto' | 'anthropic' | 'openai' | 'local';
    model: string;
    maxTokens: number;
    /** OpenAI-compatible server (llm.base_url); OPENAI_BASE_URL when unset. */
    baseUrl?: string;
    /** Deadline for all LLM requests of one organize run. */
    timeoutSeconds: number;
    /** Longest wait for one request's answer to start or to go on arriving. */
    requestTimeoutSeconds: number;
  };
}

export interface ClaimsConfig {
  /** Branch name template: {slug}, {type}, {number}, {name}. */
  branch: string;
  /** Work-tree directory template, relative to the main work tree: {repo}, {slug}, {type}, {number}, {name}. */
  worktree: string;
  /** Base branch; undefined: main, else master, else the current branch. */
  base?: string;
  /** Claimed tracks may be active together even with single_active_track. */
  parallel: boolean;
}

export interface Repo {
  root: string;
  config: Config;
  /** Where the config came from, if a file. */
  configPath: string | undefined;
  workOrders: WorkOrder[];
  tracks: Track[];
  /** Diagnostics about the config file itself. */
  configProblems: Diagnostic[];
  /** Files that were not read (links, FIFOs, sockets, devices, too large): one diagnostic each, with its path. */
  fileProblems?: Diagnostic[];
  /**
   * `workOrderDiagnostics` of one of these work orders, as the loader knows
   * them (from the cache, without reading the file again). Absent: compute them.
   */
  fileDiagnostics?: (w: WorkOrder) => Diagnostic[];
}
