import { isAncestor } from '../git/history.js';
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
  /** Following one task: stop after a line with one of these events (its task reached an end). */
  endsAt?: readonly string[];
  /** Following a dispatched task: whether its background worker has ended (then following ends too). */
  workerGone?: () => boolean;
}

/** Why following stopped: a line with an end event (which), the dispatched worker ended, or Ctrl-C. */
export type FollowEnd = { kind: 'ended'; event: string } | { kind: 'worker-gone' } | { kind: 'interrupted' };

/** The end event among these lines, if any. */
export function endEvent(lines: readonly string[], endsAt: readonly string[] | undefined): string | undefined {
  if (!endsAt) return undefined;
  return lines.map((line) => eventOfLine(line) ?? '').find((event) => endsAt.includes(event));
}

/** The event of a task-log line (`time | worker | task | event | detail`). */
export function eventOfLine(line: string): string | undefined {
  return line.split(' | ')[3]?.trim();
}

/**
 * `crew log -f`: watches the base ref (one `git rev-parse` per interval) and hands over the
 * log lines each new base commit adds, until a line ends the task, its dispatched worker is
 * gone (after one last read, so its final lines are shown), or the signal aborts.
 *
 * NOTE: a base commit is shown one interval after it is seen, once it is still in the base's
 * history: a landing moves the base, then brings the user's checkout along, and undoes the move
 * when that checkout has uncommitted changes in the way; its `done` must not end a follow.
 */
export async function followLog(ws: Workspace, options: FollowOptions): Promise<FollowEnd> {
  let { commit, text } = options.from;
  let seen: string | undefined;
  const path = taskLogPath(ws.config.backlog);
  const show = async (next: string): Promise<string | undefined> => {
    const nextText = (await readFileAt(ws.git, next, path)) ?? '';
    const added = newLogLines(text, nextText);
    const shown = options.task ? linesOfTask(added, options.task) : added;
    if (shown.length > 0) options.onLines(shown);
    commit = next;
    text = nextText;
    return endEvent(shown, options.endsAt);
  };
  while (!options.signal.aborted) {
    await sleep(options.intervalMs, options.signal);
    if (options.signal.aborted) break;
    const gone = options.workerGone?.() ?? false;
    const next = await resolveCommit(ws.git, baseRefName(ws.config));
    if (!next) continue;
    // The commit seen last time, if it stayed; everything up to `next` once the worker is gone.
    const settled = gone ? next : seen !== undefined && seen !== commit && (await isAncestor(ws.git, seen, next)) ? seen : undefined;
    seen = next;
    const event = settled && settled !== commit ? await show(settled) : undefined;
    if (event) return { kind: 'ended', event };
    if (gone) return { kind: 'worker-gone' };
  }
  return { kind: 'interrupted' };
}
