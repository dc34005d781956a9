/** Where things are in a repository and which key the tool writes, from the config. Pure. */
import type { Config } from '../model/types.js';

/** The directories that hold work orders. */
export function workOrderDirs(config: Pick<Config, 'workOrderDirs'>): string[] {
  return config.workOrderDirs.map((d) => d.path);
}

/** The one front-matter key tracks writes into a work order. */
export function trackKey(config: Pick<Config, 'fields'>): string {
  return config.fields.track;
}
