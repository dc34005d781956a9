/**
 * Every diagnostic `check` can report, once: its code, severity and meaning.
 * Codes are stable. The README's table is rendered from this list, and
 * test/unit/error-catalogue.test.ts holds every code the source emits to it.
 */
export interface RuleSpec {
  severity: 'error' | 'warning' | 'error or warning';
  title: string;
}

export const RULES: Record<string, RuleSpec> = {
  'frontmatter/missing': { severity: 'error', title: 'the file does not start with a `---` front matter block' },
  'frontmatter/unclosed': { severity: 'error', title: 'the front matter block is never closed' },
  'frontmatter/language': { severity: 'error', title: 'a `---js` or other non-YAML block (reported, never executed)' },
  'frontmatter/not-mapping': { severity: 'error', title: 'the front matter is not a mapping of keys to values' },
  'frontmatter/too-large': { severity: 'error', title: 'the front matter is larger than the tool reads' },
  'yaml/syntax': { severity: 'error', title: 'invalid YAML' },
  'yaml/duplicate-key': { severity: 'error', title: 'a key given twice' },
  'yaml/reserved-indicator': { severity: 'warning', title: 'a plain value starting with `@` or a backtick, which YAML reserves (read as text; quote it)' },
  'yaml/too-complex': { severity: 'error', title: 'YAML too deeply nested or with too many aliases to read safely' },
  'file/encoding': { severity: 'error', title: 'bytes (or a file name) that are not UTF-8' },
  'file/not-regular': { severity: 'error', title: 'a FIFO, socket, device, directory or submodule where a file is expected: never opened' },
  'file/symlink': { severity: 'error', title: 'a symbolic link inside the repository (a file or a directory): not followed' },
  'file/link-outside': { severity: 'error', title: 'a symbolic link that leads out of the repository (or a directory that is one): never followed' },
  'file/too-large': { severity: 'error', title: 'a file larger than tracks reads (4 MB)' },
  'file/unreadable': { severity: 'error', title: 'a file or directory that cannot be opened (permissions)' },
  'config/yaml': { severity: 'error', title: 'tracks.config.yaml is not valid YAML' },
  'config/schema': { severity: 'error', title: 'a config value of the wrong type or shape; a directory outside the repository or inside `.git`' },
  'config/unknown-key': { severity: 'warning', title: 'a config key tracks does not know (with a did-you-mean); the other keys still apply' },
  'wo/schema': { severity: 'error', title: 'a work-order value of the wrong type or shape' },
  'wo/unknown-track': { severity: 'error', title: '`track:` names a track that does not exist (with a did-you-mean)' },
  'wo/duplicate-id': { severity: 'error or warning', title: 'two work orders share an id (a warning when one is in an archive directory and the other is not)' },
  'wo/multiple-tracks': { severity: 'error', title: 'several tracks while the config allows one' },
  'wo/unassigned': { severity: 'error or warning', title: 'work order without a track (an error with `--require-track` or `require_track`)' },
  'wo/unknown-dependency': { severity: 'warning', title: '`depends_on` names an id that is not a work order here (matched as `id_matching` says)' },
  'wo/unknown-parent': { severity: 'warning', title: 'the parent reference (`parent`, or the key the config maps it to) names no work order here' },
  'wo/dependency-cycle': { severity: 'warning', title: '`depends_on` loops' },
  'wo/list-item-mapping': { severity: 'warning', title: 'an unquoted `text: more text` list item, which YAML reads as a mapping' },
  'wo/unknown-key': { severity: 'warning', title: 'a key tracks does not know, with `strict_work_order_keys`' },
  'track/schema': { severity: 'error or warning', title: 'a track value of the wrong type or shape (an unknown key is a warning)' },
  'track/file-name': { severity: 'error', title: 'file name not `NNNN_TYPE_slug.md`' },
  'track/name-mismatch': { severity: 'error', title: 'the file name disagrees with the front matter (type or slug)' },
  'track/duplicate-number': { severity: 'error', title: 'two tracks share a number (two branches added tracks)' },
  'track/duplicate-slug': { severity: 'error', title: 'two tracks share a slug' },
  'track/unknown-parent': { severity: 'error', title: '`parent:` names a track that does not exist' },
  'track/parent-cycle': { severity: 'error', title: '`parent:` loops' },
  'track/top-level-limit': { severity: 'error', title: 'more top-level tracks than the limit (cancelled and archived ones do not count)' },
  'track/retired-with-open-work': { severity: 'error', title: 'a cancelled or archived track still holds open work orders (not for the losers of a decided experiment)' },
  'track/retired-parent': { severity: 'error', title: 'a live sub-track under a cancelled or archived parent' },
  'track/empty': { severity: 'warning', title: 'a live track with no work orders and no sub-tracks' },
  'track/multiple-active': { severity: 'error', title: 'more than one active track with `single_active_track` (claimed tracks do not count with `claims.parallel`)' },
  'track/claim-conflict': { severity: 'error', title: 'a track claimed by two workers at once (two branches that each claimed it were merged)' },
  'track/scope-overlap': { severity: 'warning', title: 'the `scope` globs of two live (active or claimed) tracks match a common path' },
  'track/outside-scope': { severity: 'error or warning', title: 'a staged file outside the scope of the track claimed on this branch (`check --staged`; an error with `--strict-scope`)' },
  'track/unknown-type': { severity: 'error', title: 'a track type that is not configured' },
  'track/experiment-type': { severity: 'warning', title: 'an `experiment:` on a track that is not EXP' },
  'track/no-hypothesis': { severity: 'warning', title: 'an experiment track without a hypothesis' },
};

export function ruleTableMarkdown(): string {
  const rows = Object.entries(RULES).map(([code, r]) => `| \`${code}\` | ${r.severity} | ${r.title} |`);
  return ['| code | severity | what |', '|---|---|---|', ...rows].join('\n');
}
