import { spawn } from 'node:child_process';

export interface GroupRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stopped: boolean;
}

const liveGroups = new Set<number>();
let exitHookInstalled = false;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // NOTE: a detached group gets no Ctrl-C from the terminal, so it must not outlive crewtree.
  process.once('exit', () => {
    for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
  });
}

/**
 * Runs a shell command in its own process group, its output (stdout and stderr interleaved)
 * going straight to `outputFd`. On timeout or abort the whole group gets SIGTERM, then SIGKILL
 * after `killGraceMs`; when the command ends, whatever it left running in the group is killed.
 */
export function runShellInGroup(
  command: string,
  options: { cwd: string; env: Record<string, string | undefined>; outputFd: number; timeoutMs: number; killGraceMs?: number; signal?: AbortSignal },
): Promise<GroupRun> {
  installExitHook();
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', command], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', options.outputFd, options.outputFd],
      detached: true,
    });
    const pid = child.pid;
    let timedOut = false;
    let stopped = false;
    let graceTimer: NodeJS.Timeout | undefined;
    const stop = () => {
      if (pid === undefined) return;
      killGroup(pid, 'SIGTERM');
      graceTimer = setTimeout(() => killGroup(pid, 'SIGKILL'), options.killGraceMs ?? 3000);
    };
    const timer = options.timeoutMs > 0 ? setTimeout(() => ((timedOut = true), stop()), options.timeoutMs) : undefined;
    const onAbort = () => ((stopped = true), stop());
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    if (pid !== undefined) liveGroups.add(pid);

    child.once('error', (error) => {
      clearTimeout(timer);
      clearTimeout(graceTimer);
      options.signal?.removeEventListener('abort', onAbort);
      if (pid !== undefined) liveGroups.delete(pid);
      reject(error);
    });
    child.once('exit', (exitCode, signal) => {
      clearTimeout(timer);
      clearTimeout(graceTimer);
      options.signal?.removeEventListener('abort', onAbort);
      if (pid !== undefined) {
        killGroup(pid, 'SIGKILL');
        liveGroups.delete(pid);
      }
      resolve({ exitCode, signal, timedOut, stopped });
    });
  });
}
