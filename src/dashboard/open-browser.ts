import { runProcess } from '../process/run.js';
import { findCommand } from '../views/doctor-probes.js';

/** Opens the URL with the desktop's opener (xdg-open, or open on macOS); says whether one was found. */
export async function openInBrowser(url: string, env: Record<string, string | undefined>, cwd: string): Promise<boolean> {
  for (const opener of ['xdg-open', 'open']) {
    const path = await findCommand(opener, env, cwd);
    if (!path) continue;
    // NOTE: not awaited: some openers stay until the browser closes.
    runProcess(path, [url], { cwd, timeoutMs: 60_000 }).catch(() => undefined);
    return true;
  }
  return false;
}
