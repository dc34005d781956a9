/** A file's bytes → a work order or a track, with the problems found reading it. Pure. */
import type { Diagnostic, Track, WorkOrder } from '../model/types.js';
import { decode, readSource } from './document.js';
import { toTrack, toWorkOrder } from './entities.js';
import { DEFAULT_CONFIG } from '../config/config.js';
import type { FormatConfig } from '../config/fields.js';

export interface FileBytes {
  /** Repo-relative path, forward slashes. */
  path: string;
  /** git blob id of the bytes. */
  hash: string;
  bytes: Uint8Array;
}

export function parseWorkOrderFile(f: FileBytes, config: FormatConfig = DEFAULT_CONFIG): WorkOrder {
  const problems: Diagnostic[] = [];
  const text = decode(f.bytes, f.path, problems);
  const { doc } = readSource(f.path, text, f.hash);
  doc.problems.unshift(...problems);
  return toWorkOrder(doc, config);
}

export function parseTrackFile(f: FileBytes): Track {
  const problems: Diagnostic[] = [];
  const text = decode(f.bytes, f.path, problems);
  const { doc, body } = readSource(f.path, text, f.hash, true);
  doc.problems.unshift(...problems);
  return toTrack(doc, f.path.slice(f.path.lastIndexOf('/') + 1), body);
}
