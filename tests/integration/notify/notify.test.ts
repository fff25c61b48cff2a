import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { notify, type NotifyEvent } from '../../../src/notify/index.js';
import { openWorkspace } from '../../../src/workflows/open-workspace.js';
import type { Workspace } from '../../../src/workspace.js';
import { tempRepo, type TempRepo } from '../../helpers/temp-repo.js';

const event: NotifyEvent = {
  task: 'A9',
  title: '$(touch pwned); rm -rf ~',
  status: 'blocked',
  branch: 'ai/w1/A9-touch-pwned-rm-rf',
  summary: 'blocked after attempt 3: npm test exited with 1',
};
const clock = { now: () => new Date('2025-01-02T03:04:05.000Z') };

interface Received {
  method: string;
  contentType: string;
  body: string;
}

async function startServer(respond: (request: IncomingMessage, response: ServerResponse) => void): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      received.push({ method: request.method ?? '', contentType: request.headers['content-type'] ?? '', body });
      respond(request, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/hook`, received };
}

describe('notify', () => {
  let repo: TempRepo;
  let server: Server | undefined;
  afterEach(async () => {
    repo.cleanup();
    if (server) await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  async function workspace(config: string, env: Record<string, string | undefined> = { PATH: process.env.PATH }): Promise<Workspace> {
    repo = tempRepo();
    repo.write('.crewtree/config.yaml', config);
    return openWorkspace(repo.dir, { env, clock, host: 'laptop' });
  }

  it('does nothing when no channel is configured', async () => {
    expect(await notify(await workspace(''), event)).toEqual([]);
  });

  it('POSTs the event as JSON to the webhook', async () => {
    const started = await startServer((_request, response) => response.writeHead(204).end());
    server = started.server;
    const outcomes = await notify(await workspace(`notify:\n  webhook: ${started.url}\n`), event);
    expect(outcomes).toEqual([{ channel: 'webhook', result: 'sent', detail: `${started.url} answered HTTP 204` }]);
    expect(started.received).toHaveLength(1);
    expect(started.received[0]?.method).toBe('POST');
    expect(started.received[0]?.contentType).toBe('application/json');
    expect(JSON.parse(started.received[0]?.body ?? '')).toEqual({
      ...event,
      host: 'laptop',
      time: '2025-01-02T03:04:05.000Z',
      text: 'A9 is blocked: $(touch pwned); rm -rf ~ (ai/w1/A9-touch-pwned-rm-rf) - blocked after attempt 3: npm test exited with 1',
    });
  });

  it('returns a webhook that answers an error status as failed, without throwing', async () => {
    const started = await startServer((_request, response) => response.writeHead(500).end('boom'));
    server = started.server;
    expect(await notify(await workspace(`notify:\n  webhook: ${started.url}\n`), event)).toEqual([
      { channel: 'webhook', result: 'failed', detail: `${started.url} answered HTTP 500` },
    ]);
  });

  it('gives up on a webhook that does not answer in time', async () => {
    const started = await startServer(() => undefined);
    server = started.server;
    const begun = Date.now();
    const outcomes = await notify(await workspace(`notify:\n  webhook: ${started.url}\n`), event, { webhookTimeoutMs: 300 });
    expect(outcomes).toEqual([{ channel: 'webhook', result: 'failed', detail: `${started.url}: no answer within 0.3 s` }]);
    expect(Date.now() - begun).toBeLessThan(3000);
    started.server.closeAllConnections();
  });

  it('reports a webhook nobody listens on as failed', async () => {
    const started = await startServer((_request, response) => response.end());
    await new Promise((resolve) => started.server.close(resolve));
    const [outcome] = await notify(await workspace(`notify:\n  webhook: ${started.url}\n`), event);
    expect(outcome?.result).toBe('failed');
    expect(outcome?.detail).toMatch(new RegExp(`^${started.url.replace(/[.]/g, '\\.')}: fetch failed: .*ECONNREFUSED`));
  });

  it('runs the command with the event on stdin and in CREWTREE_* variables, never in the command string', async () => {
    const ws = await workspace('notify:\n  command: ./tools/notify.sh --flag\n');
    repo.write('tools/notify.sh', '#!/bin/bash\ncat > event.json\necho "$CREWTREE_TASK $CREWTREE_STATUS $CREWTREE_BRANCH $1" > env.txt\n');
    chmodSync(join(repo.dir, 'tools/notify.sh'), 0o755);

    expect(await notify(ws, event)).toEqual([{ channel: 'command', result: 'sent', detail: './tools/notify.sh --flag' }]);
    expect(JSON.parse(repo.read('event.json'))).toEqual(event);
    expect(repo.read('env.txt')).toBe('A9 blocked ai/w1/A9-touch-pwned-rm-rf --flag\n');
    expect(existsSync(join(repo.dir, 'pwned'))).toBe(false);
  });

  it('returns a failing command as failed with its exit code and output', async () => {
    const ws = await workspace("notify:\n  command: 'echo cannot reach chat >&2; exit 7'\n");
    expect(await notify(ws, event)).toEqual([{ channel: 'command', result: 'failed', detail: 'echo cannot reach chat >&2; exit 7 exited with 7: cannot reach chat' }]);
  });

  it('pops up a desktop notification through notify-send on PATH', async () => {
    repo = tempRepo();
    const bin = mkdtempSync(join(tmpdir(), 'crewtree-bin-'));
    const record = join(bin, 'argv.json');
    writeFileSync(join(bin, 'notify-send'), `#!${process.execPath}\nrequire('fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify(process.argv.slice(2)));\n`);
    chmodSync(join(bin, 'notify-send'), 0o755);
    repo.write('.crewtree/config.yaml', 'notify:\n  desktop: true\n');
    const ws = await openWorkspace(repo.dir, { env: { PATH: `${bin}:${process.env.PATH ?? ''}` }, clock, host: 'laptop' });

    const outcomes = await notify(ws, event);
    const argv: unknown = JSON.parse(readFileSync(record, 'utf8'));
    rmSync(bin, { recursive: true, force: true });
    expect(outcomes).toEqual([{ channel: 'desktop', result: 'sent', detail: join(bin, 'notify-send') }]);
    expect(argv).toEqual([
      '--app-name=crewtree',
      '--',
      'crewtree: A9 blocked',
      '$(touch pwned); rm -rf ~\nai/w1/A9-touch-pwned-rm-rf\nblocked after attempt 3: npm test exited with 1',
    ]);
  });

  it('skips the desktop where there is no notify-send, and still sends the others', async () => {
    const started = await startServer((_request, response) => response.end('ok'));
    server = started.server;
    // A PATH with bash (for the command) and nothing else.
    const bin = mkdtempSync(join(tmpdir(), 'crewtree-bin-'));
    symlinkSync(execFileSync('bash', ['-c', 'command -v bash'], { encoding: 'utf8' }).trim(), join(bin, 'bash'));
    const ws = await workspace(`notify:\n  desktop: true\n  webhook: ${started.url}\n  command: 'true'\n`, { PATH: bin });
    const outcomes = await notify(ws, event);
    rmSync(bin, { recursive: true, force: true });
    expect(outcomes).toEqual([
      { channel: 'desktop', result: 'skipped', detail: 'notify-send is not on PATH' },
      { channel: 'webhook', result: 'sent', detail: `${started.url} answered HTTP 200` },
      { channel: 'command', result: 'sent', detail: 'true' },
    ]);
  });
});
