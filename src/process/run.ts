// The one process runner: execa, chosen for argument arrays without a shell, timeouts with
// SIGTERM-then-SIGKILL, and killing children when crewtree exits.
import { execa, type Options as ExecaOptions } from 'execa';

export interface RunOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  /** Replace the environment instead of extending process.env. */
  extendEnv?: boolean;
  input?: string;
  /** Milliseconds before SIGTERM; SIGKILL follows after `killGraceMs`. */
  timeoutMs?: number;
  killGraceMs?: number;
  /** Exit codes that are not failures (default: only 0). */
  okExitCodes?: number[];
  signal?: AbortSignal;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** A spawned program that failed: carries everything needed to explain it. */
export class ProcessError extends Error {
  readonly command: string;
  readonly exitCode: number | undefined;
  readonly signal: string | undefined;
  readonly timedOut: boolean;
  readonly stdout: string;
  readonly stderr: string;

  constructor(init: { command: string; exitCode?: number; signal?: string; timedOut: boolean; stdout: string; stderr: string }) {
    const why = init.timedOut ? 'timed out' : init.signal ? `was killed by ${init.signal}` : `exited with ${init.exitCode}`;
    super(`${init.command} ${why}${tailOf(init.stderr) ? `: ${tailOf(init.stderr)}` : ''}`);
    this.name = 'ProcessError';
    this.command = init.command;
    this.exitCode = init.exitCode;
    this.signal = init.signal;
    this.timedOut = init.timedOut;
    this.stdout = init.stdout;
    this.stderr = init.stderr;
  }
}

export function tailOf(text: string, lines = 5): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

export async function runProcess(file: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const execaOptions: ExecaOptions = {
    cwd: options.cwd,
    env: options.env,
    extendEnv: options.extendEnv ?? true,
    input: options.input,
    stdin: options.input === undefined ? 'ignore' : undefined,
    reject: false,
    stripFinalNewline: false,
    timeout: options.timeoutMs,
    forceKillAfterDelay: options.killGraceMs ?? 3000,
    cancelSignal: options.signal,
    maxBuffer: 256 * 1024 * 1024,
  };
  const result = await execa(file, args, execaOptions);
  const stdout = String(result.stdout ?? '');
  const stderr = String(result.stderr ?? '');
  const ok = options.okExitCodes ?? [0];
  if (result.failed && !(result.exitCode !== undefined && ok.includes(result.exitCode) && !result.timedOut && !result.isCanceled)) {
    if (result.exitCode === undefined && !result.timedOut && !result.signal && !result.isCanceled) {
      throw new ProcessError({ command: [file, ...args].join(' '), timedOut: false, stdout, stderr: stderr || String(result.message ?? '') });
    }
    throw new ProcessError({
      command: [file, ...args].join(' '),
      exitCode: result.exitCode,
      signal: result.signal,
      timedOut: result.timedOut,
      stdout,
      stderr,
    });
  }
  return { exitCode: result.exitCode ?? 0, stdout, stderr };
}
