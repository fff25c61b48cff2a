import { appendNote, setFrontMatterKeys } from './front-matter.js';
import { backlogMdStatus, type Task, type TaskLock, type TaskStatus } from './task.js';

/** The status as this file writes it (Backlog.md files keep `In Progress`, `Done`...). */
export function statusText(task: Pick<Task, 'dialect'>, status: TaskStatus): string {
  return task.dialect === 'backlog.md' ? (backlogMdStatus[status] ?? status) : status;
}

/** The task file with a new status and lock (undefined removes it), and optionally a note. */
export function rewriteTask(text: string, task: Task, change: { status: TaskStatus; lock: TaskLock | undefined; note?: string; detail?: string }): string {
  let next = setFrontMatterKeys(text, { status: statusText(task, change.status), lock: change.lock });
  if (change.note) next = appendNote(next, change.note, change.detail);
  return next;
}

export function describeHolder(task: Task): string {
  const lock = task.lock;
  if (!lock) return `${task.id} is not locked`;
  return `${task.id} is locked by ${lock.worker} since ${lock.since} (pid ${lock.pid} on ${lock.host})`;
}
