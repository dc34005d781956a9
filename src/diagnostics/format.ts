/** Diagnostics → text. Pure formatters: (diagnostics, meta) => string. */
import type { ChalkInstance } from 'chalk';
import type { Diagnostic } from '../model/types.js';
import { mdCell, mdCode, sanitize, toJson } from '../render/sanitize.js';
import { plural } from '../render/plural.js';
import { workOrdersLine } from '../render/counts.js';
import type { WorkOrderCounts } from '../core/counts.js';

export type CheckFormat = 'stylish' | 'json' | 'github';

export interface ReportMeta {
  filesChecked: number;
  color: ChalkInstance;
  /** The repository's work orders, counted as status, list --unassigned and report count them (JSON: always; stylish: with showCounts). */
  workOrders?: WorkOrderCounts;
  showCounts?: boolean;
}

export function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return [...ds].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.col - b.col || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)));
}

export function counts(ds: Diagnostic[]) {
  let errors = 0;
  let warnings = 0;
  for (const d of ds) d.severity === 'error' ? errors++ : warnings++;
  return { errors, warnings };
}


/**
 * "No track" warnings come by the hundred in a repository that was never
 * organized, and have one remedy: past this many, stylish shows a few and a
 * count (json and github still list every one).
 */
const FOLD_UNASSIGNED_AT = 10;

export function formatStylish(ds: Diagnostic[], meta: ReportMeta): string {
  const c = meta.color;
  let sorted = sortDiagnostics(ds);
  const unassigned = sorted.filter((d) => d.code === 'wo/unassigned' && d.severity === 'warning');
  let folded = 0;
  if (unassigned.length > FOLD_UNASSIGNED_AT) {
    const keep = new Set(unassigned.slice(0, 3));
    folded = unassigned.length - keep.size;
    sorted = sorted.filter((d) => d.code !== 'wo/unassigned' || d.severity !== 'warning' || keep.has(d));
  }
  const lines: string[] = [];
  let file = '';
  for (const d of sorted) {
    // Messages quote values from the files (a title, a key): shown, never obeyed by the terminal.
    const path = sanitize(d.file);
    if (d.file !== file) {
      if (file) lines.push('');
      file = d.file;
      lines.push(c.underline(path));
    }
    const sev = d.severity === 'error' ? c.red('error  ') : c.yellow('warning');
    lines.push(`  ${c.dim(`${path}:${d.line}:${d.col}`)}  ${sev}  ${sanitize(d.message)}  ${c.dim(d.code)}`);
    if (d.hint) lines.push(`      ${c.dim('→ ' + sanitize(d.hint))}`);
  }
  const { errors, warnings } = counts(ds);
  if (folded) {
    lines.push('');
    lines.push(c.yellow(`… and ${plural(folded, 'more work order')} without a track (\`tracks list --unassigned\` lists them; \`tracks organize\` assigns them)`));
  }
  if (lines.length) lines.push('');
  const summary = `${plural(meta.filesChecked, 'file')} checked: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
  lines.push(errors ? c.red.bold(`✖ ${summary}`) : warnings ? c.yellow(`⚠ ${summary}`) : c.green(`✔ ${summary}`));
  if (meta.showCounts && meta.workOrders?.total) lines.push(c.dim(workOrdersLine(meta.workOrders)));
  return lines.join('\n') + '\n';
}

export function formatJson(ds: Diagnostic[], meta: ReportMeta): string {
  const { errors, warnings } = counts(ds);
  return (
    toJson(
      {
        version: 1,
        ok: errors === 0,
        summary: { files: meta.filesChecked, errors, warnings, ...(meta.workOrders ? { workOrders: meta.workOrders } : {}) },
        problems: sortDiagnostics(ds).map((d) => ({ file: d.file, line: d.line, col: d.col, severity: d.severity, code: d.code, message: d.message, ...(d.hint ? { hint: d.hint } : {}) })),
      },
      2,
    ) + '\n'
  );
}

const escData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escProp = (s: string) => escData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function formatGithub(ds: Diagnostic[], meta: ReportMeta): string {
  const lines = sortDiagnostics(ds).map((d) => {
    const msg = sanitize(d.hint ? `${d.message} (${d.hint})` : d.message, { multiline: true });
    return `::${d.severity} file=${escProp(sanitize(d.file))},line=${d.line},col=${d.col},title=${escProp(`tracks ${d.code}`)}::${escData(msg)}`;
  });
  const { errors, warnings } = counts(ds);
  lines.push(`${plural(meta.filesChecked, 'file')} checked: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`);
  return lines.join('\n') + '\n';
}

export function formatDiagnostics(format: CheckFormat, ds: Diagnostic[], meta: ReportMeta): string {
  return format === 'json' ? formatJson(ds, meta) : format === 'github' ? formatGithub(ds, meta) : formatStylish(ds, meta);
}

/** Markdown summary for $GITHUB_STEP_SUMMARY. */
export function markdownSummary(ds: Diagnostic[], meta: { filesChecked: number }): string {
  const { errors, warnings } = counts(ds);
  const rows = sortDiagnostics(ds)
    .slice(0, 200)
    .map((d) => `| ${d.severity} | ${mdCode(`${d.file}:${d.line}:${d.col}`, { cell: true })} | ${mdCell(d.message)} | \`${d.code}\` |`);
  return [
    `### tracks check: ${errors ? '❌' : '✅'} ${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(meta.filesChecked, 'file')}`,
    '',
    ...(rows.length ? ['| severity | where | problem | rule |', '|---|---|---|---|', ...rows] : []),
    '',
  ].join('\n');
}
