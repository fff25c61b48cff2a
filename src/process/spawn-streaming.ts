// Long-running programs whose output is read line by line as it comes (agents). node:child_process
// directly, not execa: the child must lead its own process group so that a timeout, an idle stop or
// an abort ends the whole tree it started, and execa only signals the one pid.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { endGroup, signalGroup } from './process-group.js';

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

/** Process groups still running; killed when crewtree exits so no agent outlives it. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // NOTE: 'exit' runs on process.exit() and on a normal end, not on a fatal signal: the CLI turns
  // SIGINT/SIGTERM into an abort (or an exit), which lands here.
  process.on('exit', () => {
    for (const group of liveGroups) signalGroup(group, 'SIGKILL');
  });
}

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

  const child = spawn(command, [...args], {
    cwd: options.cwd,
    env: mergedEnv(options.env),
    detached: true,
    stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
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
  installExitHook();
  liveGroups.add(group);

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
  const touched = () => {
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
  clearTimeout(timeout);
  clearTimeout(idle);
  options.signal?.removeEventListener('abort', onAbort);

  // The leader is gone; anything it left running in its group goes too.
  await (ending ?? endGroup(group, grace));
  liveGroups.delete(group);
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
