#!/usr/bin/env node
// Shim: answer --version without loading anything, enable the compile cache
// where Node has it, then hand over to dist/main.js.
import { createRequire } from 'node:module';
import * as mod from 'node:module';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  const require = createRequire(import.meta.url);
  process.stdout.write(require('../package.json').version + '\n');
} else {
  try {
    mod.enableCompileCache?.();
  } catch {
    // best effort only
  }
  // `tracks list | head` closes the pipe early: that is not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
  const { run } = await import('../dist/main.js');
  process.exitCode = await run(argv);
}
