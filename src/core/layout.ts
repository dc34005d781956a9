/** Where things are in a repository and which key the tool writes, from the config. Pure. */
import type { Config } from '../model/types.js';

/** The directories that hold work orders. */
export function workOrderDirs(config: Config): string[] {
  const d = config.workOrdersDir as string | string[];
  return Array.isArray(d) ? d : [d];
}

/** The one front-matter key tracks writes into a work order. */
export function trackKey(config: Config): string {
  return (config as Config & { fields?: { track?: string } }).fields?.track ?? 'track';
}
