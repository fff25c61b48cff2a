import { taskLogged } from '../events/crew-event.js';
import { journalEvents } from '../task-log/journal.js';
import type { TaskEvent } from '../task-log/events.js';
import type { Workspace } from '../workspace.js';

/**
 * Records task-log lines of events that change no task file (setup, gate results, committed,
 * queued). They wait in the journal under .git/crewtree/ and ride on the next state commit's
 * log lines, so they cost main no commit of their own.
 */
export async function recordEvents(ws: Workspace, events: TaskEvent[]): Promise<void> {
  await journalEvents(ws.commonDir, events, ws.clock.now().getTime());
  for (const event of events) ws.events.emit(taskLogged(event));
}
