import type { Workspace } from '../workspace.js';
import { finishInterruptedMove } from '../state/transaction.js';
import { drainQueue, type DrainSummary } from './drain.js';
import type { QueueEventSink } from './events.js';
import { removeAbandonedCheckouts } from './integration-checkout.js';
import type { LeaseWatcher } from './lease.js';

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

/**
 * Holds the lease taken by `watcher` for one drain, then gives it back. `wanted`: asked between
 * rounds; the drain ends when it says no one waits any more.
 */
export async function drainWith(ws: Workspace, watcher: LeaseWatcher, options: DriveOptions & { wanted?: () => boolean }): Promise<DrainSummary | { held: string }> {
  const lease = await watcher.tryAcquire(options.runner);
  if (!lease) return { held: watcher.lastReason };
  try {
    if (lease.tookOver) options.onEvent?.({ kind: 'took-over', reason: lease.tookOver });
    await removeAbandonedCheckouts(ws);
    // NOTE: a runner killed between moving the base and the checkout left the checkout behind;
    // settling its landing makes no state commit that would finish the move.
    await finishInterruptedMove(ws);
    return await drainQueue(ws, { lease, env: options.env ?? {}, only: options.only, signal: options.signal, onEvent: options.onEvent, actor: options.runner, wanted: options.wanted });
  } finally {
    await lease.release();
  }
}

