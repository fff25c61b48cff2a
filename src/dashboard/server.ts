import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { CrewError } from '../errors.js';
import type { Workspace } from '../workspace.js';
import { gatherDashboardState, gatherTaskDetail } from './gather.js';
import { closeServer, listenOnLoopback, openEventStream, send, sendJson, type EventStream } from './http.js';
import { pageCss, pageHtml } from './page.js';
import { hostAllowed, newToken, tokenMatches } from './token.js';
import { watchState } from './watch.js';

export interface DashboardOptions {
  /** 0 picks a free port. */
  port: number;
  token?: string;
  /** How often the base ref and status files are checked (default 500 ms). */
  intervalMs?: number;
}

export interface Dashboard {
  url: string;
  port: number;
  address: string;
  token: string;
  close(): Promise<void>;
}

const clientScript = fileURLToPath(new URL('./client/app.js', import.meta.url));

/** Pushes the state to every open page when it changes; each message is the whole board. */
class StateHub {
  private readonly streams = new Set<EventStream>();
  private last: string | undefined;
  private gathering: Promise<void> | undefined;
  private again = false;

  constructor(private readonly gather: () => Promise<string>) {}

  add(stream: EventStream): void {
    this.streams.add(stream);
    if (this.last !== undefined) stream.send('state', this.last);
    else this.refresh();
  }

  remove(stream: EventStream): void {
    this.streams.delete(stream);
  }

  /** Gathers again (after the gathering under way, if any) and sends what changed. */
  refresh(): void {
    if (this.gathering) {
      this.again = true;
      return;
    }
    this.gathering = this.run().finally(() => {
      this.gathering = undefined;
      if (this.again) {
        this.again = false;
        this.refresh();
      }
    });
  }

  ping(): void {
    for (const stream of this.streams) stream.comment('keep-alive');
  }

  private async run(): Promise<void> {
    try {
      const json = await this.gather();
      if (json === this.last) return;
      this.last = json;
      for (const stream of this.streams) stream.send('state', json);
    } catch (error) {
      const message = JSON.stringify({ message: error instanceof Error ? error.message : String(error) });
      for (const stream of this.streams) stream.send('problem', message);
    }
  }
}

/** `crew dashboard`: the live board on 127.0.0.1, every request checked for the token. */
export async function startDashboard(ws: Workspace, options: DashboardOptions): Promise<Dashboard> {
  const token = options.token ?? newToken();
  const hub = new StateHub(async () => JSON.stringify(await gatherDashboardState(ws)));
  let port = options.port;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!hostAllowed(req.headers.host, port)) return send(res, 403, 'text/plain', 'Forbidden: use the address crew dashboard printed.');
    if (!tokenMatches(url.searchParams.get('token'), token)) return send(res, 403, 'text/plain', 'Forbidden: open the URL crew dashboard printed; it carries the token.');
    if (req.method !== 'GET') return send(res, 405, 'text/plain', 'Only GET.');
    if (url.pathname === '/') return send(res, 200, 'text/html', pageHtml(token));
    if (url.pathname === '/app.css') return send(res, 200, 'text/css', pageCss);
    if (url.pathname === '/app.js') return send(res, 200, 'text/javascript', await readFile(clientScript, 'utf8'));
    if (url.pathname === '/api/state') return sendJson(res, 200, await gatherDashboardState(ws));
    const task = /^\/api\/tasks\/([^/]+)$/.exec(url.pathname);
    if (task?.[1]) {
      const detail = await gatherTaskDetail(ws, decodeURIComponent(task[1]));
      return detail ? sendJson(res, 200, detail) : sendJson(res, 404, { message: `There is no task ${decodeURIComponent(task[1])} in the backlog.` });
    }
    if (url.pathname === '/events') {
      const stream = openEventStream(req, res, () => hub.remove(stream));
      return hub.add(stream);
    }
    send(res, 404, 'text/plain', 'Not found.');
  };

  let listening: Awaited<ReturnType<typeof listenOnLoopback>>;
  try {
    listening = await listenOnLoopback(handle, options.port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new CrewError('usage', `Port ${options.port} on 127.0.0.1 is in use.`, { hint: 'Pick another with --port, or leave it out to get a free one.' });
    }
    throw error;
  }
  port = listening.port;
  const watcher = watchState(ws, { intervalMs: options.intervalMs ?? 500, onChange: () => hub.refresh() });
  const keepAlive = setInterval(() => hub.ping(), 15_000);
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    address: listening.address,
    token,
    async close() {
      watcher.stop();
      clearInterval(keepAlive);
      await closeServer(listening.server);
    },
  };
}
