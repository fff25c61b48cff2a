// What the dashboard page receives: one JSON document for the board, then deltas of it
// (delta.ts). Each column carries its first COLUMN_LIMIT tasks and its count: what a person can
// scroll through, so 50,000 tasks are 2,500 cards (0.6 MB), not 12 MB the page cannot draw anyway.
import type { Task, TaskStatus } from '../backlog/task.js';
import { formatProblem, type Problem } from '../errors.js';
import { compareTasks } from '../backlog/select.js';
import type { RunsView } from '../views/log.js';
import type { QueueView } from '../views/queue.js';
import type { WorkerView } from '../views/status-model.js';
import type { TaskRuns } from '../worker/runs.js';

export type Usage = TaskRuns['totals'];

export interface BoardTask {
  id: string;
  title: string;
  status: TaskStatus;
  priority: string;
  role: string;
  epic: string | null;
  dependsOn: string[];
  review: boolean;
  worker: string | null;
  lockSince: string | null;
  file: string;
  /** Tokens and cost of its attempts so far, where an agent reported them. */
  usage: Usage | null;
}

export interface DashboardState {
  base: string;
  commit: string;
  /** The server's clock, so the page can tick elapsed times without asking again. */
  now: string;
  /** The first COLUMN_LIMIT tasks of each status, in board order. */
  tasks: BoardTask[];
  /** How many tasks each status has, all of them. */
  counts: Record<TaskStatus, number>;
  /** The cost of every task's attempts, where agents reported it. */
  spentUsd: number;
  workers: WorkerView[];
  queue: QueueView;
  /** The last lines of the task log, oldest first. */
  log: string[];
  logTotal: number;
  problems: string[];
}

export interface TaskDetail {
  task: BoardTask;
  /** The task file as it is on the base. */
  text: string;
  log: string[];
  runs: RunsView;
}

export const LOG_TAIL = 200;
export const COLUMN_LIMIT = 500;

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
  for (const task of [...tasks].sort(compareTasks)) {
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
