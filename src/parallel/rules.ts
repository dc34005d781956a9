/** check's rules for parallel work: two live claims of one track, overlapping scopes of live tracks. Pure. */
import type { Config, Diagnostic, Track } from '../model/types.js';
import { posOf } from '../parse/document.js';
import { isRetired } from '../core/status.js';
import { claimsOf, describeClaim } from './claims.js';
import { scopeOf, scopeOverlap } from './scope.js';

function at(t: Track, pointer: string, severity: Diagnostic['severity'], code: string, message: string, hint: string): Diagnostic {
  const p = t.pos[pointer] ? posOf(t, pointer) : { line: 1, col: 1 };
  return { file: t.path, line: p.line, col: p.col, severity, code, message, hint };
}

/** Live tracks: active, or claimed by someone, and not finished. */
export function isLive(t: Track): boolean {
  if (isRetired(t) || t.status === 'completed' || t.status === 'failed') return false;
  return t.status === 'active' || claimsOf(t).length > 0;
}

export function parallelDiagnostics(tracks: Track[], _config: Config): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const t of tracks) {
    if (!t.ok) continue;
    const live = claimsOf(t);
    if (live.length < 2) continue;
    out.push(
      at(
        t,
        t.pos['/claimed_by'] ? '/claimed_by' : '/history',
        'error',
        'track/claim-conflict',
        `track is claimed ${live.length} times at once: ${live.map(describeClaim).join('; ')}`,
        `Branches that each claimed it were merged. Agree who keeps it, then end the other claim with \`tracks release ${t.slug} --as "${live[1]!.by}" --reason "…"\`.`,
      ),
    );
  }
  const scoped = tracks.filter((t) => t.ok && isLive(t)).map((t) => ({ t, scope: scopeOf(t.data) })).filter((x) => x.scope.include.length);
  for (let i = 0; i < scoped.length; i++) {
    for (let j = i + 1; j < scoped.length; j++) {
      const a = scoped[i]!;
      const b = scoped[j]!;
      if (a.t.slug === b.t.slug) continue;
      const o = scopeOverlap(a.scope, b.scope);
      if (!o) continue;
      const except = [...a.scope.exclude, ...b.scope.exclude];
      out.push(
        at(
          b.t,
          '/scope',
          'warning',
          'track/scope-overlap',
          `scope overlaps live track "${a.t.slug}": both match ${o.pattern}${except.length ? ` (except ${except.join(', ')})` : ''}, e.g. ${o.example} (${o.b} here, ${o.a} there)`,
          'Two streams that edit the same code will conflict when they merge: narrow one scope (add a `!` exclusion), or run them one after the other.',
        ),
      );
    }
  }
  return out;
}
