// The dashboard's HTTP layer on node:http: four routes and one event stream need no framework,
// and node:http keeps the listening address (loopback only) in plain sight.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const LOOPBACK = '127.0.0.1';

// NOTE: the token travels in URLs; no-referrer keeps it from leaving in a Referer header.
const securityHeaders: Record<string, string> = {
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
};

export function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { ...securityHeaders, 'Content-Type': `${type}; charset=utf-8`, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json', JSON.stringify(value));
}

export interface EventStream {
  send(event: string, data: string): void;
  comment(text: string): void;
  readonly closed: boolean;
}

/** Server-sent events on one response; the browser's EventSource reconnects by itself. */
export function openEventStream(req: IncomingMessage, res: ServerResponse, onClose: () => void): EventStream {
  res.writeHead(200, { ...securityHeaders, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
  res.write('retry: 1000\n\n');
  let closed = false;
  req.on('close', () => {
    closed = true;
    onClose();
  });
  return {
    send(event, data) {
      if (!closed) res.write(`event: ${event}\n${data.split('\n').map((line) => `data: ${line}`).join('\n')}\n\n`);
    },
    comment(text) {
      if (!closed) res.write(`: ${text}\n\n`);
    },
    get closed() {
      return closed;
    },
  };
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** Listens on 127.0.0.1 only: nothing on the network can connect, whatever the firewall says. */
export async function listenOnLoopback(handler: Handler, port: number): Promise<{ server: Server; port: number; address: string }> {
  const server = createServer((req, res) => {
    Promise.resolve(handler(req, res)).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, 'text/plain', `crew dashboard: ${error instanceof Error ? error.message : String(error)}`);
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host: LOOPBACK, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return { server, port: address.port, address: address.address };
}

export function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
