// Which entries to gate together next, as pure functions: batches of the oldest entries, and
// after a red batch a search for the culprit(s) that lands the good entries on the way.
import type { QueueEntry } from './records.js';

/** What the runner remembers between rounds of one run about the last red batch. */
export interface BisectMemory {
  /** Entry commits of the unresolved part of the last red batch, in queue order. */
  suspects: string[];
  /** Those of them whose changed files the failure output names: the likely culprits. */
  named: string[];
}

export const freshMemory: BisectMemory = { suspects: [], named: [] };

export type BatchMode = 'fresh' | 'exonerate' | 'bisect';

export interface BatchPlan {
  /** Entries to try, in order; the batch takes up to `limit` of them that merge together. */
  candidates: QueueEntry[];
  limit: number;
  mode: BatchMode;
}

/**
 * The next batch. Normally the oldest `batchSize` waiting entries. After a red batch: if the
 * failure output named some of its entries (not all), the others alone ("exonerate": when
 * green they land and the named ones are the suspects); otherwise the first half of the
 * suspects (bisection), down to a single entry.
 */
export function planBatch(waiting: readonly QueueEntry[], memory: BisectMemory, batchSize: number): BatchPlan {
  const suspects = new Set(memory.suspects);
  const named = new Set(memory.named);
  const live = waiting.filter((entry) => suspects.has(entry.entry));
  if (live.length === 0) return { candidates: [...waiting], limit: batchSize, mode: 'fresh' };
  const unnamed = live.filter((entry) => !named.has(entry.entry));
  if (unnamed.length > 0 && unnamed.length < live.length) return { candidates: unnamed, limit: unnamed.length, mode: 'exonerate' };
  return { candidates: live, limit: Math.ceil(live.length / 2), mode: 'bisect' };
}

/**
 * What a verdict on `batch` leaves suspect. Green: the rest of the red batch (a culprit is
 * there). Red: the batch itself with the entries its failure output names, unless it was a
 * single entry, which is the culprit; the others go back to ordinary batches.
 */
export function afterVerdict(memory: BisectMemory, batch: readonly QueueEntry[], ok: boolean, namedByFailure: readonly string[] = []): BisectMemory {
  const gated = new Set(batch.map((entry) => entry.entry));
  if (ok) {
    const suspects = memory.suspects.filter((oid) => !gated.has(oid));
    return { suspects, named: memory.named.filter((oid) => suspects.includes(oid)) };
  }
  if (batch.length > 1) return { suspects: [...gated], named: namedByFailure.filter((oid) => gated.has(oid)) };
  return freshMemory;
}
