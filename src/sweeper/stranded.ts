import type { Backlog } from '../backlog/backlog.js';
import type { Task } from '../backlog/task.js';

export const STRANDED_REASON = 'in progress without a lock (another tool rewrote the file without it)';

/**
 * Tasks marked in progress that no lock holds: another tool (`backlog task edit`) rewrote the
 * file and dropped the lock, or someone set the status by hand. Nobody will finish them, and
 * nobody may claim them; `crew sweep` makes them workable again. Quarantined files are left alone.
 */
export function findStrandedTasks(backlog: Pick<Backlog, 'tasks' | 'quarantined'>): Task[] {
  return backlog.tasks.filter((task) => task.status === 'in-progress' && !task.lock && !backlog.quarantined.has(task.file));
}
