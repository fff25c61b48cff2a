import type { Task, TaskLock } from '../backlog/task.js';
import type { Role } from '../roles/load.js';
import type { Workspace } from '../workspace.js';
import type { AgentPauses } from './agent-pauses.js';
import type { Reporter } from './events.js';

/** Everything one task's attempts share. */
export interface AttemptContext {
  ws: Workspace;
  task: Task;
  lock: TaskLock;
  worktree: string;
  /** The commit the branch started from. */
  start: string;
  env: Record<string, string>;
  ignored: string[];
  role: Role;
  agent: string;
  context: string;
  reporter: Reporter;
  signal: AbortSignal;
  /** Shared by the workers of one process: an agent's API limit pauses all of them. */
  pauses: AgentPauses;
  /** Attempts earlier runs of this task recorded: run logs are numbered on from there, never overwritten. */
  earlierAttempts: number;
}
