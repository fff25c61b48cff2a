import type { Workspace } from '../workspace.js';
import type { DrainSummary } from './drain.js';
import { DEFAULT_POLL_MS, drainWith, type DriveOptions } from './drive.js';
import { LeaseWatcher } from './lease.js';
import type { QueueEntry, QueueResult } from './records.js';
import { queueDriver } from './queue-driver.js';
import { sleep } from '../process/sleep.js';

export { DEFAULT_POLL_MS, type DriveOptions } from './drive.js';

/**
 * Runs the queue once (`crew merge`): takes the lease and drains the queue; while another live
 * runner holds the lease, waits for it to finish (or to die) and drains what is left.
 */
export async function runQueue(ws: Workspace, options: DriveOptions): Promise<DrainSummary> {
  const watcher = new LeaseWatcher(ws);
  let told = false;
  for (;;) {
    const summary = await drainWith(ws, watcher, options);
    if (!('held' in summary)) return summary;
    if (!told) options.onEvent?.({ kind: 'waiting', reason: summary.held });
    told = true;
    if (options.signal?.aborted) return { results: [], gateRuns: 0, batches: 0, stopped: 'stopped while another runner held the queue' };
    await sleep(options.pollMs ?? DEFAULT_POLL_MS, options.signal);
  }
}

/**
 * Waits for an entry's result, driving the queue whenever its lease is free: whoever holds the
 * lease drains every waiting entry, so one process lands its neighbours' work too. The workers
 * of one process share one drive (queue-driver.ts). Undefined when the signal aborted first: the
 * entry did not land here (a later runner fences it once its task's lock is released).
 */
export function awaitEntry(ws: Workspace, entry: QueueEntry, options: DriveOptions): Promise<QueueResult | undefined> {
  return queueDriver(ws, options.only).wait(entry, options);
}
