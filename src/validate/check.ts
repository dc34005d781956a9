/**
 * The whole check as a function of the loaded repository: per-file diagnostics
 * (which the loader takes from the cache when it can) plus the cross-file
 * rules. Pure.
 */
import type { Config, Diagnostic, Track, WorkOrder } from '../model/types.js';
import { trackDiagnostics } from './files.js';
import { crossFileDiagnostics, type RuleOptions } from './rules.js';

export interface CheckInput {
  config: Config;
  configProblems: Diagnostic[];
  workOrders: WorkOrder[];
  tracks: Track[];
  /** Per-file diagnostics of a work order (`workOrderDiagnostics`, or the cached answer). */
  fileDiagnostics(w: WorkOrder): Diagnostic[];
}

export function runCheck(input: CheckInput, opts: RuleOptions = {}): Diagnostic[] {
  const diagnostics: Diagnostic[] = [...input.configProblems];
  for (const w of input.workOrders) for (const x of input.fileDiagnostics(w)) diagnostics.push(x);
  for (const t of input.tracks) for (const x of trackDiagnostics(t, input.config)) diagnostics.push(x);
  for (const x of crossFileDiagnostics(input.workOrders, input.tracks, input.config, opts)) diagnostics.push(x);
  return diagnostics;
}
