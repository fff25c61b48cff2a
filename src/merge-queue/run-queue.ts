import type { Workspace } from '../workspace.js';
import { drainQueue, type DrainSummary } from './drain.js';
import { readEntryOid } from './entries.js';
import type { QueueEventSink } from './events.js';
import { removeAbandonedCheckouts } from './integration-checkout.js';
import { LeaseWatcher } from './lease.js';
import type { QueueEntry, QueueResult } from './records.js';
import { readResult } from './results.js';
import { sleep } from '../process/sleep.js';
import { finishInterruptedMove } from '../state/transaction.js';

export interface DriveOptions {
  /** Who runs the queue, for the lease and the log (e.g. `crew merge`, a worker's name). */
  runner: string;
  env?: Record<string, string>;
  only?: string;
  signal?: AbortSignal;
  onEvent?: QueueEventSink;
  /** How often a waiting process looks at the lease and its result. */
  pollMs?: number;
}

export const DEFAULT_POLL_MS = 250;

/** Holds the lease taken by `watcher` for one drain, then gives it back. */
async function drainWith(ws: Workspace, watcher: LeaseWatcher, options: DriveOptions): Promise<DrainSummary | { held: string }> {
  const lease = await watcher.tryAcquire(options.runner);
  if (!lease) return { held: watcher.lastReason };
  try {
    if (lease.tookOver) options.onEvent?.({ kind: 'took-over', reason: lease.tookOver });
    await removeAbandonedCheckouts(ws);
    // NOTE: a runner killed between moving the base and the checkout left the checkout behind;
    // settling its landing makes no state commit that would finish the move.
    await finishInterruptedMove(ws);
    return await drainQueue(ws, { lease, env: options.env ?? {}, only: options.only, signal: options.signal, onEvent: options.onEvent, actor: options.runner });
  } finally {
    await lease.release();
  }
}

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
 * lease drains every waiting entry, so one process lands its neighbours' work too. Undefined when
 * the signal aborted first: the entry did not land here (a later runner fences it once its task's
 * lock is released).
 */
export async function awaitEntry(ws: Workspace, entry: QueueEntry, options: DriveOptions): Promise<QueueResult | undefined> {
  const watcher = new LeaseWatcher(ws);
  for (;;) {
    const result = await readResult(ws.git, entry.id);
    if (result?.entry === entry.entry) return result;
    if (options.signal?.aborted) return undefined;
    if ((await readEntryOid(ws.git, entry.id)) !== entry.entry) {
      const late = await readResult(ws.git, entry.id);
      if (late?.entry === entry.entry) return late;
      const message = `${entry.id}'s place in the merge queue was taken by a newer entry or removed; ${entry.branch} was not landed by this request.`;
      return { kind: 'fenced', message, id: entry.id, entry: entry.entry, tip: entry.tip, branch: entry.branch, at: ws.clock.now().toISOString() };
    }
    const drained = await drainWith(ws, watcher, options);
    if ('held' in drained) await sleep(options.pollMs ?? DEFAULT_POLL_MS, options.signal);
  }
}
