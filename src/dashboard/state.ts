// What the dashboard page receives: one JSON document for the board, then deltas of it
// (delta.ts). Each column carries its first COLUMN_LIMIT tasks and its count: what a person can
// scroll through, so 50,000 tasks are 1,000 cards (0.2 MB), not 12 MB the page cannot draw anyway.
import type { Task, TaskStatus } from '../backlog/task.js';
import { formatProblem, type Problem } from '../errors.js';
import { sortByRank } from '../backlog/select.js';
import type { QueueView } from '../views/queue.js';
import type { WorkerView } from '../views/status-model.js';
import type { BoardTask, DashboardState, Usage } from './wire.js';

export type { BoardTask, DashboardState, TaskDetail, Usage } from './wire.js';

export const LOG_TAIL = 200;
export const COLUMN_LIMIT = 200;

export function boardTask(task: Task, usage: Usage | undefined): BoardTask {
  return {
    id: task.id,
    title: task.title,
    status: task.status,
    priority: task.priority,
    role: task.role,
    epic: task.epic ?? null,
    dependsOn: task.dependsOn,
    review: task.review,
    worker: task.lock?.worker ?? null,
    lockSince: task.lock?.since ?? null,
    file: task.file,
    usage: usage && usage.inputTokens + usage.outputTokens + usage.costUsd > 0 ? usage : null,
  };
}

export interface StateInput {
  base: string;
  commit: string;
  now: Date;
  tasks: readonly Task[];
  problems: readonly Problem[];
  logLines: readonly string[];
  workers: WorkerView[];
  queue: QueueView;
  usage: ReadonlyMap<string, Usage>;
}

function columns(tasks: readonly Task[], usage: ReadonlyMap<string, Usage>): Pick<DashboardState, 'tasks' | 'counts' | 'spentUsd'> {
  const counts: Record<TaskStatus, number> = { todo: 0, 'in-progress': 0, review: 0, done: 0, blocked: 0 };
  const shown: BoardTask[] = [];
  for (const task of sortByRank([...tasks])) {
    if (counts[task.status]++ < COLUMN_LIMIT) shown.push(boardTask(task, usage.get(task.id)));
  }
  let spentUsd = 0;
  for (const task of tasks) spentUsd += usage.get(task.id)?.costUsd ?? 0;
  return { tasks: shown, counts, spentUsd };
}

export function buildDashboardState(input: StateInput): DashboardState {
  return {
    base: input.base,
    commit: input.commit,
    now: input.now.toISOString(),
    ...columns(input.tasks, input.usage),
    workers: input.workers,
    queue: input.queue,
    log: input.logLines.slice(-LOG_TAIL),
    logTotal: input.logLines.length,
    problems: input.problems.map(formatProblem),
  };
}
