import { priorityRank, type Task } from './task.js';
import { naturalCompare, type Backlog } from './backlog.js';
import picomatch from 'picomatch';

export type IneligibleReason =
  | { kind: 'status'; status: Task['status'] }
  | { kind: 'locked'; worker: string; host: string; pid: number; since: string }
  | { kind: 'waiting'; on: string[] }
  | { kind: 'role'; role: string }
  | { kind: 'paths'; overlapsWith: string[] }
  | { kind: 'quarantined'; file: string };

export interface Candidate {
  task: Task;
  reasons: IneligibleReason[];
}

export interface Selection {
  pick: Task | undefined;
  /** Eligible tasks in rank order (the pick first). */
  eligible: Task[];
  /** Every other task with why it is not eligible. */
  ineligible: Candidate[];
}

export interface SelectOptions {
  role?: string;
  /** Globs of tasks running now: a task whose paths overlap them waits. */
  busyPaths?: { id: string; paths: string[] }[];
}

/**
 * In a Backlog.md backlog (its config.yml read: the task carries its status words) a task
 * without a priority ranks after low, as Backlog.md ranks it; in ours it is medium.
 */
export const ranksUnprioritizedLast = (task: Task) => task.priorityGiven === false && task.statusWords !== undefined;
const rankOf = (task: Task) => (ranksUnprioritizedLast(task) ? 3 : priorityRank[task.priority]);
/** Backlog.md's manual order: a task with an ordinal before one without. */
const ordinalOf = (task: Task) => task.ordinal ?? Number.POSITIVE_INFINITY;

/** Rank order of design section 1: priority, then Backlog.md's ordinal, then file order, then id. */
export function compareTasks(a: Task, b: Task): number {
  return rankOf(a) - rankOf(b) || ordinalOf(a) - ordinalOf(b) || a.order - b.order || naturalCompare(a.id, b.id);
}

/**
 * Whether two sets of path globs could touch the same file, judged by their literal directory
 * prefixes (conservative: `src/*.ts` and `src/*.md` count as overlapping). Empty means unknown.
 */
export function pathsOverlap(a: readonly string[], b: readonly string[]): boolean {
  const within = (outer: string, inner: string) => outer === '' || inner === outer || inner.startsWith(outer + '/');
  return a.some((left) => {
    const leftBase = picomatch.scan(left).base;
    return b.some((right) => {
      const rightBase = picomatch.scan(right).base;
      return within(leftBase, rightBase) || within(rightBase, leftBase);
    });
  });
}

/**
 * Which task a worker of `role` would pick, and why each other task would not be picked. Given
 * the whole backlog, quarantined files are never picked, tasks depending on them wait, and tasks
 * finished elsewhere (Backlog.md's completed/ and archive/) count as done.
 */
export function selectNextTask(source: readonly Task[] | Pick<Backlog, 'tasks' | 'quarantined' | 'doneIds'>, options: SelectOptions = {}): Selection {
  const tasks = 'tasks' in source ? source.tasks : source;
  const quarantined: ReadonlySet<string> = 'tasks' in source ? source.quarantined : new Set();
  const doneIds: ReadonlyMap<string, string> = 'tasks' in source ? source.doneIds : new Map();
  // NOTE: ids match ignoring case, as validation and Backlog.md do (TASK-35 = task-35).
  const byId = new Map(tasks.map((task) => [task.id.toLowerCase(), task]));
  const isDone = (id: string) => {
    const task = byId.get(id.toLowerCase());
    return task ? task.status === 'done' && !quarantined.has(task.file) : doneIds.has(id.toLowerCase());
  };
  // Tasks whose paths overlap a task someone holds now wait: a predictable conflict.
  const held = tasks.filter((task) => task.lock && task.paths.length > 0).map((task) => ({ id: task.id, paths: task.paths }));
  const busyPaths = [...held, ...(options.busyPaths ?? [])];
  const eligible: Task[] = [];
  const ineligible: Candidate[] = [];
  for (const task of tasks) {
    const reasons: IneligibleReason[] = [];
    if (quarantined.has(task.file)) reasons.push({ kind: 'quarantined', file: task.file });
    if (task.status !== 'todo') reasons.push({ kind: 'status', status: task.status });
    if (task.lock) reasons.push({ kind: 'locked', worker: task.lock.worker, host: task.lock.host, pid: task.lock.pid, since: task.lock.since });
    const waiting = task.dependsOn.filter((id) => !isDone(id));
    if (waiting.length > 0) reasons.push({ kind: 'waiting', on: waiting });
    if (options.role !== undefined && task.role !== options.role) reasons.push({ kind: 'role', role: task.role });
    const overlaps = busyPaths.filter((busy) => busy.id !== task.id && pathsOverlap(task.paths, busy.paths));
    if (overlaps.length > 0) reasons.push({ kind: 'paths', overlapsWith: overlaps.map((busy) => busy.id) });
    if (reasons.length === 0) eligible.push(task);
    else ineligible.push({ task, reasons });
  }
  eligible.sort(compareTasks);
  return { pick: eligible[0], eligible, ineligible };
}

export function describeReason(reason: IneligibleReason): string {
  switch (reason.kind) {
    case 'status':
      return `status is ${reason.status}`;
    case 'locked':
      return `locked by ${reason.worker} since ${reason.since} (pid ${reason.pid} on ${reason.host})`;
    case 'waiting':
      return `waiting on ${reason.on.join(', ')}`;
    case 'role':
      return `for role ${reason.role}`;
    case 'paths':
      return `paths overlap running ${reason.overlapsWith.join(', ')}`;
    case 'quarantined':
      return `${reason.file} has problems (see \`crew doctor\`)`;
  }
}
