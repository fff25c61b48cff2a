import type { Task, TaskLock } from '../backlog/task.js';
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

/**
 * Puts a task's branch in the merge queue: one ref, no state commit. The runner logs `queued`
 * for every new entry it takes in, all of a round in one state commit, so sixteen workers
 * finishing at once cost one commit rather than sixteen.
 */
export async function enqueue(ws: Workspace, request: EnqueueRequest): Promise<QueueEntry> {
  const { task, lock, tip } = request;
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
