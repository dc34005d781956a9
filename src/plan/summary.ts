/**
 * What a plan will do, computed from its changes alone (never from the
 * summary or items a plan file carries, which could say anything). Pure.
 */
import type { ChangePlan } from './types.js';

export function summarizeChanges(plan: ChangePlan): string[] {
  const byValue = new Map<string, string[]>();
  const created: string[] = [];
  const updated: string[] = [];
  const deleted: string[] = [];
  for (const c of plan.changes) {
    if (c.action === 'set-key') {
      const v = c.value === null ? `remove ${c.key}` : `${c.key} → ${Array.isArray(c.value) ? c.value.join(', ') : c.value}`;
      byValue.set(v, [...(byValue.get(v) ?? []), c.path]);
    } else if (c.action === 'create') created.push(c.path);
    else if (c.action === 'update') updated.push(c.path);
    else deleted.push(c.path);
  }
  const n = (k: number, one: string) => `${k} ${one}${k === 1 ? '' : 's'}`;
  const lines = [`${/^[aeio]/.test(plan.kind) ? 'An' : 'A'} ${plan.kind} plan: ${n(plan.changes.length, 'file')} to change.`];
  for (const [v, paths] of [...byValue].sort((a, b) => b[1].length - a[1].length)) lines.push(`  ${n(paths.length, 'work order')}: ${v}`);
  for (const [what, list] of [['create', created], ['update', updated], ['delete', deleted]] as const) {
    if (!list.length) continue;
    lines.push(`  ${what} ${list.slice(0, 8).join(', ')}${list.length > 8 ? ` and ${list.length - 8} more` : ''}`);
  }
  return lines;
}
