/**
 * Keys never leave the process in anything we print, throw or save: not in a
 * message, a hint, a saved answer, a stack or an error's cause (which
 * `--verbose` prints). Upstream text is not trusted to be clean: a server may
 * echo the key it was sent.
 */
export class Redactor {
  private readonly secrets: string[];

  constructor(secrets: readonly (string | undefined)[]) {
    // Longest first, so a key that contains another is replaced whole; very short values would redact ordinary words.
    this.secrets = [...new Set(secrets.map((s) => s?.trim() ?? '').filter((s) => s.length >= 4))].sort((a, b) => b.length - a.length);
  }

  text(s: string): string {
    let out = s;
    for (const k of this.secrets) out = out.split(k).join('[redacted]');
    return out;
  }

  /**
   * A copy of an error (and its chain of causes) with every secret replaced:
   * same name and shape for --verbose, nothing else carried over (an SDK
   * error also holds the request's headers).
   */
  error(e: unknown, depth = 0): Error {
    if (!(e instanceof Error)) return new Error(this.text(String(e)));
    const copy = new Error(this.text(e.message));
    copy.name = e.name;
    copy.stack = this.text(e.stack ?? `${e.name}: ${e.message}`);
    if (e.cause !== undefined && depth < 5) Object.defineProperty(copy, 'cause', { value: this.error(e.cause, depth + 1), enumerable: false });
    return copy;
  }
}
