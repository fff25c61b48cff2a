import { spawn } from 'node:child_process';
import type { Writable } from 'node:stream';
import { onExit } from './exit-hook.js';
import { signalGroup } from './process-group.js';
import { SUPERVISOR_PIPE, supervised } from './supervisor.js';

export interface GroupRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stopped: boolean;
}

/**
 * Runs a shell command (the repository owner's gate or setup command, never task text) in its own
 * process group under the supervisor, its output (stdout and stderr interleaved) going straight to
 * `outputFd`. On timeout or abort the whole group gets SIGTERM, then SIGKILL after `killGraceMs`;
 * when the command ends, whatever it left running in the group is killed.
 */
export function runShellInGroup(
  command: string,
  options: { cwd: string; env: Record<string, string | undefined>; outputFd: number; timeoutMs: number; killGraceMs?: number; signal?: AbortSignal },
): Promise<GroupRun> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return resolve({ exitCode: null, signal: null, timedOut: false, stopped: true });
    const start = supervised('bash', ['-c', command]);
    const child = spawn(start.command, start.args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', options.outputFd, options.outputFd, SUPERVISOR_PIPE],
      detached: true,
    });
    const pid = child.pid;
    const lifeline = child.stdio[3] as Writable | null;
    lifeline?.on('error', () => undefined);
    let timedOut = false;
    let stopped = false;
    let graceTimer: NodeJS.Timeout | undefined;
    const stop = () => {
      if (pid === undefined) return;
      signalGroup(pid, 'SIGTERM');
      graceTimer = setTimeout(() => signalGroup(pid, 'SIGKILL'), options.killGraceMs ?? 3000);
    };
    const timer = options.timeoutMs > 0 ? setTimeout(() => ((timedOut = true), stop()), options.timeoutMs) : undefined;
    const onAbort = () => ((stopped = true), stop());
    options.signal?.addEventListener('abort', onAbort, { once: true });
    // NOTE: a detached group gets no Ctrl-C from the terminal, so it must not outlive crewtree.
    const unhook = pid === undefined ? () => false : onExit(() => signalGroup(pid, 'SIGKILL'));
    const settle = () => {
      clearTimeout(timer);
      clearTimeout(graceTimer);
      options.signal?.removeEventListener('abort', onAbort);
      unhook();
      lifeline?.destroy();
    };

    child.once('error', (error) => {
      settle();
      reject(error);
    });
    child.once('exit', (exitCode, signal) => {
      settle();
      if (pid !== undefined) signalGroup(pid, 'SIGKILL');
      resolve({ exitCode, signal, timedOut, stopped });
    });
  });
}
