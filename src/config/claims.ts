/** The `claims:` config group (parallel work) and its defaults. Pure. */
import type { ClaimsConfig, Config } from '../model/types.js';

export const DEFAULT_CLAIMS: ClaimsConfig = Object.freeze({ branch: 'tracks/{slug}', worktree: '../{repo}-{slug}', parallel: false });

/** The group as validated by the schema; missing keys take their defaults. */
export function parseClaimsConfig(raw: Record<string, unknown>): ClaimsConfig {
  return {
    branch: typeof raw.branch === 'string' ? raw.branch : DEFAULT_CLAIMS.branch,
    worktree: typeof raw.worktree === 'string' ? raw.worktree : DEFAULT_CLAIMS.worktree,
    ...(typeof raw.base === 'string' ? { base: raw.base } : {}),
    parallel: typeof raw.parallel === 'boolean' ? raw.parallel : DEFAULT_CLAIMS.parallel,
  };
}

export function claimsConfig(config: Config): ClaimsConfig {
  return config.claims ?? DEFAULT_CLAIMS;
}

/** Fills `{key}` placeholders; unknown ones stay as written. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{([a-z]+)\}/g, (m, k: string) => values[k] ?? m);
}
