import type { TaskEvent } from '../task-log/events.js';
import type { Workspace } from '../workspace.js';
import { commitState } from './transaction.js';

/** Appends task-log lines as their own state commit (events that change no task file). */
export async function recordEvents(ws: Workspace, events: TaskEvent[]): Promise<void> {
  if (events.length === 0) return;
  const ids = [...new Set(events.map((event) => event.task))].join(', ');
  await commitState(ws, () => ({
    change: { files: new Map(), events, message: `chore(backlog): ${ids} ${events.map((e) => e.event).join(', ')}` },
    value: undefined,
  }));
}
