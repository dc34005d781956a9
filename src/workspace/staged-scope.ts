/**
 * `check --staged` on a claimed track's branch: staged files outside the
 * scope of the track claimed on this branch. An agent that wanders into
 * another stream's code is told at commit time. The tracks' own files (track
 * files, work orders, the config) are always in bounds.
 */
import { relative } from 'node:path';
import type { Config, Diagnostic } from '../model/types.js';
import type { RepoLocation } from '../git/location.js';
import { currentBranch } from '../git/trees.js';
import { stagedPathsFromTop } from '../git/branch.js';
import { parseTrackFile } from '../parse/source-file.js';
import { workOrderDirs } from '../core/layout.js';
import { toPosix } from '../core/paths.js';
import { CONFIG_FILE } from '../config/config.js';
import { claimsOf } from '../parallel/claims.js';
import { scopeMatcher, scopeOf } from '../parallel/scope.js';

interface TrackRefs {
  config: Config;
  trackFiles: { path: string; read(): { path: string; hash: string; bytes: Uint8Array } | undefined }[];
  prefetch(refs: TrackRefs['trackFiles']): Promise<void>;
}

const under = (path: string, dir: string) => {
  const d = dir.replace(/^\.\/|\/+$/g, '');
  return d === '' || d === '.' ? !path.includes('/') : path.startsWith(`${d}/`);
};

export async function outsideScope(g: RepoLocation & { root: string }, raw: TrackRefs, strict: boolean): Promise<Diagnostic[]> {
  const branch = await currentBranch(g.top);
  if (!branch) return [];
  await raw.prefetch(raw.trackFiles);
  const claimed = raw.trackFiles.flatMap((r) => {
    const f = r.read();
    const t = f ? parseTrackFile(f) : undefined;
    return t && t.ok && claimsOf(t).some((c) => c.branch === branch) ? [t] : [];
  });
  const scoped = claimed.map((t) => ({ t, scope: scopeOf(t.data) })).filter((x) => x.scope.include.length);
  if (!scoped.length) return [];
  const tests = scoped.map((x) => scopeMatcher(x.scope));
  const prefix = toPosix(relative(g.top, g.root));
  const own = [raw.config.tracksDir, ...workOrderDirs(raw.config)];
  const out: Diagnostic[] = [];
  for (const fromTop of await stagedPathsFromTop(g.top)) {
    const inRoot = !prefix || fromTop.startsWith(`${prefix}/`);
    const path = prefix && inRoot ? fromTop.slice(prefix.length + 1) : fromTop;
    if (inRoot && (path === CONFIG_FILE || own.some((d) => under(path, d)))) continue;
    if (inRoot && tests.some((test) => test(path))) continue;
    const names = scoped.map((x) => `"${x.t.slug}"`).join(' and ');
    const patterns = scoped.flatMap((x) => x.scope.patterns).join(', ');
    const holder = claimsOf(scoped[0]!.t).find((c) => c.branch === branch)!;
    out.push({
      file: inRoot ? path : `../${fromTop}`,
      line: 1,
      col: 1,
      severity: strict ? 'error' : 'warning',
      code: 'track/outside-scope',
      message: `staged file is outside the scope of track ${names}, claimed by ${holder.by} on this branch (${branch}): ${patterns}`,
      hint: `If the work belongs to the track, widen its scope in ${scoped[0]!.t.path}; if it belongs to another stream, unstage it (\`git restore --staged ${fromTop}\`) and commit it there.`,
    });
  }
  return out;
}
