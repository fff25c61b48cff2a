import type { Command } from 'commander';
import { openInBrowser } from '../../dashboard/open-browser.js';
import { startDashboard } from '../../dashboard/server.js';
import { CrewError } from '../../errors.js';
import { action, workspaceFor } from '../action.js';
import type { CliState } from '../action.js';
import { printJson, type Io } from '../output.js';
import { onStopSignals } from '../../process/signals.js';

function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CrewError('usage', `--port ${value} is not a port number.`, { hint: 'Use 1024-65535, or leave it out to get a free port.' });
  return port;
}

/** Resolves on the first Ctrl-C or SIGTERM; the next one has its default effect. */
function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    const stopListening = onStopSignals(() => {
      stopListening();
      resolve();
    });
  });
}

export function registerDashboard(program: Command, io: Io, state: CliState): void {
  program
    .command('dashboard')
    .description('a live web board on 127.0.0.1 (with a secret token in its URL), updated as state changes; Ctrl-C stops')
    .option('--port <port>', 'port to listen on (default: a free one)')
    .option('--open', 'open it in the browser (xdg-open or open)')
    .option('--json', 'print the URL, port and token as JSON')
    .action(
      action(state, async (options: { port?: string; open?: boolean; json?: boolean }) => {
        const ws = await workspaceFor(io);
        const dashboard = await startDashboard(ws, { port: parsePort(options.port) });
        if (options.json) printJson(io, { url: dashboard.url, address: dashboard.address, port: dashboard.port, token: dashboard.token });
        else {
          io.out(`crew dashboard: ${dashboard.url}`);
          io.out(`Listening on ${dashboard.address}:${dashboard.port} only; the token in the URL is needed for every request. Ctrl-C stops.`);
        }
        if (options.open && !(await openInBrowser(dashboard.url, io.env, ws.root))) io.err('crew: no xdg-open or open found; open the URL above yourself.');
        await untilStopped();
        await dashboard.close();
      }),
    );
}
