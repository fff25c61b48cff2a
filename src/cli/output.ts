export type OutputMode = 'interactive' | 'plain' | 'json';

/** One pure choice of how to print: `--json` for programs, live output on a terminal, plain in a pipe. */
export function chooseOutputMode(options: { json?: boolean; isTTY: boolean; env: Record<string, string | undefined> }): OutputMode {
  if (options.json) return 'json';
  if (!options.isTTY || options.env.CI === 'true' || options.env.TERM === 'dumb') return 'plain';
  return 'interactive';
}

export function useColor(mode: OutputMode, env: Record<string, string | undefined>): boolean {
  return mode === 'interactive' && env.NO_COLOR === undefined;
}

/** Where a command writes; tests pass buffers. */
export interface Io {
  cwd: string;
  env: Record<string, string | undefined>;
  isTTY: boolean;
  out(text: string): void;
  err(text: string): void;
}

export function processIo(): Io {
  return {
    cwd: process.cwd(),
    env: { ...process.env },
    isTTY: Boolean(process.stdout.isTTY),
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : text + '\n'),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : text + '\n'),
  };
}

export function printJson(io: Io, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}
