// The merge queue's decisions about entries, as pure functions over data: what each entry is
// now, what a batch's gate and landing message are, which entries the log has not seen yet.
// Which entries to gate together next lives in bisect.ts.
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
