import { eventLine, type CrewEvent } from './crew-event.js';

/** `--json` on run, work, merge and dispatch: one event per line, nothing else. */
export function ndjsonSink(write: (text: string) => void): (event: CrewEvent) => void {
  return (event) => write(eventLine(event) + '\n');
}
