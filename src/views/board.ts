import { sortByRank } from '../backlog/select.js';
import type { Task, TaskStatus } from '../backlog/task.js';

const columns: { status: TaskStatus; title: string }[] = [
  { status: 'todo', title: 'TODO' },
  { status: 'in-progress', title: 'IN PROGRESS' },
  { status: 'review', title: 'REVIEW' },
  { status: 'done', title: 'DONE' },
  { status: 'blocked', title: 'BLOCKED' },
];

function cell(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text.padEnd(width);
}

/** A terminal kanban: one column per status, as wide as the terminal allows. */
export function renderBoard(tasks: readonly Task[], width: number): string {
  const gap = 2;
  const columnWidth = Math.max(12, Math.floor((Math.max(width, 60) - gap * (columns.length - 1)) / columns.length));
  const lists = columns.map(({ status }) =>
    sortByRank(tasks.filter((task) => task.status === status))
      .map((task) => `${task.id} ${task.title}${task.lock ? ` [${task.lock.worker}]` : ''}`),
  );
  const header = columns.map((column, i) => cell(`${column.title} (${lists[i]?.length ?? 0})`, columnWidth)).join(' '.repeat(gap));
  const rule = columns.map(() => '-'.repeat(columnWidth)).join(' '.repeat(gap));
  const rows = Math.max(0, ...lists.map((list) => list.length));
  const lines = [header, rule];
  for (let row = 0; row < rows; row++) {
    lines.push(lists.map((list) => cell(list[row] ?? '', columnWidth)).join(' '.repeat(gap)).trimEnd());
  }
  return lines.join('\n');
}
