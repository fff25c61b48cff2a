import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { CrewError } from '../errors.js';
import type { Workspace } from '../workspace.js';
import { gatherDashboardState, gatherTaskDetail } from './gather.js';
import { closeServer, listenOnLoopback, openEventStream, send, sendJson, type EventStream } from './http.js';
import { pageCss, pageHtml } from './page.js';
import { hostAllowed, newToken, tokenMatches } from './token.js';
import { watchRepository } from './watch.js';
import { diffDashboardState } from './delta.js';
import type { DashboardState } from './state.js';
import { isProcessAlive } from '../process/alive.js';
import { snapshotReader } from '../workflows/read-backlog.js';

export interface DashboardOptions {
  /** 0 picks a free port. */
  port: number;
  token?: string;
  /** How often a keep-alive comment goes out, and listed workers' processes are checked (default 15 s). */
  keepAliveMs?: number;
}

export interface Dashboard {
  url: string;
  port: number;
  address: string;
  token: string;
  /** What the hub sent so far: full states and deltas, with their sizes (for tests and bench/dashboard). */
  sent: { kind: 'state' | 'delta'; bytes: number }[];
  close(): Promise<void>;
}

const clientScript = fileURLToPath(new URL('./client/app.js', import.meta.url));
const deltaScript = fileURLToPath(new URL('./delta.js', import.meta.url));

/**
 * The board as the server last read it. A page that connects gets it whole (once); after that,
 * every change the watcher reports is gathered and pushed to every page as a delta.
 */
class StateHub {
  private readonly streams = new Set<EventStream>();
  private state: DashboardState | undefined;
  private json: string | undefined;
  private gathering: Promise<void> | undefined;
  private again = false;
  readonly sent: Dashboard['sent'] = [];

  constructor(
    private readonly gather: () => Promise<DashboardState>,
    /** This machine: only its workers' processes can be checked. */
    private readonly host: string,
  ) {}

  add(stream: EventStream): void {
    this.streams.add(stream);
    // NOTE: before the first read ends, the page waits for it (it sends to every stream); a second read would block the server for nothing.
    if (this.state) this.sendWhole(stream);
    else if (!this.gathering) this.refresh();
  }

  remove(stream: EventStream): void {
    this.streams.delete(stream);
  }

  /** The state now, gathering it first if nothing was read yet. */
  async current(): Promise<DashboardState> {
    if (!this.state) {
      this.refresh();
      await this.gathering;
    }
    if (!this.state) throw new Error('the dashboard could not read the state');
    return this.state;
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

  /** Keeps connections open through proxies; a worker process that died shows as gone. */
  ping(): void {
    for (const stream of this.streams) stream.comment('keep-alive');
    if (this.state?.workers.some((worker) => worker.alive === true && worker.host === this.host && !isProcessAlive(worker.pid))) this.refresh();
  }

  private sendWhole(stream: EventStream): void {
    this.json ??= JSON.stringify(this.state);
    stream.send('state', this.json);
    this.sent.push({ kind: 'state', bytes: Buffer.byteLength(this.json) });
  }

  private async run(): Promise<void> {
    try {
      const next = await this.gather();
      const previous = this.state;
      this.state = next;
      if (!previous) {
        for (const stream of this.streams) this.sendWhole(stream);
        return;
      }
      const delta = diffDashboardState(previous, next);
      if (!delta) return;
      this.json = undefined;
      const text = JSON.stringify(delta);
      for (const stream of this.streams) stream.send('delta', text);
      if (this.streams.size > 0) this.sent.push({ kind: 'delta', bytes: Buffer.byteLength(text) });
    } catch (error) {
      const message = JSON.stringify({ message: error instanceof Error ? error.message : String(error) });
      for (const stream of this.streams) stream.send('problem', message);
    }
  }
}

/** `crew dashboard`: the live board on 127.0.0.1, every request checked for the token. */
export async function startDashboard(ws: Workspace, options: DashboardOptions): Promise<Dashboard> {
  const token = options.token ?? newToken();
  const read = snapshotReader(ws);
  const hub = new StateHub(() => gatherDashboardState(ws, read), ws.host);
  // NOTE: watching starts before the first read, so a change made while it runs is not missed.
  const watcher = watchRepository(ws, { onChange: () => hub.refresh() });
  hub.refresh();
  let port = options.port;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!hostAllowed(req.headers.host, port)) return send(res, 403, 'text/plain', 'Forbidden: use the address crew dashboard printed.');
    if (!tokenMatches(url.searchParams.get('token'), token)) return send(res, 403, 'text/plain', 'Forbidden: open the URL crew dashboard printed; it carries the token.');
    if (req.method !== 'GET') return send(res, 405, 'text/plain', 'Only GET.');
    if (url.pathname === '/') return send(res, 200, 'text/html', pageHtml(token));
    if (url.pathname === '/app.css') return send(res, 200, 'text/css', pageCss);
    if (url.pathname === '/app.js') return send(res, 200, 'text/javascript', await readFile(clientScript, 'utf8'));
    if (url.pathname === '/delta.js') return send(res, 200, 'text/javascript', await readFile(deltaScript, 'utf8'));
    if (url.pathname === '/api/state') return sendJson(res, 200, await hub.current());
    const task = /^\/api\/tasks\/([^/]+)$/.exec(url.pathname);
    if (task?.[1]) {
      const detail = await gatherTaskDetail(ws, decodeURIComponent(task[1]), read);
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
    watcher.stop();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new CrewError('usage', `Port ${options.port} on 127.0.0.1 is in use.`, { hint: 'Pick another with --port, or leave it out to get a free one.' });
    }
    throw error;
  }
  port = listening.port;
  const keepAlive = setInterval(() => hub.ping(), options.keepAliveMs ?? 15_000);
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    address: listening.address,
    token,
    sent: hub.sent,
    async close() {
      watcher.stop();
      clearInterval(keepAlive);
      await closeServer(listening.server);
    },
  };
}
