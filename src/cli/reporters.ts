import { hostname } from 'node:os';
import { fanOut, statusFileReporter } from '../studio/status-files.js';
import { terminalReporter } from '../studio/live-view.js';
import { busReporter } from '../worker/events.js';
import type { Workspace } from '../workspace.js';
import { chooseOutputMode, useColor, type Io } from './output.js';
import { onStopSignals } from '../process/signals.js';

/**
 * The live view (or plain lines, or nothing with --json) plus the status files `crew status`
 * reads, and the workspace's event bus (`--json`'s NDJSON lines).
 */
export function studioReporters(io: Io, ws: Workspace, json: boolean) {
  const mode = chooseOutputMode({ json, isTTY: io.isTTY, env: io.env });
  const terminal = terminalReporter({
    interactive: mode === 'interactive',
    color: useColor(mode, io.env),
    write: (text) => (mode === 'json' ? undefined : process.stdout.write(text)),
    width: () => process.stdout.columns ?? 100,
  });
  const files = statusFileReporter(ws.commonDir, ws.host || hostname());
  return { terminal, files, reporter: fanOut(terminal, files, busReporter(ws.events)), mode };
}

/** First Ctrl-C (or SIGTERM) stops cleanly through the signal; a second one forces an exit. */
export function stopOnSignals(io: Io, controller: AbortController): () => void {
  return onStopSignals((count) => {
    if (count === 1) {
      io.err('crew: stopping: agents are being stopped, locks released, branches kept (Ctrl-C again to force)');
      controller.abort();
    } else {
      io.err('crew: forced exit');
      process.exit(130);
    }
  });
}
