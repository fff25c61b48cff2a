import { readBlobs, writeBlob } from '../git/objects.js';
import type { Git } from '../git/git.js';
import { parseRecord, resultSchema, type QueueEntry, type QueueOutcome, type QueueResult } from './records.js';
import { RESULT_PREFIX, entryRef, listRefs, readRef, resultRef, updateRefs } from './refs.js';

/**
 * Settles an entry: removes it from the queue and publishes its result for its waiter, in one
 * transaction that holds only if the entry is still the one decided on (not replaced by a
 * newer entry of the task, not settled by another runner). Returns the result, or undefined
 * when the entry had already changed.
 */
export async function settleEntry(git: Git, entry: QueueEntry, outcome: QueueOutcome, at: Date): Promise<QueueResult | undefined> {
  const result = { ...outcome, id: entry.id, entry: entry.entry, tip: entry.tip, branch: entry.branch, at: at.toISOString() } as QueueResult;
  const blob = await writeBlob(git, JSON.stringify(result));
  const settled = await updateRefs(
    git,
    [
      { ref: entryRef(entry.id), delete: true, from: entry.entry },
      { ref: resultRef(entry.id), to: blob },
    ],
    `queue ${entry.id} ${outcome.kind}`,
  );
  return settled ? result : undefined;
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
