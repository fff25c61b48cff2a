import { appendFile, mkdir, open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runShellInGroup, type GroupRun } from '../process/run-shell.js';
import { readOutputTail } from './tail.js';

export { filesOutsidePaths } from './allowed-paths.js';

export interface GateRequest {
  cwd: string;
  /** Shell commands from the repository owner's config (never task text), run in order. */
  commands: readonly string[];
  env: Record<string, string>;
  /** The limit for each command; its whole process group is stopped past it. */
  timeoutMs: number;
  /** Every command's output is appended here, under a header naming it. */
  logFile: string;
  signal?: AbortSignal;
  /** Lines of the failing command's output kept in `tail` (default 60). */
  tailLines?: number;
}

export interface GateFailure {
  command: string;
  exitCode: number | null;
  timedOut: boolean;
  /** Stopped through the abort signal (crewtree is shutting down), not a verdict on the work. */
  stopped?: boolean;
}

export interface GateResult {
  ok: boolean;
  failed?: GateFailure;
  /** The last lines of the failing command's output; empty when the gate passed. */
  tail: string;
  durationMs: number;
}

/** Runs the gate commands one after another in the worktree; the first failure ends the gate. */
export async function runGate(request: GateRequest): Promise<GateResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  if (request.commands.length === 0) return { ok: true, tail: '', durationMs: 0 };
  await mkdir(dirname(request.logFile), { recursive: true });
  const env = { ...process.env, ...request.env };
  for (const [index, command] of request.commands.entries()) {
    await appendFile(request.logFile, `==> gate ${index + 1}/${request.commands.length}: ${command}\n`);
    const from = (await stat(request.logFile)).size;
    const commandStarted = performance.now();
    const log = await open(request.logFile, 'a');
    let run: GroupRun;
    try {
      run = await runShellInGroup(command, { cwd: request.cwd, env, outputFd: log.fd, timeoutMs: request.timeoutMs, signal: request.signal });
    } finally {
      await log.close();
    }
    const to = (await stat(request.logFile)).size;
    const seconds = ((performance.now() - commandStarted) / 1000).toFixed(1);
    const passed = run.exitCode === 0 && !run.timedOut && !run.stopped;
    await appendFile(request.logFile, `==> ${outcomeLine(run, request.timeoutMs)} after ${seconds} s\n`);
    if (!passed) {
      const output = await readOutputTail(request.logFile, from, to, request.tailLines ?? 60);
      return {
        ok: false,
        failed: { command, exitCode: run.exitCode, timedOut: run.timedOut, ...(run.stopped ? { stopped: true } : {}) },
        tail: output,
        durationMs: elapsed(),
      };
    }
  }
  return { ok: true, tail: '', durationMs: elapsed() };
}

function outcomeLine(run: GroupRun, timeoutMs: number): string {
  if (run.timedOut) return `timed out (limit ${Math.round(timeoutMs / 1000)} s); process group stopped`;
  if (run.stopped) return 'stopped; process group stopped';
  if (run.exitCode === 0) return 'passed';
  return run.exitCode === null ? `failed: killed by ${run.signal ?? 'a signal'}` : `failed: exit ${run.exitCode}`;
}
