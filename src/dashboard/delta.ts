// What the page receives after its first load: only what changed since the state it has. On
// 50,000 tasks a claim is one task, one log line and a commit id (a few hundred bytes) where the
// whole board is 12 MB. Pure, and with no import the browser would have to fetch: the page
// loads this very module (/delta.js) to apply what it receives.
import type { BoardTask, DashboardState } from './wire.js';

/** A changed or new task, and the task it now follows in board order (null: first). */
export interface TaskUpsert {
  task: BoardTask;
  after: string | null;
}

export interface DashboardDelta {
  commit: string;
  now: string;
  tasks?: { upsert: TaskUpsert[]; remove: string[] };
  counts?: DashboardState['counts'];
  spentUsd?: number;
  workers?: DashboardState['workers'];
  queue?: DashboardState['queue'];
  /** Lines added at the end of the log tail (then its last `keep` lines), or the whole tail when it did not just grow. */
  log?: { append: string[]; keep: number } | { replace: string[] };
  logTotal?: number;
  problems?: string[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Workers without `elapsedMs`: it grows on every read and the page ticks it from `phaseSince`. */
function workersKey(state: DashboardState): string {
  return JSON.stringify(state.workers.map(({ elapsedMs: _elapsed, ...worker }) => worker));
}

/** The ids in board order after applying `upsert` and `remove` to `before`, as the page does. */
export function applyTaskOrder(before: readonly string[], upsert: readonly TaskUpsert[], remove: readonly string[]): string[] {
  const gone = new Set([...remove, ...upsert.map((entry) => entry.task.id)]);
  const ids = before.filter((id) => !gone.has(id));
  for (const { task, after } of upsert) ids.splice(after === null ? 0 : ids.indexOf(after) + 1, 0, task.id);
  return ids;
}

function diffTasks(previous: readonly BoardTask[], next: readonly BoardTask[]): DashboardDelta['tasks'] {
  const before = new Map(previous.map((task) => [task.id, JSON.stringify(task)]));
  const nextIds = new Set(next.map((task) => task.id));
  const remove = previous.filter((task) => !nextIds.has(task.id)).map((task) => task.id);
  const upsert: TaskUpsert[] = [];
  next.forEach((task, index) => {
    if (before.get(task.id) !== JSON.stringify(task)) upsert.push({ task, after: next[index - 1]?.id ?? null });
  });
  return upsert.length + remove.length > 0 ? { upsert, remove } : undefined;
}

function diffLog(previous: DashboardState, next: DashboardState): DashboardDelta['log'] {
  if (same(previous.log, next.log)) return undefined;
  // NOTE: the tail is the log's last lines: when the log just grew, the new tail is the old one plus the new lines, cut.
  const grown = next.logTotal - previous.logTotal;
  if (grown > 0 && grown <= next.log.length) {
    const append = next.log.slice(next.log.length - grown);
    if (same([...previous.log, ...append].slice(-next.log.length), next.log)) return { append, keep: next.log.length };
  }
  return { replace: next.log };
}

/**
 * What changed from `previous` to `next`, or undefined when nothing the page shows did. When
 * the board order changed in a way task upserts cannot say (a reordering of untouched tasks),
 * every task is sent again, in order.
 */
export function diffDashboardState(previous: DashboardState, next: DashboardState): DashboardDelta | undefined {
  const delta: DashboardDelta = { commit: next.commit, now: next.now };
  let tasks = diffTasks(previous.tasks, next.tasks);
  const nextIds = next.tasks.map((task) => task.id);
  if (!same(applyTaskOrder(previous.tasks.map((task) => task.id), tasks?.upsert ?? [], tasks?.remove ?? []), nextIds)) {
    tasks = { upsert: next.tasks.map((task, index) => ({ task, after: nextIds[index - 1] ?? null })), remove: previous.tasks.map((task) => task.id) };
  }
  if (tasks) delta.tasks = tasks;
  if (!same(previous.counts, next.counts)) delta.counts = next.counts;
  if (previous.spentUsd !== next.spentUsd) delta.spentUsd = next.spentUsd;
  if (workersKey(previous) !== workersKey(next)) delta.workers = next.workers;
  if (!same(previous.queue, next.queue)) delta.queue = next.queue;
  const log = diffLog(previous, next);
  if (log) delta.log = log;
  if (previous.logTotal !== next.logTotal) delta.logTotal = next.logTotal;
  if (!same(previous.problems, next.problems)) delta.problems = next.problems;
  const changed = Object.keys(delta).length > 2 || previous.commit !== next.commit;
  return changed ? delta : undefined;
}

/** The page's side of a delta: the state it would have fetched whole. */
export function applyDashboardDelta(state: DashboardState, delta: DashboardDelta): DashboardState {
  let tasks = state.tasks;
  if (delta.tasks) {
    const byId = new Map(state.tasks.map((task) => [task.id, task]));
    for (const { task } of delta.tasks.upsert) byId.set(task.id, task);
    tasks = applyTaskOrder(state.tasks.map((task) => task.id), delta.tasks.upsert, delta.tasks.remove).map((id) => byId.get(id) as BoardTask);
  }
  const log = !delta.log ? state.log : 'append' in delta.log ? [...state.log, ...delta.log.append].slice(-delta.log.keep) : delta.log.replace;
  return {
    ...state,
    commit: delta.commit,
    now: delta.now,
    tasks,
    counts: delta.counts ?? state.counts,
    spentUsd: delta.spentUsd ?? state.spentUsd,
    workers: delta.workers ?? state.workers,
    queue: delta.queue ?? state.queue,
    log,
    logTotal: delta.logTotal ?? state.logTotal,
    problems: delta.problems ?? state.problems,
  };
}
