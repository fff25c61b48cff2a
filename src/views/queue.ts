import type { Workspace } from '../workspace.js';

/** The merge queue as the views show it: who runs it, what waits, what landed or bounced lately. */
export interface QueueView {
  runner: { worker: string; pid: number | null; host: string | null; since: string | null } | null;
  waiting: { task: string; branch: string | null; worker: string | null; since: string | null }[];
  recent: { task: string; outcome: string; at: string | null; detail: string | null }[];
}

export const emptyQueue: QueueView = { runner: null, waiting: [], recent: [] };

/**
 * The merge queue's state for status and the dashboard.
 * NOTE: the merge queue (src/merge-queue/, `readQueue(ws)`) is not in the tree yet; until it is,
 * the views show an empty queue. This is the one place to switch over.
 */
export async function readQueueView(_ws: Workspace): Promise<QueueView> {
  return emptyQueue;
}
