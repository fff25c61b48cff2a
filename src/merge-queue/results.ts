import { readBlobs, writeBlobs } from '../git/objects.js';
import type { Git } from '../git/git.js';
import { parseRecord, resultSchema, type QueueEntry, type QueueOutcome, type QueueResult } from './records.js';
import { listRefs, readRef, updateRefs, type RefUpdate } from '../git/refs.js';
import { RESULT_PREFIX, entryRef, resultRef } from './refs.js';

function settling(entry: QueueEntry, blob: string): RefUpdate[] {
  return [
    { ref: entryRef(entry.id), delete: true, from: entry.entry },
    { ref: resultRef(entry.id), to: blob },
  ];
}

/**
 * Settles entries: removes each from the queue and publishes its result for its waiter. An
 * entry is settled only if it is still the one decided on (not replaced by a newer entry of its
 * task, not settled by another runner): all in one transaction, or, if that fails, one by one.
 * Returns the results actually published.
 */
export async function settleEntries(git: Git, settled: readonly { entry: QueueEntry; outcome: QueueOutcome }[], at: Date): Promise<QueueResult[]> {
  if (settled.length === 0) return [];
  const results = settled.map(({ entry, outcome }) => ({ ...outcome, id: entry.id, entry: entry.entry, tip: entry.tip, branch: entry.branch, at: at.toISOString() }) as QueueResult);
  const blobs = await writeBlobs(git, results.map((result) => JSON.stringify(result)));
  const updates = settled.flatMap(({ entry }, index) => settling(entry, blobs[index] ?? ''));
  if (await updateRefs(git, updates, `queue ${results.map((r) => `${r.id} ${r.kind}`).join(', ')}`)) return results;
  const published: QueueResult[] = [];
  for (const [index, { entry, outcome }] of settled.entries()) {
    if (await updateRefs(git, settling(entry, blobs[index] ?? ''), `queue ${entry.id} ${outcome.kind}`)) published.push(results[index]!);
  }
  return published;
}

/** Removes an unreadable entry ref (only if it still points at `oid`). */
export async function dropBrokenEntry(git: Git, taskId: string, oid: string): Promise<void> {
  await updateRefs(git, [{ ref: entryRef(taskId), delete: true, from: oid }], `queue ${taskId} unreadable, dropped`);
}

export async function readResult(git: Git, taskId: string): Promise<QueueResult | undefined> {
  const oid = await readRef(git, resultRef(taskId));
  if (!oid) return undefined;
  return parseRecord(resultSchema, (await readBlobs(git, [oid])).get(oid) ?? '');
}

/** Every task's latest result, newest first. */
export async function listResults(git: Git): Promise<QueueResult[]> {
  const refs = await listRefs(git, RESULT_PREFIX);
  const texts = await readBlobs(git, [...new Set(refs.values())]);
  const results: QueueResult[] = [];
  for (const oid of refs.values()) {
    const result = parseRecord(resultSchema, texts.get(oid) ?? '');
    if (result) results.push(result);
  }
  return results.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}
