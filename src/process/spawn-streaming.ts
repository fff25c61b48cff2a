// Long-running programs whose output is read line by line as it comes (agents). Unlike run.ts,
// the child leads its own process group, so that a timeout, an idle stop or an abort ends the
// whole tree it started, not only the one pid.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { StringDecoder } from 'node:string_decoder';
import type { Readable, Writable } from 'node:stream';
import { onExit } from './exit-hook.js';
import { findProgram } from './find-program.js';
import { endGroup, signalGroup } from './process-group.js';
import { SUPERVISOR_PIPE, supervised } from './supervisor.js';

export interface StreamingOptions {
  cwd: string;
  /** Added to process.env; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /** Written to stdin, then closed; stdin is /dev/null when absent. */
  stdin?: string;
  timeoutMs: number;
  /** No output on stdout or stderr for this long stops the program. */
  idleMs: number;
  /** Between SIGTERM and SIGKILL. */
  killGraceMs?: number;
  signal?: AbortSignal;
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

export type StopCause = 'timeout' | 'idle' | 'aborted';

export interface StreamingResult {
  /** null when the program was ended by a signal or never started. */
  exitCode: number | null;
  exitSignal: NodeJS.Signals | null;
  /** Set when crewtree stopped the program. */
  stoppedBy?: StopCause;
  /** The program could not be started (not found, not executable). */
  startError?: NodeJS.ErrnoException;
  durationMs: number;
}

const DEFAULT_KILL_GRACE_MS = 3000;
/** How long to wait for pipes to close once the whole group is gone (a process that left the group may hold them). */
const PIPE_DRAIN_MS = 1000;

function lineReader(stream: Readable, emit: (line: string) => void, onData: () => void): () => void {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  stream.on('data', (chunk: Buffer) => {
    onData();
    pending += decoder.write(chunk);
    let newline = pending.indexOf('\n');
    while (newline !== -1) {
      emit(pending.slice(0, newline).replace(/\r$/, ''));
      pending = pending.slice(newline + 1);
      newline = pending.indexOf('\n');
    }
  });
  return () => {
    pending += decoder.end();
    if (pending !== '') emit(pending.replace(/\r$/, ''));
    pending = '';
  };
}

function closed(stream: Readable): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || stream.readableEnded) resolve();
    else stream.once('close', () => resolve());
  });
}

function mergedEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/**
 * Runs a program in its own process group with an argument array (no shell), streams its output
 * line by line, and stops the whole group on timeout, idleness or abort.
 */
export async function spawnStreaming(command: string, args: readonly string[], options: StreamingOptions): Promise<StreamingResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  if (options.signal?.aborted) return { exitCode: null, exitSignal: null, stoppedBy: 'aborted', durationMs: 0 };

  const env = mergedEnv(options.env);
  const program = await findProgram(command, options.cwd, env.PATH);
  if ('error' in program) return { exitCode: null, exitSignal: null, startError: program.error, durationMs: elapsed() };
  const start = supervised(program.file, args);
  const child = spawn(start.command, start.args, {
    cwd: options.cwd,
    env,
    detached: true,
    stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe', SUPERVISOR_PIPE],
  });
  const lifeline = child.stdio[3] as Writable | null;
  lifeline?.on('error', () => undefined);
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
    child.once('exit', (code, signal) => resolve([code, signal]));
  });
  const startError = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
    child.once('spawn', () => resolve(undefined));
    child.once('error', (error) => resolve(error));
  });
  if (startError || child.pid === undefined) {
    return { exitCode: null, exitSignal: null, startError: startError ?? new Error(`could not start ${command}`), durationMs: elapsed() };
  }
  const group = child.pid;
  // Failures after the start (a signal that cannot be sent) surface through the exit and the group checks.
  child.on('error', () => {});
  const unhook = onExit(() => signalGroup(group, 'SIGKILL'));

  const grace = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  let stoppedBy: StopCause | undefined;
  let ending: Promise<void> | undefined;
  const stop = (cause: StopCause) => {
    if (stoppedBy || ending) return;
    stoppedBy = cause;
    ending = endGroup(group, grace);
  };

  const timeout = setTimeout(() => stop('timeout'), options.timeoutMs);
  let idle = setTimeout(() => stop('idle'), options.idleMs);
  let exitedAlready = false;
  const touched = () => {
    // NOTE: output still draining after the exit must not start a new idle timer: nothing would
    // clear it, and it would keep crewtree alive for the whole idle time after the studio ended.
    if (exitedAlready) return;
    clearTimeout(idle);
    idle = setTimeout(() => stop('idle'), options.idleMs);
  };
  const onAbort = () => stop('aborted');
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const deliver = (stream: 'stdout' | 'stderr') => (line: string) => options.onLine?.(line, stream);
  const flushStdout = lineReader(child.stdout!, deliver('stdout'), touched);
  const flushStderr = lineReader(child.stderr!, deliver('stderr'), touched);
  if (options.stdin !== undefined && child.stdin) {
    // NOTE: a program that exits without reading its stdin makes the write fail with EPIPE.
    child.stdin.on('error', () => {});
    child.stdin.end(options.stdin);
  }

  const [exitCode, exitSignal] = await exited;
  exitedAlready = true;
  clearTimeout(timeout);
  clearTimeout(idle);
  options.signal?.removeEventListener('abort', onAbort);

  // The leader is gone; anything it left running in its group goes too.
  lifeline?.destroy();
  await (ending ?? endGroup(group, grace));
  unhook();
  let drainTimer: NodeJS.Timeout | undefined;
  const inTime = await Promise.race([
    Promise.all([closed(child.stdout!), closed(child.stderr!)]).then(() => true),
    new Promise<boolean>((resolve) => (drainTimer = setTimeout(() => resolve(false), PIPE_DRAIN_MS))),
  ]);
  clearTimeout(drainTimer);
  if (!inTime) {
    child.stdout!.destroy();
    child.stderr!.destroy();
  }
  flushStdout();
  flushStderr();
  return { exitCode, exitSignal, stoppedBy, durationMs: elapsed() };
}
