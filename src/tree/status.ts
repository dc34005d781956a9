/**
 * How a work-order status looks in every renderer. Statuses are free text in
 * real repositories, so they fall into a few categories; the glyph carries the
 * meaning when colour is off.
 */
export type StatusCategory = 'done' | 'review' | 'active' | 'ready' | 'backlog' | 'draft' | 'parked' | 'retired' | 'unknown';

export interface StatusStyle {
  category: StatusCategory;
  glyph: string;
  /** Terminal colour name (a chalk method). */
  term: 'green' | 'yellow' | 'cyan' | 'blue' | 'gray' | 'magenta' | 'white';
  /** HTML/Mermaid fill and stroke. */
  fill: string;
  stroke: string;
  /** Node text colour on that fill. */
  ink: string;
}

const STYLES: Record<StatusCategory, StatusStyle> = {
  done: { category: 'done', glyph: '✓', term: 'green', fill: '#dcefd8', stroke: '#3f8f3a', ink: '#1d3b1a' },
  review: { category: 'review', glyph: '◐', term: 'yellow', fill: '#fff1c2', stroke: '#b58900', ink: '#3d2f00' },
  active: { category: 'active', glyph: '▶', term: 'blue', fill: '#d6e6fb', stroke: '#1f5fbf', ink: '#0d2a57' },
  ready: { category: 'ready', glyph: '○', term: 'cyan', fill: '#ffffff', stroke: '#2a8a9c', ink: '#0f3640' },
  backlog: { category: 'backlog', glyph: '·', term: 'white', fill: '#f1f1f1', stroke: '#8a8a8a', ink: '#333333' },
  draft: { category: 'draft', glyph: '✎', term: 'gray', fill: '#f7f7f7', stroke: '#b0b0b0', ink: '#555555' },
  parked: { category: 'parked', glyph: '‖', term: 'magenta', fill: '#f3e3f3', stroke: '#8e4b8e', ink: '#3b1a3b' },
  retired: { category: 'retired', glyph: '×', term: 'gray', fill: '#ececec', stroke: '#a0a0a0', ink: '#6b6b6b' },
  unknown: { category: 'unknown', glyph: '?', term: 'white', fill: '#ffffff', stroke: '#555555', ink: '#222222' },
};

const BY_NAME: Record<string, StatusCategory> = {
  done: 'done',
  completed: 'done',
  complete: 'done',
  closed: 'done',
  merged: 'done',
  shipped: 'done',
  you_review: 'review',
  review: 'review',
  in_review: 'review',
  needs_review: 'review',
  active: 'active',
  in_progress: 'active',
  doing: 'active',
  building: 'active',
  wip: 'active',
  ready: 'ready',
  todo: 'ready',
  to_do: 'ready',
  open: 'ready',
  backlog: 'backlog',
  planned: 'backlog',
  draft: 'draft',
  idea: 'draft',
  parked: 'parked',
  blocked: 'parked',
  paused: 'parked',
  on_hold: 'parked',
  archived: 'retired',
  deprecated: 'retired',
  cancelled: 'retired',
  canceled: 'retired',
  wontfix: 'retired',
  "won't_do": 'retired',
  wont_do: 'retired',
  superseded: 'retired',
};

/** `doneStatuses` from the config wins over the built-in names, so a team's own "shipped" counts as done. */
export function statusCategory(status: string | undefined, doneStatuses: readonly string[] = []): StatusCategory {
  if (!status) return 'unknown';
  const key = status.trim().toLowerCase().replace(/[\s-]+/g, '_');
  const known = BY_NAME[key];
  if (known) return known;
  return doneStatuses.includes(status) ? 'done' : 'unknown';
}

export function statusStyle(category: StatusCategory): StatusStyle {
  return STYLES[category];
}

/** Legend order: roughly the life of a work order. */
export const CATEGORY_ORDER: StatusCategory[] = ['done', 'review', 'active', 'ready', 'backlog', 'draft', 'parked', 'retired', 'unknown'];
