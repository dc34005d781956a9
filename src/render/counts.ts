/** The work-order counts (src/core/counts.ts) in one line, the same in `status`, `check` and the MCP overview. Pure. */
import type { WorkOrderCounts } from '../core/counts.js';

/** "Work orders: 205 (1 unreadable); 0 with a track, 204 without." */
export function workOrdersLine(c: Pick<WorkOrderCounts, 'total' | 'unreadable' | 'duplicateIds' | 'assigned' | 'unassigned'>): string {
  // Not usable: unreadable (or without an id), or a second file with an id (Backlog.md's archive reuses ids).
  const unreadable = c.unreadable - c.duplicateIds;
  const left = [unreadable > 0 ? `${unreadable} unreadable` : '', c.duplicateIds > 0 ? `${c.duplicateIds} with an id an earlier work order has` : ''].filter(Boolean).join(', ');
  return `Work orders: ${c.total}${left ? ` (${left})` : ''}; ${c.assigned} with a track, ${c.unassigned} without.`;
}
