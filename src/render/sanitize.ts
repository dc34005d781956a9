/**
 * Text from a repository (titles, goals, tags, slugs, file names) and from an
 * LLM is data written by strangers. Before it reaches a person it is made
 * harmless and visible here, in one place. Pure.
 *
 * - Terminal control: C0 controls (ESC, CR, BS, BEL, …) become their Unicode
 *   control pictures (ESC → ␛, CR → ␍, BS → ␈); DEL, the C1 controls
 *   (U+0080–U+009F, which some terminals read as CSI/OSC) and the bidi
 *   overrides and isolates (U+202A–U+202E, U+2066–U+2069, which reorder what
 *   a reader sees) become `\u009b`-style escapes. A newline stays only where
 *   the renderer allows it; in a one-line field a newline or tab is a space.
 * - JSON: JSON.stringify already escapes C0; `toJson` also escapes DEL, C1 and
 *   the bidi controls as `\uXXXX`, so the text is still exact JSON (it parses
 *   back to the same values) and holds no byte a terminal acts on.
 * - Markdown: `mdText` also escapes HTML (`<script>` stays text in a pull request).
 */

/** Everything a terminal or a bidi renderer acts on. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_G = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
/** The characters toJson escapes beyond what JSON.stringify does. */
const JSON_EXTRA_G = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const hex4 = (cp: number) => `\\u${cp.toString(16).padStart(4, '0')}`;

function visible(ch: string, multiline: boolean): string {
  const cp = ch.charCodeAt(0);
  if (ch === '\n') return multiline ? '\n' : ' ';
  if (ch === '\t') return multiline ? '\t' : ' ';
  if (cp < 0x20) return String.fromCharCode(0x2400 + cp); // ␀ … ␟ (ESC is ␛, CR ␍, BS ␈)
  // DEL, C1 and bidi as JSON-style escapes: readable, and inside a JSON string
  // the same escape means the same character, so the guard never changes what JSON says.
  return hex4(cp);
}

/**
 * One value, safe to print: control characters and bidi overrides made
 * visible. `multiline` keeps newlines and tabs (for a goal or a body shown as
 * a block); otherwise the result is one line.
 */
export function sanitize(s: string, opts: { multiline?: boolean } = {}): string {
  if (!UNSAFE.test(s)) return s;
  const multiline = Boolean(opts.multiline);
  return s.replace(/\r\n/g, multiline ? '\n' : ' ').replace(UNSAFE_G, (ch) => visible(ch, multiline));
}

/** `sanitize` for a value that may not be a string (undefined stays undefined). */
export function clean<T extends string | undefined | null>(s: T, opts: { multiline?: boolean } = {}): T {
  return (typeof s === 'string' ? sanitize(s, opts) : s) as T;
}

/** True when `s` holds nothing a terminal acts on (newlines and tabs allowed). */
export function isSafe(s: string): boolean {
  return !/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(s);
}

/** JSON.stringify, with DEL, C1 and bidi controls escaped too: exact JSON, nothing a terminal acts on. */
export function toJson(value: unknown, indent: number | undefined = 2): string {
  const text = JSON.stringify(value, null, indent);
  return text === undefined ? 'null' : text.replace(JSON_EXTRA_G, (ch) => hex4(ch.charCodeAt(0)));
}

/** A tool-made colour or style (SGR): ESC [ digits ; … m. */
const SGR = /\u001b\[[0-9;]*m/y;

/**
 * The last guard at the process edge, over whole chunks of output: every
 * control character except newline and tab is made visible, and when colour
 * is on, the tool's own SGR colour sequences pass. Renderers sanitize the
 * values they print (so text from a file cannot bring its own colours); this
 * makes sure nothing that slipped past a renderer reaches the terminal as a
 * command. Idempotent, and a no-op on JSON from toJson.
 */
export function guardOutput(text: string, opts: { sgr: boolean }): string {
  if (isSafe(text)) return text;
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const cp = text.charCodeAt(i);
    if (cp === 10 || cp === 9) continue;
    const unsafe = cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
    if (!unsafe) continue;
    if (cp === 0x1b && opts.sgr) {
      SGR.lastIndex = i;
      const m = SGR.exec(text);
      if (m) {
        i += m[0].length - 1;
        continue;
      }
    }
    out += text.slice(last, i) + visible(text[i]!, true);
    last = i + 1;
  }
  return out + text.slice(last);
}

/**
 * Text for markdown (a pull request, a wiki, a context pack): sanitized, and
 * HTML escaped so a title cannot become a tag or an entity. `&` is escaped
 * only where it would start an entity, so "R&D" stays readable.
 */
export function mdText(s: string, opts: { multiline?: boolean } = {}): string {
  return sanitize(s, opts)
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** One markdown table cell: one line, `|` escaped. */
export function mdCell(s: string): string {
  return mdText(s).replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
}

/**
 * An inline code span that holds `s` whatever it contains: the fence is one
 * backtick longer than the longest run inside (CommonMark), so a backtick in a
 * slug cannot close the span and let HTML after it render.
 */
export function mdCode(s: string, opts: { cell?: boolean } = {}): string {
  let t = sanitize(s).replace(/\s+/g, ' ');
  // Inside a table a `|` ends the cell even in a code span; GFM takes `\|` there.
  if (opts.cell) t = t.replace(/\|/g, '\\|');
  const runs = t.match(/`+/g) ?? [];
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = t.startsWith('`') || t.endsWith('`') || (t.startsWith(' ') && t.endsWith(' ') && t.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}
