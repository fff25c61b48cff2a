import { readQueue, type QueueResult } from '../merge-queue/index.js';
import type { Workspace } from '../workspace.js';

/** The merge queue as the views show it: who runs it, what waits, what landed or bounced lately. */
export interface QueueView {
  runner: { worker: string; pid: number | null; host: string | null; since: string | null; gating: string[]; alive: boolean | null } | null;
  waiting: { task: string; title: string | null; branch: string | null; worker: string | null; since: string | null }[];
  recent: { task: string; outcome: string; at: string | null; detail: string | null }[];
}

export const emptyQueue: QueueView = { runner: null, waiting: [], recent: [] };

export function resultDetail(result: QueueResult): string {
  switch (result.kind) {
    case 'landed':
      return `${result.commit.slice(0, 8)}${result.batch.length > 1 ? `, batch ${result.batch.join(' ')}` : ''}`;
    case 'conflict':
      return `conflicts in ${result.files.join(', ')}`;
    case 'gate-failed':
      return result.command;
    case 'fenced':
      return result.message;
  }
}

/** The merge queue's state (src/merge-queue `readQueue`) in the shape status and the dashboard show. */
export async function readQueueView(ws: Workspace, options: { recent?: number } = {}): Promise<QueueView> {
  const queue = await readQueue(ws, { recent: options.recent ?? 5 });
  return {
    runner: queue.runner
      ? { worker: queue.runner.runner, pid: queue.runner.pid, host: queue.runner.host, since: queue.runner.since, gating: queue.runner.gating?.ids ?? [], alive: queue.runner.alive ?? null }
      : null,
    waiting: queue.waiting.map((entry) => ({ task: entry.id, title: entry.title, branch: entry.branch, worker: entry.worker, since: entry.since })),
    recent: queue.recent.map((result) => ({ task: result.id, outcome: result.kind, at: result.at, detail: resultDetail(result) })),
  };
}
