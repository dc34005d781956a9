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
  dependsOn: string[];
  tags: string[];
  priority: number | undefined;
  estimateHours: number | undefined;
  era: string | undefined;
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

export interface Config {
  workOrdersDir: string;
  tracksDir: string;
  topLevelLimit: number;
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
}
