// A program that outlives crewtree (`crew dispatch`'s background worker): its own session and
// process group, so Ctrl-C in the terminal and crewtree's exit hook leave it alone, and its output
// goes to a file, not to a pipe crewtree would have to keep reading.
import { spawn } from 'node:child_process';

export interface DetachedProcess {
  /** 0 when it could not be started (the `exited` promise says with which code). */
  pid: number;
  /** Its exit code, 128 when a signal ended it, 1 when it could not start. */
  exited: Promise<number>;
  /** Lets crewtree exit while it still runs. */
  release(): void;
}

export function spawnDetached(command: string, args: readonly string[], options: { cwd: string; env: Record<string, string | undefined>; outputFd: number }): DetachedProcess {
  const child = spawn(command, args, { cwd: options.cwd, detached: true, stdio: ['ignore', options.outputFd, options.outputFd], env: options.env });
  const exited = new Promise<number>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    child.once('error', () => resolve(1));
  });
  return { pid: child.pid ?? 0, exited, release: () => child.unref() };
}
