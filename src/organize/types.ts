/**
 * The organize contract shared by the context builder, the providers (LLM and
 * local), proposal validation and the planner. Types only.
 */
import type { Repo } from '../model/types.js';

export type Mode = 'initial' | 'incremental' | 'reorg';

/** Mirrors schemas/proposal.schema.json. */
export interface ProposedTrack {
  slug: string;
  name: string;
  type: string;
  goal: string;
  parent: string | null;
  /** For a new track only: the status it starts in (completed when all its work is done). */
  status?: 'draft' | 'ready' | 'active' | 'paused' | 'completed';
}
export interface Assignment {
  wo: string;
  track: string;
  confidence?: number;
  reason?: string;
}
export interface Merge {
  from: string[];
  into: string;
  reason: string;
}
export interface Retire {
  slug: string;
  reason: string;
}
export interface Proposal {
  tracks: ProposedTrack[];
  assignments: Assignment[];
  merges?: Merge[];
  retire?: Retire[];
  notes?: string[];
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** Estimated cost in USD for the model used; null when unknown (a local model, a price not in the table). */
  costUsd: number | null;
  /** Why the cost is unknown, e.g. "cost unknown for a local model". */
  costNote?: string;
  requests: number;
  /** Requests whose answer carried no token counts (some local servers). */
  uncounted?: number;
}

export interface ProposeOptions {
  mode: Mode;
  /**
   * Checks a candidate proposal against the schema and the repository's rules;
   * returns the violations (empty = valid), each a sentence the model can act on.
   */
  validate: (candidate: unknown) => string[];
  /** Human progress lines ("retrying in 2s (429 rate limited)…"), for stderr. */
  onProgress?: (message: string) => void;
  signal?: AbortSignal;
  model?: string;
  maxCostUsd?: number;
}

export interface ProviderResult {
  proposal: Proposal;
  usage?: Usage;
  /** Correction rounds used (LLM). */
  rounds?: number;
}

export type ProviderName = 'anthropic' | 'openai' | 'local';

export interface Provider {
  readonly name: ProviderName;
  propose(repo: Repo, opts: ProposeOptions): Promise<ProviderResult>;
}
