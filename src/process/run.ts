// The runner for programs whose whole output is read at the end (git, ls, the demo's npm): execa,
// chosen for argument arrays without a shell and timeouts with SIGTERM-then-SIGKILL. The rest of
// src/process: spawn-streaming.ts (agents, line by line), run-shell.ts (gate and setup commands in
// their own process group), spawn-detached.ts (dispatch's background worker), exit-hook.ts (the
// one exit hook), signals.ts (the one SIGINT/SIGTERM listener), sleep.ts.
import { execa, type Options as ExecaOptions } from 'execa';
import { onExit } from './exit-hook.js';

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
  /** Bytes of output kept before the run fails (default 256 MiB). */
  maxBuffer?: number;
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
  const result = await execute(file, args, options, 'utf8');
  return { ...result, stdout: String(result.stdout) };
}

/** `runProcess` for output that is not text (`git cat-file --batch`): stdout as the bytes it wrote. */
export async function runProcessBytes(file: string, args: readonly string[], options: RunOptions): Promise<{ exitCode: number; stdout: Buffer; stderr: string }> {
  const result = await execute(file, args, options, 'buffer');
  return { ...result, stdout: Buffer.from(result.stdout as Uint8Array) };
}

async function execute(file: string, args: readonly string[], options: RunOptions, encoding: 'utf8' | 'buffer'): Promise<{ exitCode: number; stdout: string | Uint8Array; stderr: string }> {
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
    maxBuffer: options.maxBuffer ?? 256 * 1024 * 1024,
    encoding,
    // NOTE: crewtree's own exit hook ends the child, not execa's (signal-exit), whose signal
    // handlers re-raise a Ctrl-C that a command (crew claim --hold) handles itself.
    cleanup: false,
  };
  const subprocess = execa(file, args, execaOptions);
  const unhook = onExit(() => subprocess.kill('SIGKILL'));
  const result = await subprocess.finally(unhook);
  const text = (output: unknown) => (output instanceof Uint8Array ? Buffer.from(output).toString('utf8') : String(output ?? ''));
  const stdout = encoding === 'buffer' && result.stdout instanceof Uint8Array ? result.stdout : text(result.stdout);
  const stderr = text(result.stderr);
  const ok = options.okExitCodes ?? [0];
  if (result.failed && !(result.exitCode !== undefined && ok.includes(result.exitCode) && !result.timedOut && !result.isCanceled)) {
    if (result.exitCode === undefined && !result.timedOut && !result.signal && !result.isCanceled) {
      throw new ProcessError({ command: [file, ...args].join(' '), timedOut: false, stdout: text(result.stdout), stderr: stderr || String(result.message ?? '') });
    }
    throw new ProcessError({
      command: [file, ...args].join(' '),
      exitCode: result.exitCode,
      signal: result.signal,
      timedOut: result.timedOut,
      stdout: text(result.stdout),
      stderr,
    });
  }
  return { exitCode: result.exitCode ?? 0, stdout, stderr };
}
