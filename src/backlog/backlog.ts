import { CrewError, formatProblem, sortProblems, type Problem } from '../errors.js';
import { parseTask } from './parse-task.js';
import type { Task } from './task.js';
import { crossCheckTasks } from './validate.js';

export interface TaskFileText {
  path: string;
  text: string;
}

export interface Backlog {
  tasks: Task[];
  /** Raw text of each task file by id, for surgical writes. */
  texts: Map<string, string>;
  problems: Problem[];
}

const isDigit = (code: number) => code >= 48 && code <= 57;
const lowerCode = (code: number) => (code >= 65 && code <= 90 ? code + 32 : code);

/**
 * Natural order of ids and file names: ignoring ASCII case, runs of digits compared as numbers
 * (`task-9` before `task-10`), then plain code-unit order so the result is total. NOTE: hand
 * written rather than `Intl.Collator`: sorting 10,000 paths took 85 ms with the collator.
 */
export function naturalCompare(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const left = a.charCodeAt(i);
    const right = b.charCodeAt(j);
    if (isDigit(left) && isDigit(right)) {
      while (i < a.length - 1 && a.charCodeAt(i) === 48 && isDigit(a.charCodeAt(i + 1))) i++;
      while (j < b.length - 1 && b.charCodeAt(j) === 48 && isDigit(b.charCodeAt(j + 1))) j++;
      let endA = i;
      let endB = j;
      while (endA < a.length && isDigit(a.charCodeAt(endA))) endA++;
      while (endB < b.length && isDigit(b.charCodeAt(endB))) endB++;
      if (endA - i !== endB - j) return endA - i - (endB - j);
      for (; i < endA; i++, j++) {
        const difference = a.charCodeAt(i) - b.charCodeAt(j);
        if (difference !== 0) return difference;
      }
      continue;
    }
    const difference = lowerCode(left) - lowerCode(right);
    if (difference !== 0) return difference;
    i++;
    j++;
  }
  return a.length - i - (b.length - j) || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * Parses every task file and cross-checks them; every problem is collected, none thrown.
 * `parse` lets a caller reuse files it parsed before (the state transaction's cache).
 */
export function parseBacklog(files: readonly TaskFileText[], parse: typeof parseTask = parseTask): Backlog {
  const sorted = [...files].sort((a, b) => naturalCompare(a.path, b.path));
  const tasks: Task[] = [];
  const texts = new Map<string, string>();
  const problems: Problem[] = [];
  const invalidIds = new Set<string>();
  sorted.forEach((file, order) => {
    const parsed = parse(file.path, file.text, order);
    problems.push(...parsed.problems);
    if (parsed.task) {
      tasks.push(parsed.task);
      if (!texts.has(parsed.task.id)) texts.set(parsed.task.id, file.text);
    } else if (parsed.declaredId !== undefined) invalidIds.add(parsed.declaredId);
  });
  problems.push(...crossCheckTasks(tasks, invalidIds));
  return { tasks, texts, problems: sortProblems(problems) };
}

export function assertValid(backlog: Backlog): Backlog {
  if (backlog.problems.length === 0) return backlog;
  const count = backlog.problems.length;
  throw new CrewError('backlog-invalid', `The backlog has ${count} problem${count === 1 ? '' : 's'}; nothing was written.`, {
    details: backlog.problems.map(formatProblem),
    hint: 'Fix the files above and run the command again.',
  });
}

export function findTask(backlog: Backlog, id: string): Task {
  const task = backlog.tasks.find((candidate) => candidate.id === id) ?? backlog.tasks.find((c) => c.id.toLowerCase() === id.toLowerCase());
  if (!task) {
    throw new CrewError('task-not-found', `There is no task ${id} in the backlog.`, { hint: 'See the ids with `crew task list`.' });
  }
  return task;
}
