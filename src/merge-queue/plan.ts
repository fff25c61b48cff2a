// The merge queue's decisions, as pure functions over data: what each entry is now, which
// entries to gate together next, and what a gate verdict teaches about the rest.
import type { Task } from '../backlog/task.js';
import { parseTaskLog } from '../task-log/events.js';
import type { QueueEntry } from './records.js';

/** The `queued` line's detail; it names the entry so a later runner never logs it twice. */
export function queuedDetail(entry: Pick<QueueEntry, 'branch' | 'tip' | 'entry'>): string {
  return `${entry.branch} at ${entry.tip.slice(0, 8)}, entry ${entry.entry.slice(0, 8)}`;
}

/** Entries the task log has no `queued` line for yet. */
export function unloggedEntries<E extends Pick<QueueEntry, 'id' | 'branch' | 'tip' | 'entry'>>(entries: readonly E[], taskLog: string): E[] {
  const logged = new Set(
    parseTaskLog(taskLog)
      .filter((event) => event.event === 'queued')
      .map((event) => `${event.task}\0${event.detail}`),
  );
  return entries.filter((entry) => !logged.has(`${entry.id}\0${queuedDetail(entry)}`));
}

export type EntryState =
  | { kind: 'waiting' }
  | { kind: 'fenced'; message: string }
  /** Its lock is gone and the task is done: landed already if its tip is on the base. */
  | { kind: 'maybe-landed' };

/** Where an entry stands against the backlog on the base (its task's lock is the fence). */
export function classifyEntry(entry: QueueEntry, task: Task | undefined): EntryState {
  if (!task) return { kind: 'fenced', message: `${entry.id} is no longer in the backlog; ${entry.branch} was not landed.` };
  if (task.lock?.token === entry.token) return { kind: 'waiting' };
  if (task.status === 'done') return { kind: 'maybe-landed' };
  const now = task.lock ? `it is now locked by ${task.lock.worker} (pid ${task.lock.pid} on ${task.lock.host})` : `it is no longer locked (${task.status})`;
  return {
    kind: 'fenced',
    message: `Refused to land ${entry.id}: the lock it was queued with is gone; ${now}. ${entry.branch} keeps the work.`,
  };
}

/** What the runner remembers between rounds of one run: which entries a red batch implicated. */
export interface BisectMemory {
  /** Entry commits of the unresolved part of the last red batch, in queue order. */
  suspects: string[];
}

export interface BatchPlan {
  /** Entries to try, in order; the batch takes up to `limit` of them that merge together. */
  candidates: QueueEntry[];
  limit: number;
  bisecting: boolean;
}

/**
 * The next batch: normally the oldest `batchSize` waiting entries; after a red batch, the first
 * half of its unresolved entries (bisection), down to a single suspect.
 */
export function planBatch(waiting: readonly QueueEntry[], memory: BisectMemory, batchSize: number): BatchPlan {
  const suspects = new Set(memory.suspects);
  const live = waiting.filter((entry) => suspects.has(entry.entry));
  if (live.length === 0) return { candidates: [...waiting], limit: batchSize, bisecting: false };
  return { candidates: live, limit: Math.ceil(live.length / 2), bisecting: true };
}

/**
 * What a verdict on `batch` leaves suspect. Green: the rest of a bisected red batch (the culprit
 * is there). Red: the batch itself, unless it was a single entry, which is the culprit; the
 * others go back to ordinary batches.
 */
export function afterVerdict(memory: BisectMemory, batch: readonly QueueEntry[], ok: boolean): BisectMemory {
  const gated = new Set(batch.map((entry) => entry.entry));
  if (ok) return { suspects: memory.suspects.filter((oid) => !gated.has(oid)) };
  if (batch.length > 1) return { suspects: batch.map((entry) => entry.entry) };
  return { suspects: [] };
}

/** The gate of a batch: every command any of its tasks requires, each once, in order. */
export function batchGate(batch: readonly Pick<QueueEntry, 'gate'>[]): string[] {
  return [...new Set(batch.flatMap((entry) => entry.gate))];
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The landing commit's message: the branch(es) and a `Task:` trailer per task. */
export function batchMessage(batch: readonly Pick<QueueEntry, 'id' | 'title' | 'branch'>[]): string {
  const [only] = batch;
  if (batch.length === 1 && only) return `Merge ${only.branch} (${only.id}: ${oneLine(only.title)})\n\nTask: ${only.id}\n`;
  const lines = batch.map((entry) => `- ${entry.branch} (${entry.id}: ${oneLine(entry.title)})`);
  const trailers = batch.map((entry) => `Task: ${entry.id}`);
  return `Merge ${batch.length} branches: ${batch.map((entry) => entry.id).join(', ')}\n\n${lines.join('\n')}\n\n${trailers.join('\n')}\n`;
}
