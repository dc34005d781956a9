/**
 * One line of text from a file or from git (names, branches, subjects) for a
 * terminal or markdown: control and bidi characters shown as escapes, so a
 * value cannot move the cursor or reorder what a reader sees. Pure.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function sanitizeLine(s: string): string {
  return s.replace(UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
