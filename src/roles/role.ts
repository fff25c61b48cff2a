import type { Task } from '../backlog/task.js';

/** A role file of `.crewtree/roles/`: which tasks it takes, its agent, what it may touch, its prompt. */
export interface Role {
  name: string;
  /** The agent this role runs (default: the config's `agent`). */
  agent?: string;
  /** Globs of the files it may change; `**` is everything. */
  paths: string[];
  /** Gate commands run after the config's. */
  gate: string[];
  /** A standing prompt run when no task fits (e.g. the architect's code review). */
  duty?: string;
  /** When given, the role only takes tasks with one of these labels. */
  labels: string[];
  /** When given, the role only takes tasks of one of these epics. */
  epics: string[];
  /** The body of the role file. */
  prompt: string;
  /** Repository-relative path of its file; undefined for a default role. */
  file?: string;
}

/** The role of a task that names a role with no file: anything goes, with a generic prompt. */
export function defaultRole(name: string): Role {
  return {
    name,
    paths: ['**'],
    gate: [],
    labels: [],
    epics: [],
    prompt: `# ${name}\n\nYou carry out one task from the backlog in your own git worktree.\n\n- Do what the task's acceptance criteria ask, nothing unrelated.\n- Add or update tests for what you change, and run them before you finish.\n- Keep the change small and follow the conventions of the system context.`,
  };
}

export function resolveRole(roles: ReadonlyMap<string, Role>, name: string): Role {
  return roles.get(name) ?? defaultRole(name);
}

const folded = (values: readonly string[]) => new Set(values.map((value) => value.toLowerCase()));

/** Whether `role` takes `task`: the task names it, and it carries one of the role's labels and epics when those are given. */
export function roleTakes(role: Role, task: Pick<Task, 'role' | 'labels' | 'epic'>): boolean {
  if (task.role !== role.name) return false;
  if (role.labels.length > 0) {
    const labels = folded(role.labels);
    if (!task.labels.some((label) => labels.has(label.toLowerCase()))) return false;
  }
  if (role.epics.length > 0 && !(task.epic !== undefined && folded(role.epics).has(task.epic.toLowerCase()))) return false;
  return true;
}
