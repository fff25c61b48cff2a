/** Whether a process with this pid still exists (signal 0 checks without signalling). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Waits until the process has ended, up to `timeoutMs`; true when it has. A dispatched background
 * worker still removes its worktree and status file under .git after its task's `done`, so a test
 * that removes the repository first races it (ENOTEMPTY).
 */
export async function waitForExit(pid: number, timeoutMs = 30_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));
  return !isAlive(pid);
}
