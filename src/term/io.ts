/** The process edge: streams, environment and terminal facts, passed in so commands stay testable. */
export interface IO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Both stdin and stdout are terminals (prompts allowed). */
  interactive: boolean;
  /** stdout is a terminal (colour, width). */
  isTTY: boolean;
  columns: number;
}

export function processIO(): IO {
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY) && !process.env.CI;
  return {
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    env: process.env,
    cwd: process.cwd(),
    interactive,
    isTTY: Boolean(process.stdout.isTTY),
    columns: process.stdout.columns || 100,
  };
}
