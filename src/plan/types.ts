/**
 * The change plan: what a command will write, as a serialisable value. Every
 * command that changes the repository builds one and hands it to the one apply
 * path (src/apply/apply.ts). Types only.
 */
import type { Mode, Proposal, ProposedTrack } from '../organize/types.js';

export const PLAN_VERSION = 2;

/** Which command made the plan; it bounds what the plan may change (src/plan/verify.ts). */
export type ChangeKind = 'organize' | 'assign' | 'unassign' | 'create' | 'transition' | 'pick' | 'init' | 'rename' | 'claim' | 'release' | 'doctor';

/** A value of the one key the tool writes into a work order (null removes the key). */
export type KeyValue = string | string[] | null;

/**
 * One file's change, computed against the content whose git blob id is
 * `baseHash` (null: the file must not exist). A work order is only ever
 * changed by `set-key`: apply recomputes the edit from the current file and
 * the value, so a plan cannot carry any other change to a work order.
 */
export type FileChange =
  | { path: string; action: 'set-key'; baseHash: string; key: string; value: KeyValue }
  | { path: string; action: 'create'; baseHash: null; content: string }
  | { path: string; action: 'update'; baseHash: string; content: string }
  | { path: string; action: 'delete'; baseHash: string };

export interface ChangePlan {
  version: typeof PLAN_VERSION;
  kind: ChangeKind;
  createdAt: string;
  /** The commit message. */
  message: string;
  changes: FileChange[];
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

/** An organize plan: the change plan plus the reviewable items it came from. */
export interface Plan extends ChangePlan {
  kind: 'organize';
  mode: Mode;
  provider?: string;
  summary: PlanSummary;
  items: PlanItem[];
  /** Work orders that could not be edited (their front matter is not valid YAML). */
  skipped: Skipped[];
  /** The (reviewed) proposal the plan was built from, for the record. */
  proposal: Proposal;
}
