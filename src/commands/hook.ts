import { Command } from 'commander';
import { lstatSync, readFileSync, rmSync, type Stats } from 'node:fs';
import { writeOutputFile } from '../fs/output.js';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Ctx } from '../cli/ctx.js';
import { err } from '../cli/ctx.js';
import { TracksError } from '../errors/index.js';

export const HOOK_MARKER = '# installed by `tracks hook install`';

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The tracks that installs the hook: the fallback when the repository has no tracks of its own on the path. */
const INSTALLER = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'tracks.js');

/**
 * The hook git runs from the top of the work tree. `sub` is where the
 * repository's tracks.config.yaml is, relative to that top, when it is not the
 * top itself (a monorepo package): the hook checks there, as `tracks check`
 * run in that directory would.
 */
export function hookScript(sub = '', installer = INSTALLER): string {
  const where = sub ? ` -C "$root"/${shellQuote(sub)}` : '';
  return `#!/bin/sh
${HOOK_MARKER}: validates staged work orders and tracks.
# Remove with \`tracks hook uninstall\`; skip once with \`git commit --no-verify\`.
root=$(git rev-parse --show-toplevel) || exit 1
if [ -x "$root/node_modules/.bin/tracks" ]; then
  exec "$root/node_modules/.bin/tracks"${where} check --staged
elif command -v tracks >/dev/null 2>&1; then
  exec tracks${where} check --staged
elif [ -f ${shellQuote(installer)} ]; then
  exec node ${shellQuote(installer)}${where} check --staged
else
  exec npx --no-install tracks${where} check --staged
fi
`;
}

/** What is at the hook's path, without following a link or opening anything but a regular file. */
function existing(file: string): { kind: 'none' } | { kind: 'file'; text: string } | { kind: 'other'; what: string } {
  let st: Stats;
  try {
    st = lstatSync(file);
  } catch {
    return { kind: 'none' };
  }
  if (st.isSymbolicLink()) return { kind: 'other', what: 'a symbolic link' };
  if (!st.isFile()) return { kind: 'other', what: 'not a regular file' };
  return { kind: 'file', text: readFileSync(file, 'utf8') };
}

/** The hook's path as a person finds it: relative inside the repository, absolute elsewhere (~/.hooks-x, another work tree's git directory). */
function shownPath(root: string, file: string): string {
  const rel = relative(root, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/** Where git looks for hooks (core.hooksPath expanded as git does, or the common git directory's hooks/), from git itself. */
function hooksDir(ctx: Ctx): { dir: string; viaConfig: boolean } {
  const git = ctx.git();
  if (!git) throw new TracksError('NOT_A_GIT_REPO', `${ctx.root()} is not in a git repository`, { hint: 'Run `git init` first.' });
  return { dir: git.hooksDir, viaConfig: git.hooksDir !== join(git.commonDir, 'hooks') };
}

export default function hook(ctx: Ctx): Command {
  const cmd = new Command('hook')
    .description('Install or remove the pre-commit hook that runs `tracks check --staged`.')
    .addHelpText('after', '\nExamples:\n  $ tracks hook install\n  $ tracks hook uninstall');
  cmd
    .command('install')
    .description('Install the pre-commit hook (respects core.hooksPath; never overwrites a foreign hook).')
    .option('--force', 'replace an existing tracks hook even if it was edited')
    .addHelpText(
      'after',
      `
Examples:
  $ tracks hook install
  $ tracks hook uninstall

With husky, add \`npx --no-install tracks check --staged\` to .husky/pre-commit instead.
With the pre-commit framework, use the hook id "tracks-check" from this package's .pre-commit-hooks.yaml.`,
    )
    .action(async (opts: { force?: boolean }) => {
      const root = ctx.root();
      const { dir, viaConfig } = hooksDir(ctx);
      const file = join(dir, 'pre-commit');
      const shown = shownPath(root, file);
      const script = hookScript(relative(ctx.git()!.top, root).split('\\').join('/'));
      const found = existing(file);
      if (found.kind === 'other') {
        throw new TracksError('FOREIGN_HOOK', `${shown} is ${found.what}, not a hook tracks wrote; leaving it alone`, {
          hint: 'Add `npx --no-install tracks check --staged` to the hook it leads to yourself (or use the pre-commit framework hook "tracks-check").',
        });
      }
      if (found.kind === 'file') {
        const current = found.text;
        if (!current.includes(HOOK_MARKER)) {
          throw new TracksError('FOREIGN_HOOK', `${shown} already exists and was not written by tracks`, {
            hint: 'Add this line to it yourself: `npx --no-install tracks check --staged` (or use the pre-commit framework hook "tracks-check").',
          });
        }
        if (current === script) {
          err(ctx, `The tracks pre-commit hook is already installed at ${shown}.`);
          return;
        }
        if (!opts.force) {
          throw new TracksError('HOOK_EDITED', `${shown} is a tracks hook that was edited`, { hint: 'Pass --force to replace it.' });
        }
      }
      writeOutputFile(file, script, { mode: 0o755 });
      err(ctx, `Installed pre-commit hook at ${shown}${viaConfig ? ' (core.hooksPath)' : ''}: it runs \`tracks check --staged\`.`);
    });
  cmd
    .command('uninstall')
    .description('Remove the pre-commit hook if tracks installed it.')
    .addHelpText('after', '\nExamples:\n  $ tracks hook uninstall   (a hook tracks did not write is left alone)')
    .action(async () => {
      const root = ctx.root();
      const { dir } = hooksDir(ctx);
      const file = join(dir, 'pre-commit');
      const shown = shownPath(root, file);
      const found = existing(file);
      if (found.kind === 'none') {
        err(ctx, 'No pre-commit hook is installed.');
        return;
      }
      if (found.kind === 'other' || !found.text.includes(HOOK_MARKER)) {
        throw new TracksError('FOREIGN_HOOK', `${shown} was not written by tracks; leaving it alone`);
      }
      rmSync(file);
      err(ctx, `Removed ${shown}.`);
    });
  return cmd;
}
