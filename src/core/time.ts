/** `2026-11-21T10:00:00Z`: seconds are enough for files people read. The clock is passed in. */
export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
