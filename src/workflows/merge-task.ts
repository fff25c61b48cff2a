import { findTask } from '../backlog/backlog.js';
import { CrewError } from '../errors.js';
import type { LandingOutcome } from '../landing/lander.js';
import { listEntries, MergeQueueLander, outcomeOf, readResult, runQueue, type QueueEventSink } from '../merge-queue/index.js';
import type { Workspace } from '../workspace.js';
import { readCachedSnapshot } from './read-backlog.js';
import { approve } from './review.js';

export interface MergeTaskOptions {
  actor: string;
  onEvent?: QueueEventSink;
  signal?: AbortSignal;
}

/**
 * `crew merge ID`: lands just that task, whether it waits in the merge queue (its entry is
 * gated alone; the others keep waiting) or at review (approved, then the same).
 */
export async function mergeTask(ws: Workspace, id: string, options: MergeTaskOptions): Promise<LandingOutcome> {
  const entry = (await listEntries(ws.git)).entries.find((e) => e.id === id);
  if (entry) {
    const summary = await runQueue(ws, { runner: options.actor, only: id, onEvent: options.onEvent, signal: options.signal });
    const result = await readResult(ws.git, id);
    if (result?.entry === entry.entry) return outcomeOf(result);
    throw new CrewError('usage', `${id} is still waiting in the merge queue${summary.stopped ? `: ${summary.stopped}` : ''}.`, { hint: `Run \`crew merge ${id}\` again.` });
  }
  const task = findTask((await readCachedSnapshot(ws)).backlog, id);
  if (task.status === 'review') return approve(ws, task.id, { actor: options.actor, lander: new MergeQueueLander(ws, { only: true, onEvent: options.onEvent }) });
  throw new CrewError('usage', `${task.id} is ${task.status} and not in the merge queue; only a task waiting in the queue or at review can be merged.`, {
    hint: 'See what waits with `crew status`, or `crew task list --status review`.',
  });
}
