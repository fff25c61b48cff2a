import type { Task } from './task.js';

/** The public JSON shape of a task (`--json`), with keys as in the task file. */
export function taskToJson(task: Task) {
  return {
    id: task.id,
    title: task.title,
    status: task.status,
    priority: task.priority,
    type: task.type,
    epic: task.epic ?? null,
    role: task.role,
    depends_on: task.dependsOn,
    paths: task.paths,
    labels: task.labels,
    review: task.review,
    lock: task.lock ?? null,
    file: task.file,
  };
}
