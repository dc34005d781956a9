import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
export const VERSION: string = (require('../package.json') as { version: string }).version;

/** Fingerprint of the built code (written by the build); "dev" when running from sources. */
export const BUILD_ID: string = (() => {
  try {
    return (require('./build-id.json') as { id: string }).id;
  } catch {
    return 'dev';
  }
})();
