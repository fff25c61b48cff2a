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
 * `tasks` in rank order (compareTasks), sorted in place. NOTE: a backlog lists its tasks in file
 * order, so when no task has an ordinal, ranking is a stable split by priority: linear, where a
 * comparison sort of 10,000 tasks cost more than reading them.
 */
export function sortByRank(tasks: Task[]): Task[] {
  let inFileOrder = true;
  for (let i = 0; i < tasks.length; i++) {
    const task = tasks[i] as Task;
    if (task.ordinal !== undefined || (i > 0 && (tasks[i - 1] as Task).order >= task.order)) {
      inFileOrder = false;
      break;
    }
  }
  if (!inFileOrder) return tasks.sort(compareTasks);
  const buckets: Task[][] = [[], [], [], []];
  for (const task of tasks) (buckets[rankOf(task)] as Task[]).push(task);
  let at = 0;
  for (const bucket of buckets) for (const task of bucket) tasks[at++] = task;
  return tasks;
}

/** The literal directory prefix of each glob (`src/api/**` -> `src/api`). */
function globBases(globs: readonly string[]): string[] {
  return globs.map((glob) => picomatch.scan(glob).base);
}

const within = (outer: string, inner: string) => outer === '' || inner === outer || inner.startsWith(outer + '/');
const basesOverlap = (a: readonly string[], b: readonly string[]) => a.some((left) => b.some((right) => within(left, right) || within(right, left)));

/**
 * Whether two sets of path globs could touch the same file, judged by their literal directory
 * prefixes (conservative: `src/*.ts` and `src/*.md` count as overlapping). Empty means unknown.
 */
export function pathsOverlap(a: readonly string[], b: readonly string[]): boolean {
  return basesOverlap(globBases(a), globBases(b));
}

type Source = readonly Task[] | Pick<Backlog, 'tasks' | 'quarantined' | 'doneIds'>;

/** What deciding a task's eligibility needs, worked out once for the whole backlog. */
interface Eligibility {
  quarantined: ReadonlySet<string>;
  isDone: (id: string) => boolean;
  /** Tasks held now (and the caller's busy ones) that declare paths, with their globs' bases. */
  busy: { id: string; bases: string[] }[];
  role: string | undefined;
}

function eligibilityOf(source: Source, options: SelectOptions): Eligibility {
  const tasks = 'tasks' in source ? source.tasks : source;
  const quarantined: ReadonlySet<string> = 'tasks' in source ? source.quarantined : new Set();
  const doneIds: ReadonlyMap<string, string> = 'tasks' in source ? source.doneIds : new Map();
  // NOTE: ids match ignoring case, as validation and Backlog.md do (TASK-35 = task-35).
  // Built only when a task has dependencies: most backlogs' tasks have few.
  let byId: Map<string, Task> | undefined;
  const isDone = (id: string) => {
    byId ??= new Map(tasks.map((task) => [task.id.toLowerCase(), task]));
    const task = byId.get(id.toLowerCase());
    return task ? task.status === 'done' && !quarantined.has(task.file) : doneIds.has(id.toLowerCase());
  };
  // Tasks whose paths overlap a task someone holds now wait: a predictable conflict.
  const held = tasks.filter((task) => task.lock && task.paths.length > 0).map((task) => ({ id: task.id, paths: task.paths }));
  const busy = [...held, ...(options.busyPaths ?? [])].map((entry) => ({ id: entry.id, bases: globBases(entry.paths) }));
  return { quarantined, isDone, busy, role: options.role };
}

function reasonsOf(task: Task, rules: Eligibility): IneligibleReason[] {
  const reasons: IneligibleReason[] = [];
  if (rules.quarantined.has(task.file)) reasons.push({ kind: 'quarantined', file: task.file });
  if (task.status !== 'todo') reasons.push({ kind: 'status', status: task.status });
  if (task.lock) reasons.push({ kind: 'locked', worker: task.lock.worker, host: task.lock.host, pid: task.lock.pid, since: task.lock.since });
  if (task.dependsOn.length > 0) {
    const waiting = task.dependsOn.filter((id) => !rules.isDone(id));
    if (waiting.length > 0) reasons.push({ kind: 'waiting', on: waiting });
  }
  if (rules.role !== undefined && task.role !== rules.role) reasons.push({ kind: 'role', role: task.role });
  if (task.paths.length > 0 && rules.busy.length > 0) {
    const bases = globBases(task.paths);
    const overlaps = rules.busy.filter((busy) => busy.id !== task.id && basesOverlap(bases, busy.bases));
    if (overlaps.length > 0) reasons.push({ kind: 'paths', overlapsWith: overlaps.map((busy) => busy.id) });
  }
  return reasons;
}

/** Why `task` would not be picked (none: it is eligible), on the same rules as selectNextTask. */
export function ineligibleReasons(source: Source, task: Task, options: SelectOptions = {}): IneligibleReason[] {
  return reasonsOf(task, eligibilityOf(source, options));
}

/**
 * Which task a worker of `role` would pick, and why each other task would not be picked. Given
 * the whole backlog, quarantined files are never picked, tasks depending on them wait, and tasks
 * finished elsewhere (Backlog.md's completed/ and archive/) count as done.
 */
export function selectNextTask(source: Source, options: SelectOptions = {}): Selection {
  const tasks = 'tasks' in source ? source.tasks : source;
  const rules = eligibilityOf(source, options);
  const eligible: Task[] = [];
  const ineligible: Candidate[] = [];
  for (const task of tasks) {
    const reasons = reasonsOf(task, rules);
    if (reasons.length === 0) eligible.push(task);
    else ineligible.push({ task, reasons });
  }
  sortByRank(eligible);
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
