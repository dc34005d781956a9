/**
 * The `yaml` package, loaded on first use: importing it costs ~50 ms, and a
 * run whose front matter the fast reader (or the cache) answers never needs it.
 */
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

const require = createRequire(import.meta.url);
let mod: typeof Yaml | undefined;

export function yaml(): typeof Yaml {
  return (mod ??= require('yaml') as typeof Yaml);
}
