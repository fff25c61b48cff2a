import type { Task, TaskStatus } from '../backlog/task.js';
import type { Heartbeat } from '../claims/heartbeat.js';
import type { WorkerStatus } from '../studio/status-files.js';
import { findStaleLocks, type Observation } from '../sweeper/stale.js';
import type { QueueView } from './queue.js';
import { millisecondsBetween } from './time-text.js';

export interface WorkerView extends WorkerStatus {
  elapsedMs: number;
  /** Whether its process runs; null when it runs on another host and cannot be checked from here. */
  alive: boolean | null;
}

export interface LockView {
  task: string;
  title: string;
  status: TaskStatus;
  worker: string;
  host: string;
  pid: number;
  since: string;
  branch: string;
  worktree: string;
}

export interface WorktreeView {
  /** Relative to the repository root. */
  path: string;
  branch: string | null;
  /** The task whose lock names this worktree's branch. */
  task: string | null;
  /** Null when its folder is gone (git still lists it). */
  clean: boolean | null;
  changed: string[];
}

export interface StaleView {
  task: string;
  worker: string;
  reason: string;
}

/** Everything `crew status` shows, gathered once, rendered by pure functions. */
export interface StatusModel {
  base: string;
  commit: string;
  now: string;
  host: string;
  workers: WorkerView[];
  locks: LockView[];
  queue: QueueView;
  worktrees: WorktreeView[];
  stale: StaleView[];
}

export interface StaleRuleInput {
  tasks: readonly Task[];
  heartbeats: ReadonlyMap<string, Heartbeat>;
  observations: Readonly<Record<string, Observation>>;
  now: number;
  host: string;
  leaseMs: number;
  isAlive: (pid: number) => boolean;
}

/** The sweeper's rule as a dry run: which locks `crew sweep` would release now. */
export function staleLocksOf(input: StaleRuleInput): StaleView[] {
  // NOTE: like the sweeper, a task in review keeps its lock as the landing fence; no process holds it.
  const locks = input.tasks.flatMap((task) => (task.lock && task.status !== 'review' ? [{ id: task.id, lock: task.lock }] : []));
  const { stale } = findStaleLocks({ ...input, locks });
  const workers = new Map(locks.map((entry) => [entry.id, entry.lock.worker]));
  return stale.map((entry) => ({ task: entry.id, worker: workers.get(entry.id) ?? '', reason: entry.reason }));
}

export function locksOf(tasks: readonly Task[]): LockView[] {
  return tasks.flatMap((task) =>
    task.lock
      ? [{ task: task.id, title: task.title, status: task.status, worker: task.lock.worker, host: task.lock.host, pid: task.lock.pid, since: task.lock.since, branch: task.lock.branch, worktree: task.lock.worktree }]
      : [],
  );
}

export function workerViews(statuses: readonly WorkerStatus[], now: Date, host: string, isAlive: (pid: number) => boolean): WorkerView[] {
  return statuses.map((status) => ({
    ...status,
    elapsedMs: millisecondsBetween(status.phaseSince, now),
    alive: status.host === host ? isAlive(status.pid) : null,
  }));
}
