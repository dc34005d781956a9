/**
 * Front matter splitting with exact offsets. We do not use gray-matter here:
 * it evaluates `---js` blocks as code, hides the byte offsets the lossless
 * writer needs, and turns a missing closing fence into "the whole file is YAML".
 */

export interface FrontMatter {
  /** The YAML text between the fences (may be empty). */
  yaml: string;
  /** Offset of the first YAML character in the original text. */
  yamlStart: number;
  /** Offset just past the YAML (start of the closing fence line). */
  yamlEnd: number;
  /** Offset of the first body character (after the closing fence line). */
  bodyStart: number;
  /** 1-based line of the first YAML line. */
  firstLine: number;
  /** Text after the opening `---` on the same line (e.g. "js"), trimmed. */
  lang: string;
}

export type SplitResult =
  | { kind: 'ok'; fm: FrontMatter }
  | { kind: 'none' }
  | { kind: 'unclosed'; line: number }
  | { kind: 'language'; lang: string }
  /** No closing fence within `maxYaml` characters of the opening one. */
  | { kind: 'too-large'; line: number };

const OPEN = /^---([^\r\n]*)(\r?\n|$)/;

/**
 * Finds the front matter block. With `maxYaml`, gives up looking for the
 * closing fence after that many characters, so a huge file without one is not
 * scanned to its end.
 */
export function splitFrontMatter(text: string, maxYaml = Infinity): SplitResult {
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const open = OPEN.exec(bom ? text.slice(1) : text);
  if (!open) return { kind: 'none' };
  const lang = open[1]!.trim();
  // `--- # comment` is fine YAML-wise and `---yaml` names YAML; anything else names
  // another language (`---js` is code to gray-matter): never read, never run.
  if (lang !== '' && !lang.startsWith('#') && !/^ya?ml$/i.test(lang)) return { kind: 'language', lang };
  const yamlStart = bom + open[0].length;
  if (open[2] === '') return { kind: 'unclosed', line: 1 };
  // Find a line that is exactly `---` or `...` (trailing blanks allowed).
  let lineStart = yamlStart;
  while (lineStart <= text.length) {
    if (lineStart - yamlStart > maxYaml) return { kind: 'too-large', line: 1 };
    let nl = text.indexOf('\n', lineStart);
    if (nl === -1) nl = text.length;
    let lineEnd = nl;
    if (lineEnd > lineStart && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    const c0 = text.charCodeAt(lineStart);
    if ((c0 === 45 || c0 === 46) && lineEnd - lineStart >= 3) {
      const line = text.slice(lineStart, lineEnd);
      if (/^(?:---|\.\.\.)[ \t]*$/.test(line)) {
        return {
          kind: 'ok',
          fm: {
            yaml: text.slice(yamlStart, lineStart),
            yamlStart,
            yamlEnd: lineStart,
            bodyStart: nl === text.length ? nl : nl + 1,
            firstLine: 2,
            lang,
          },
        };
      }
    }
    if (nl === text.length) break;
    lineStart = nl + 1;
  }
  return { kind: 'unclosed', line: 1 };
}

/** 1-based line number of an offset, counting from `from` (whose line is `fromLine`). */
export function lineOf(text: string, offset: number, from = 0, fromLine = 1): number {
  let line = fromLine;
  for (let i = from; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
