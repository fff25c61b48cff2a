import type { Task, TaskLock } from '../backlog/task.js';

export interface LandingRequest {
  task: Task;
  lock: TaskLock;
  /** The branch tip whose tree passed the gate in the worktree. */
  tip: string;
  /** Environment for gate commands (ports of the worker's slot). */
  env: Record<string, string>;
  gateCommands: string[];
  /** Folder for gate logs of this landing. */
  runDir: string;
  /** Stops the landing's gate; nothing lands once it aborts. */
  signal?: AbortSignal;
}

export type LandingOutcome =
  | { kind: 'landed'; commit: string; regated: boolean }
  | { kind: 'conflict'; files: string[] }
  | { kind: 'gate-failed'; command: string; tail: string }
  | { kind: 'fenced'; message: string }
  /** The signal aborted before the branch landed: it did not land. */
  | { kind: 'stopped' };

/** How finished work reaches the base: serial now, the merge queue later, one interface. */
export interface Lander {
  land(request: LandingRequest): Promise<LandingOutcome>;
}
