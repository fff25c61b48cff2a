// Events that change no state (setup, gate-passed, committed, queued...) wait here, under
// <git-common-dir>/crewtree/journal/, until the next state commit of this machine carries them
// on its log lines. NOTE: a commit per such event flooded main's history and started a CI run
// per push; the journal keeps them without a commit, and a worker that dies leaves them for
// whoever commits next (a sweep, another worker).
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic.js';
import { formatTaskEvent, taskEventNames, type TaskEvent, type TaskEventName } from './events.js';

/** One journal file: the events one call recorded. */
export interface JournalEntry {
  file: string;
  events: TaskEvent[];
}

export function journalDir(commonDir: string): string {
  return join(commonDir, 'crewtree', 'journal');
}

/** Files sort by arrival: a zero-padded clock, then the pid and a nonce against ties. */
function entryName(now: number): string {
  return `${String(now).padStart(15, '0')}-${process.pid}-${randomBytes(3).toString('hex')}.ndjson`;
}

function toLine(event: TaskEvent): string {
  return JSON.stringify({ time: event.time.toISOString(), worker: event.worker, task: event.task, event: event.event, detail: event.detail });
}

const known = new Set<string>(taskEventNames);

/** A journal line back to an event; anything else (a torn or foreign line) is skipped. */
export function parseJournalLine(line: string): TaskEvent | undefined {
  try {
    const value = JSON.parse(line) as Record<string, unknown>;
    const time = new Date(String(value.time));
    const fields = [value.worker, value.task, value.event, value.detail];
    if (Number.isNaN(time.getTime()) || fields.some((field) => typeof field !== 'string') || !known.has(String(value.event))) return undefined;
    return { time, worker: String(value.worker), task: String(value.task), event: value.event as TaskEventName, detail: String(value.detail) };
  } catch {
    return undefined;
  }
}

/** Records events for the next state commit; written whole (temp file and rename) or not at all. */
export async function journalEvents(commonDir: string, events: readonly TaskEvent[], now = Date.now()): Promise<void> {
  if (events.length === 0) return;
  const dir = journalDir(commonDir);
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(join(dir, entryName(now)), events.map(toLine).join('\n') + '\n');
}

/** Every waiting entry, oldest first. Temporary files of a write in progress are not entries. */
export async function readJournal(commonDir: string): Promise<JournalEntry[]> {
  const dir = journalDir(commonDir);
  const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith('.ndjson')).sort();
  const entries = await Promise.all(
    names.map(async (name) => {
      const text = await readFile(join(dir, name), 'utf8').catch(() => '');
      const events = text.split('\n').flatMap((line) => {
        const event = line ? parseJournalLine(line) : undefined;
        return event ? [event] : [];
      });
      return { file: name, events };
    }),
  );
  return entries;
}

/** Forgets entries a state commit has carried onto the base. */
export async function dropJournalEntries(commonDir: string, files: readonly string[]): Promise<void> {
  const dir = journalDir(commonDir);
  await Promise.all(files.map((file) => rm(join(dir, file), { force: true })));
}

/**
 * The journal's events to put on a commit's log lines, in time order (stable), leaving out any
 * line the log already ends with: a crash after a commit and before its entries were dropped
 * must not log them twice.
 */
export function pendingEvents(entries: readonly JournalEntry[], alreadyLogged: (event: TaskEvent) => boolean): TaskEvent[] {
  const events = entries.flatMap((entry) => entry.events).filter((event) => !alreadyLogged(event));
  return events.map((event, index) => ({ event, index })).sort((a, b) => a.event.time.getTime() - b.event.time.getTime() || a.index - b.index).map(({ event }) => event);
}

/** The waiting events as task-log lines, for a reader that must count them as logged already. */
export async function journaledLogText(commonDir: string): Promise<string> {
  const entries = await readJournal(commonDir);
  return entries.flatMap((entry) => entry.events.map((event) => formatTaskEvent(event) + '\n')).join('');
}
