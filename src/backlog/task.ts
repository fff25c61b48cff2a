export const taskStatuses = ['todo', 'in-progress', 'review', 'done', 'blocked'] as const;
export type TaskStatus = (typeof taskStatuses)[number];

export const priorities = ['high', 'medium', 'low'] as const;
export type Priority = (typeof priorities)[number];

export const commitTypes = ['feat', 'fix', 'docs', 'style', 'refactor', 'perf', 'test', 'build', 'ci', 'chore', 'revert'] as const;
export type CommitType = (typeof commitTypes)[number];

export const ID_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*$/;

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
  type: CommitType;
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
  /** 1-based line of each top-level key in the file, for messages. */
  lines: Record<string, number>;
  body: string;
}

export const priorityRank: Record<Priority, number> = { high: 0, medium: 1, low: 2 };

/** Backlog.md's status names, keyed by ours. */
export const backlogMdStatus: Partial<Record<TaskStatus, string>> = {
  todo: 'To Do',
  'in-progress': 'In Progress',
  done: 'Done',
};
