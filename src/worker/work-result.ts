import type { Task } from '../backlog/task.js';

/** How one worker's task ended. */
export type WorkResult =
  | { kind: 'done'; task: Task; commit: string; attempts: number }
  /** `failed`: released because of an error in this worker alone (the studio skips the task for the rest of the run). */
  | { kind: 'review' | 'blocked' | 'released' | 'fenced'; task: Task; detail: string; failed?: boolean };
