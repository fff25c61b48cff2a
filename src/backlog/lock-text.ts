import { appendNote, setFrontMatterKeys } from './front-matter.js';
import { backlogMdStatus, type Task, type TaskLock, type TaskStatus } from './task.js';

/**
 * The status as this file writes it: the backlog's own words (a Backlog.md config's statuses),
 * else Backlog.md's defaults for its files (`In Progress`, `Done`), else ours.
 */
export function statusText(task: Pick<Task, 'dialect' | 'statusWords'>, status: TaskStatus): string {
  if (task.statusWords) return task.statusWords[status];
  return task.dialect === 'backlog.md' ? (backlogMdStatus[status] ?? status) : status;
}

/** The task file with a new status and lock (undefined removes it), and optionally a note. */
export function rewriteTask(text: string, task: Task, change: { status: TaskStatus; lock: TaskLock | undefined; note?: string; detail?: string }): string {
  // NOTE: a status the file already says (in any of its spellings) is left as written.
  const same = task.status === change.status && task.statusName !== undefined;
  let next = setFrontMatterKeys(text, { ...(same ? {} : { status: statusText(task, change.status) }), lock: change.lock });
  if (change.note) next = appendNote(next, change.note, change.detail, task.dialect);
  return next;
}

export function describeHolder(task: Task): string {
  const lock = task.lock;
  if (!lock) return `${task.id} is not locked`;
  return `${task.id} is locked by ${lock.worker} since ${lock.since} (pid ${lock.pid} on ${lock.host})`;
}
