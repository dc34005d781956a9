/** The plan: what an organize run will write, as a serialisable value. Types only. */
import type { Mode, Proposal, ProposedTrack } from '../organize/types.js';

export const PLAN_VERSION = 1;

export interface FileChange {
  /** Repo-relative path, forward slashes. */
  path: string;
  action: 'create' | 'update' | 'delete';
  /** git blob id of the content this change was computed against; null for a new file. */
  baseHash: string | null;
  /** Full new content; null when deleting. */
  content: string | null;
}

export interface TrackFields {
  name: string;
  goal: string;
  type: string;
  parent: string | null;
  /** A new track's starting status (existing tracks change status through the lifecycle commands only). */
  status?: ProposedTrack['status'];
}

export interface Move {
  wo: string;
  title: string;
  path: string;
  from: string[];
  to: string[];
}

export type PlanItem =
  | { kind: 'new-track'; id: string; slug: string; fields: TrackFields; workOrders: number }
  | { kind: 'change-track'; id: string; slug: string; before: TrackFields; after: TrackFields }
  | { kind: 'merge'; id: string; from: string[]; into: string; reason: string; moves: Move[] }
  | { kind: 'retire'; id: string; slug: string; reason: string }
  | { kind: 'moves'; id: string; track: string; moves: Move[] };

export interface PlanSummary {
  newTracks: number;
  changedTracks: number;
  merges: number;
  retired: number;
  moved: number;
  files: number;
}

export interface Skipped {
  path: string;
  reason: string;
}

export interface Plan {
  version: typeof PLAN_VERSION;
  mode: Mode;
  provider?: string;
  createdAt: string;
  summary: PlanSummary;
  items: PlanItem[];
  changes: FileChange[];
  /** Work orders that could not be edited (their front matter is not valid YAML). */
  skipped: Skipped[];
  /** The (reviewed) proposal the plan was built from, for the record. */
  proposal: Proposal;
}
