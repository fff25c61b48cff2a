import type { Task } from '../../../src/backlog/task.js';

let order = 0;

/** A parsed task with defaults, for tests of the pure parts (selection, index). */
export function makeTask(fields: Partial<Task> & { id: string }): Task {
  return {
    title: `Title of ${fields.id}`,
    status: 'todo',
    priority: 'medium',
    type: 'feat',
    epic: undefined,
    role: 'developer',
    dependsOn: [],
    paths: [],
    labels: [],
    review: false,
    lock: undefined,
    file: `backlog/tasks/${fields.id}-title.md`,
    order: order++,
    dialect: 'crewtree',
    lines: { id: 2 },
    ...fields,
  };
}
