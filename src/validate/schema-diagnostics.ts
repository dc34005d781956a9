/** ajv errors → human diagnostics with positions. Pure. */
import type { Diagnostic, Pos, Severity } from '../model/types.js';
import type { AjvError } from './schemas.js';

export interface SchemaDiagOptions {
  file: string;
  codePrefix: string;
  severity: (e: AjvError, path: string) => Severity;
  /** Position for a JSON pointer; `key` names an offending property (unknown key). */
  position: (pointer: string, key?: string) => Pos;
  /**
   * The pointer as the file spells it, when the data was validated under other
   * names (a work order's `labels` validated as `tags`): messages and positions
   * use it, hints go by the validated name.
   */
  rename?: (pointer: string) => string;
  /** A hint for this error that the generic ones do not know. */
  hint?: (pointer: string, e: AjvError) => string | undefined;
}

function describePath(pointer: string): string {
  if (!pointer) return 'front matter';
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s, i) => (/^\d+$/.test(s) && i > 0 ? `[${s}]` : i > 0 ? `.${s}` : s))
    .join('');
}

/** Collapse ajv's noise: for oneOf/anyOf keep the branch errors only when nothing better exists. */
export function schemaDiagnostics(errors: AjvError[], o: SchemaDiagOptions): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  const byPath = new Map<string, AjvError[]>();
  for (const e of errors) {
    const list = byPath.get(e.instancePath) ?? [];
    list.push(e);
    byPath.set(e.instancePath, list);
  }
  const rename = o.rename ?? ((p: string) => p);
  for (const [path, list] of byPath) {
    // For a union, one clear message beats three branch messages.
    const union = list.find((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
    const chosen = union ? [union] : list.filter((e) => !(e.keyword === 'type' && list.some((x) => x.keyword === 'enum')));
    const shown = rename(path);
    for (const e of chosen) {
      const what = describePath(shown);
      let message: string;
      let hint: string | undefined;
      let key: string | undefined;
      switch (e.keyword) {
        case 'required': {
          const ptr = rename(`${path}/${String(e.params.missingProperty).replace(/~/g, '~0').replace(/\//g, '~1')}`);
          const missing = ptr.slice(ptr.lastIndexOf('/') + 1).replace(/~1/g, '/').replace(/~0/g, '~');
          message = `missing required key "${missing}"`;
          hint = `Add "${missing}:" to the front matter.`;
          break;
        }
        case 'additionalProperties':
          key = String(e.params.additionalProperty);
          message = `unknown key "${key}"${path ? ` in ${what}` : ''}`;
          hint = 'Remove it or check its spelling.';
          break;
        case 'enum':
          message = `${what} must be one of: ${(e.params.allowedValues as unknown[]).join(', ')}`;
          break;
        case 'type':
          message = `${what} must be ${article(String(e.params.type))}`;
          if (String(e.params.type) === 'string' && path.match(/\/\d+$/)) hint = 'Quote the item: a plain "text: more text" is read by YAML as a mapping.';
          break;
        case 'pattern':
          message = `${what} has an invalid format`;
          hint = patternHint(String(e.params.pattern));
          break;
        case 'minLength':
          message = `${what} must not be empty`;
          break;
        case 'maxLength':
          message = `${what} must be at most ${String(e.params.limit)} characters`;
          break;
        case 'minimum':
        case 'maximum':
          message = `${what} must be ${e.keyword === 'minimum' ? '>=' : '<='} ${String(e.params.limit)}`;
          break;
        case 'minItems':
          message = `${what} must have at least ${String(e.params.limit)} item(s)`;
          break;
        case 'uniqueItems':
          message = `${what} must not repeat items`;
          break;
        case 'anyOf':
        case 'oneOf':
          message = `${what} has the wrong shape`;
          hint = unionHint(path);
          break;
        default:
          message = `${what} ${e.message ?? 'is invalid'}`;
      }
      hint = o.hint?.(path, e) ?? hint;
      const p = o.position(shown, key);
      const id = `${p.line}:${p.col}:${message}`;
      if (seen.has(id)) continue;
      seen.add(id);
      out.push({
        file: o.file,
        line: p.line,
        col: p.col,
        severity: o.severity(e, path),
        code: `${o.codePrefix}/schema`,
        message,
        ...(hint ? { hint } : {}),
      });
    }
  }
  return out;
}

function article(t: string): string {
  const words: Record<string, string> = {
    string: 'a string',
    integer: 'an integer',
    number: 'a number',
    boolean: 'true or false',
    array: 'a list',
    object: 'a mapping',
    null: 'empty',
  };
  return t
    .split(',')
    .map((x) => words[x] ?? x)
    .join(' or ');
}

function patternHint(pattern: string): string | undefined {
  if (pattern.includes('[a-z0-9]+(?:-[a-z0-9]+)*')) return 'Use a slug: lowercase letters, digits and single hyphens, e.g. "runner-reliability".';
  if (pattern.includes('[A-Z][A-Z0-9]*')) return 'Use an upper-case type such as FEAT, EXP, FIX or REFACTOR.';
  if (pattern.startsWith('^\\d{4}-')) return 'Use an ISO date or timestamp, e.g. 2026-11-21 or 2026-11-21T10:00:00Z.';
  if (pattern.startsWith('^#')) return 'Use a colour such as "#4e79a7" (quoted: # starts a comment in YAML).';
  return `Must match ${pattern}.`;
}

function unionHint(path: string): string | undefined {
  if (path.endsWith('/track')) return 'Use a track slug, e.g. "track: runner-reliability" (or a list of slugs when the config allows several).';
  if (path.endsWith('/parent')) return 'Use the slug of the parent track, or leave it empty.';
  if (path.endsWith('/depends_on')) return 'Use a list of work-order ids.';
  if (path.endsWith('/tags')) return 'Use a list of tags.';
  if (/\/work_orders_dir\/\d+$/.test(path)) return 'Use a directory, or { path: <directory>, status: <status> }.';
  if (path.endsWith('/color')) return 'Use a colour such as "#4e79a7" (quoted: # starts a comment in YAML).';
  return undefined;
}
