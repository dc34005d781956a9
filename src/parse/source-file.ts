/** A file's bytes → a work order or a track, with the problems found reading it. Pure. */
import type { Diagnostic, SourceDoc, Track, WorkOrder } from '../model/types.js';
import { decode, decodeFrontMatter, readSource } from './document.js';
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
  return toWorkOrder(parseWorkOrderDoc(f), config);
}

/** A work order's front matter as read, with the problems met reading it: what its cache record and per-file rules are made from. */
export function parseWorkOrderDoc(f: FileBytes): SourceDoc {
  const problems: Diagnostic[] = [];
  // a work order is read for its front matter only
  const text = decodeFrontMatter(f.bytes, f.path, problems);
  const { doc } = readSource(f.path, text, f.hash);
  if (problems.length) doc.problems.unshift(...problems);
  return doc;
}

export function parseTrackFile(f: FileBytes): Track {
  const problems: Diagnostic[] = [];
  const text = decode(f.bytes, f.path, problems);
  const { doc, body } = readSource(f.path, text, f.hash, true);
  doc.problems.unshift(...problems);
  return toTrack(doc, f.path.slice(f.path.lastIndexOf('/') + 1), body);
}
