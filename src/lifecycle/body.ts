/**
 * Sections of a track file's markdown body ("## Decisions", "## Results"):
 * reading them, and appending a line to one without touching anything else.
 * Pure.
 */
import { splitFrontMatter } from '../parse/frontmatter.js';

interface Heading {
  level: number;
  title: string;
  /** Offset of the heading line and of the line after it. */
  start: number;
  after: number;
}

function headings(body: string): Heading[] {
  const out: Heading[] = [];
  let fence: string | undefined;
  let at = 0;
  while (at < body.length) {
    let nl = body.indexOf('\n', at);
    if (nl === -1) nl = body.length;
    const line = body.slice(at, nl).replace(/\r$/, '');
    const f = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (f) {
      if (!fence) fence = f[1]![0]!;
      else if (f[1]![0] === fence) fence = undefined;
    } else if (!fence) {
      const m = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
      if (m) out.push({ level: m[1]!.length, title: m[2]!, start: at, after: Math.min(nl + 1, body.length) });
    }
    at = nl + 1;
  }
  return out;
}

function find(body: string, title: string): { heading: Heading; end: number } | undefined {
  const hs = headings(body);
  const i = hs.findIndex((h) => h.title.toLowerCase() === title.toLowerCase());
  if (i === -1) return undefined;
  const h = hs[i]!;
  const next = hs.slice(i + 1).find((x) => x.level <= h.level);
  return { heading: h, end: next ? next.start : body.length };
}

/** The text under `## title` (any heading level) up to the next heading of the same or a higher level, trimmed. */
export function sectionText(body: string, title: string): string | undefined {
  const s = find(body, title);
  if (!s) return undefined;
  const t = body.slice(s.heading.after, s.end).trim();
  return t === '' ? undefined : t;
}

/**
 * Appends `line` to the section `title` of the file's body, after its last
 * non-blank line; creates `## title` at the end of the file when absent.
 */
export function appendToSection(text: string, title: string, line: string): string {
  const split = splitFrontMatter(text);
  const bodyStart = split.kind === 'ok' ? split.fm.bodyStart : 0;
  const body = text.slice(bodyStart);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const s = find(body, title);
  if (!s) {
    const trail = body === '' ? eol : body.endsWith(eol + eol) ? '' : body.endsWith(eol) ? eol : eol + eol;
    return text + trail + `## ${title}${eol}${eol}${line}${eol}`;
  }
  const content = body.slice(s.heading.after, s.end);
  const trimmed = content.replace(/\s+$/, '');
  if (trimmed === '') {
    // empty section: a blank line after the heading, then the line, keeping what followed
    const rest = content;
    const insert = `${eol}${line}${eol}`;
    return text.slice(0, bodyStart + s.heading.after) + insert + (rest === '' && s.end < body.length ? eol : rest) + body.slice(s.end);
  }
  const at = bodyStart + s.heading.after + trimmed.length;
  return text.slice(0, at) + eol + line + text.slice(at);
}
