export const taskStatuses = ['todo', 'in-progress', 'review', 'done', 'blocked'] as const;
export type TaskStatus = (typeof taskStatuses)[number];

export const priorities = ['high', 'medium', 'low'] as const;
export type Priority = (typeof priorities)[number];

export const commitTypes = ['feat', 'fix', 'docs', 'style', 'refactor', 'perf', 'test', 'build', 'ci', 'chore', 'revert'] as const;
export type CommitType = (typeof commitTypes)[number];

/**
 * A letter, then letters, digits, - or _; dots only between such runs (sub-tasks: BACK-12.3); at
 * most 64 characters. NOTE: an id names a branch, a worktree folder and refs; a 300-character id
 * would pass the claim and then fail on the file system's 255-byte names.
 */
export const ID_PATTERN = /^(?=.{1,64}$)[A-Za-z][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*$/;

export interface TaskLock {
  worker: string;
  token: string;
  branch: string;
  worktree: string;
  host: string;
  pid: number;
  since: string;
}

export interface Task {
  id: string;
  title: string;
  status: TaskStatus;
  priority: Priority;
  /** Whether the file gives a priority; a task without one ranks after low, as in Backlog.md. */
  priorityGiven?: boolean;
  /** The commit type: the file's conventional type, or its Backlog.md type mapped (bug -> fix). */
  type: CommitType;
  /** `type` as the file writes it, when it is not a conventional-commit type (Backlog.md's bug, feature...). */
  typeName?: string;
  /** `status` as the file writes it (`In Progress`, a custom `QA`), for messages and for writing back. */
  statusName?: string;
  /** Backlog.md's `parent_task_id` (a sub-task's parent). */
  parent?: string;
  /** Backlog.md's manual order: lower first, within a priority. */
  ordinal?: number;
  epic: string | undefined;
  role: string;
  dependsOn: string[];
  paths: string[];
  labels: string[];
  review: boolean;
  lock: TaskLock | undefined;
  /** Repository-relative path of the task file. */
  file: string;
  /** Position in the backlog (file order), the last tie-breaker when ranking. */
  order: number;
  /** Whether the file speaks Backlog.md's dialect (`To Do`, `dependencies:`), kept when writing. */
  dialect: 'crewtree' | 'backlog.md';
  /** The words this backlog writes statuses with (Backlog.md's configured statuses); absent: the dialect's defaults. */
  statusWords?: Readonly<Record<TaskStatus, string>>;
  /** 1-based line of each top-level key in the file, for messages. */
  lines: Record<string, number>;
}

export const priorityRank: Record<Priority, number> = { high: 0, medium: 1, low: 2 };

/** Backlog.md's task types and the commit type each stands for. */
export const backlogMdTypes: Record<string, CommitType> = {
  bug: 'fix',
  feature: 'feat',
  enhancement: 'feat',
  task: 'chore',
  chore: 'chore',
  docs: 'docs',
  spike: 'chore',
};

/** Backlog.md's status names, keyed by ours. */
export const backlogMdStatus: Partial<Record<TaskStatus, string>> = {
  todo: 'To Do',
  'in-progress': 'In Progress',
  done: 'Done',
};
