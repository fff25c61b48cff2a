// What the dashboard page receives: one JSON document for the whole board, so a repository
// with hundreds of tasks is one message, rendered by the page with plain DOM code.
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
  tasks: BoardTask[];
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

export function buildDashboardState(input: StateInput): DashboardState {
  return {
    base: input.base,
    commit: input.commit,
    now: input.now.toISOString(),
    tasks: [...input.tasks].sort(compareTasks).map((task) => boardTask(task, input.usage.get(task.id))),
    workers: input.workers,
    queue: input.queue,
    log: input.logLines.slice(-LOG_TAIL),
    logTotal: input.logLines.length,
    problems: input.problems.map(formatProblem),
  };
}
