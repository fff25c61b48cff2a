// The runner for programs whose whole output is read at the end (git, ls, the demo's npm):
// argument arrays without a shell, timeouts with SIGTERM-then-SIGKILL, the child killed by the one
// exit hook. node:child_process directly: execa, used before, cost every command ~100 ms of CPU to
// load (issue 11, start-up), and every command runs git. The rest of src/process:
// spawn-streaming.ts (agents, line by line), run-shell.ts (gate and setup commands in their own
// process group), spawn-detached.ts (dispatch's background worker), exit-hook.ts (the one exit
// hook), signals.ts (the one SIGINT/SIGTERM listener), sleep.ts.
import { spawn } from 'node:child_process';
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
  /** Bytes of output (stdout and stderr each) kept before the program is killed and the run fails (default 256 MiB). */
  maxBuffer?: number;
}

export interface RunResult<Output = string> {
  exitCode: number;
  stdout: Output;
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

const DEFAULT_KILL_GRACE_MS = 3000;
const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

/** `runProcess` for output that is not text (`git cat-file --batch`): stdout as the bytes it wrote. */
export function runProcessBytes(file: string, args: readonly string[], options: RunOptions): Promise<RunResult<Buffer>> {
  const command = [file, ...args].join(' ');
  const maxBytes = options.maxBuffer ?? DEFAULT_MAX_BYTES;
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.extendEnv === false ? options.env : { ...process.env, ...options.env },
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const output = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
    const bytes = { stdout: 0, stderr: 0 };
    let timedOut = false;
    let canceled = false;
    let tooLong: 'stdout' | 'stderr' | undefined;
    let startError: Error | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const running = () => child.exitCode === null && child.signalCode === null;
    const stop = () => {
      if (killTimer || !running()) return;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), options.killGraceMs ?? DEFAULT_KILL_GRACE_MS);
    };
    const collect = (name: 'stdout' | 'stderr') => (chunk: Buffer) => {
      bytes[name] += chunk.length;
      if (bytes[name] <= maxBytes) output[name].push(chunk);
      else {
        tooLong ??= name;
        stop();
      }
    };
    child.stdout?.on('data', collect('stdout'));
    child.stderr?.on('data', collect('stderr'));
    const onTimeout = () => {
      if (!running()) return;
      timedOut = true;
      stop();
    };
    const onAbort = () => {
      if (!running()) return;
      canceled = true;
      stop();
    };
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(onTimeout, options.timeoutMs);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) onAbort();
    const unhook = onExit(() => child.kill('SIGKILL'));
    child.on('error', (error) => {
      // A program that could not start still emits 'close'; later errors (a failed kill) change nothing.
      if (child.pid === undefined) startError = error;
    });
    if (options.input !== undefined && child.stdin) {
      // NOTE: a program that exits without reading its stdin makes the write fail with EPIPE.
      child.stdin.on('error', () => {});
      child.stdin.end(options.input);
    }
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
      unhook();
      const out = Buffer.concat(output.stdout);
      const err = Buffer.concat(output.stderr).toString('utf8');
      if (startError) {
        reject(new ProcessError({ command, timedOut: false, stdout: '', stderr: err || `${command}: ${startError.message}` }));
        return;
      }
      const exitCode = code ?? undefined;
      const ok = exitCode === 0 || (exitCode !== undefined && (options.okExitCodes ?? []).includes(exitCode));
      if (tooLong || timedOut || canceled || !ok || exitCode === undefined) {
        const why = tooLong ? `${err}\n${command}: ${tooLong} exceeded ${maxBytes} bytes` : err;
        reject(new ProcessError({ command, exitCode, signal: signal ?? undefined, timedOut, stdout: out.toString('utf8'), stderr: why }));
        return;
      }
      resolve({ exitCode, stdout: out, stderr: err });
    });
  });
}

/** Runs a program to its end and returns its output; a failure (exit code not in `okExitCodes`, a signal, the timeout) throws a ProcessError. */
export async function runProcess(file: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const result = await runProcessBytes(file, args, options);
  return { ...result, stdout: result.stdout.toString('utf8') };
}
