import type { CommandFinished } from '../events/crew-event.js';
import { ndjsonSink } from '../events/ndjson-sink.js';
import type { Workspace } from '../workspace.js';
import type { Io } from './output.js';

/**
 * `--json` on run, work, merge and dispatch: every event of the workspace's bus as one NDJSON
 * line on stdout, until the returned function is called. Human text goes to stderr or nowhere.
 */
export function streamEvents(io: Io, ws: Workspace): () => void {
  return ws.events.subscribe(ndjsonSink((line) => io.out(line)));
}

/** The command's last event: its exit code and summary. */
export function emitFinished(ws: Workspace, command: CommandFinished['command'], exitCode: number, result: Record<string, unknown>): number {
  ws.events.emit({ type: 'finished', time: ws.clock.now(), command, exitCode, result });
  return exitCode;
}
