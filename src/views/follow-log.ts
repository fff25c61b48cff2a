import { readFileAt, resolveCommit } from '../git/objects.js';
import { taskLogPath } from '../task-log/rotation.js';
import { baseRefName, type Workspace } from '../workspace.js';
import { linesOfTask, newLogLines } from './log.js';
import { sleep } from '../process/sleep.js';

export interface FollowOptions {
  /** Only this task's lines; every line when absent. */
  task: string | null;
  /** The base commit and log text already shown. */
  from: { commit: string; text: string };
  intervalMs: number;
  signal: AbortSignal;
  onLines(lines: string[]): void;
}

/**
 * `crew log -f`: watches the base ref (one `git rev-parse` per interval) and hands over the
 * log lines each new base commit adds, until the signal aborts.
 */
export async function followLog(ws: Workspace, options: FollowOptions): Promise<void> {
  let { commit, text } = options.from;
  const path = taskLogPath(ws.config.backlog);
  while (!options.signal.aborted) {
    await sleep(options.intervalMs, options.signal);
    if (options.signal.aborted) break;
    const next = await resolveCommit(ws.git, baseRefName(ws.config));
    if (!next || next === commit) continue;
    const nextText = (await readFileAt(ws.git, next, path)) ?? '';
    const added = newLogLines(text, nextText);
    const shown = options.task ? linesOfTask(added, options.task) : added;
    if (shown.length > 0) options.onLines(shown);
    commit = next;
    text = nextText;
  }
}
