import type { Task, TaskLock } from '../backlog/task.js';
import { recordEvents } from '../state/record-events.js';
import type { Workspace } from '../workspace.js';
import { writeEntry } from './entries.js';
import type { QueueEntry } from './records.js';

export interface EnqueueRequest {
  task: Pick<Task, 'id' | 'title'>;
  /** The lock the task holds now: its token fences the landing. */
  lock: Pick<TaskLock, 'token' | 'branch' | 'worker'>;
  /** The branch tip whose tree passed the gate. */
  tip: string;
  gateCommands: readonly string[];
}

/** Puts a task's branch in the merge queue and logs `queued`. */
export async function enqueue(ws: Workspace, request: EnqueueRequest): Promise<QueueEntry> {
  const { task, lock, tip } = request;
  // NOTE: the log line first: a crash in between leaves a `queued` line for an entry that never
  // appeared (its worker is gone too and the sweeper frees the task), never a silent entry.
  await recordEvents(ws, [{ time: ws.clock.now(), worker: lock.worker, task: task.id, event: 'queued', detail: `${lock.branch} at ${tip.slice(0, 8)}` }]);
  return writeEntry(ws.git, {
    id: task.id,
    title: task.title,
    token: lock.token,
    branch: lock.branch,
    worker: lock.worker,
    tip,
    gate: [...request.gateCommands],
    since: ws.clock.now().toISOString(),
  });
}
