// A scripted model server on 127.0.0.1 for the real `claude` and `codex` CLIs: it plays a
// script (write this file, run this command, reply), reports tokens, answers the CLIs' side
// calls, and records every request so tests can read what the agent was told.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { anthropicError, anthropicSideAnswer, anthropicStream, readAnthropicRequest, type SseEvent } from './anthropic.js';
import { openAiError, openAiStream, readOpenAiRequest } from './openai.js';
import { missingPromptText, stepAt, usageOf, type AnswerStep, type ModelScript, type StepUsage } from './script.js';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  api: 'anthropic' | 'openai' | 'other';
  /** The agent's own loop, not a side call. */
  main: boolean;
  /** Which run of the script (0-based) this request belongs to, for main requests. */
  conversation?: number;
  turn?: number;
  prompt?: string;
  cwd?: string;
  status: number;
}

export interface ReportedUsage {
  conversation: number;
  turn: number;
  usage: StepUsage;
}

export interface ModelServer {
  /** `http://127.0.0.1:<port>`: ANTHROPIC_BASE_URL for claude. */
  url: string;
  /** `http://127.0.0.1:<port>/v1`: a codex model provider's base_url. */
  openAiUrl: string;
  port: number;
  requests: RecordedRequest[];
  /** The main requests' prompts at their first turn, one per agent run, in order. */
  prompts(): string[];
  /** Tokens reported to the agents' own loops (side calls left out). */
  reported: ReportedUsage[];
  totals(conversation?: number): { inputTokens: number; outputTokens: number };
  /** Problems the script found: a prompt lacking an expected text, a run the script has no answer for. */
  problems: string[];
  close(): Promise<void>;
}

/** Claude Code and codex each name their session in a header; a new session is a new agent run. */
function sessionOf(request: IncomingMessage): string | undefined {
  const header = request.headers['x-claude-code-session-id'] ?? request.headers['session-id'];
  return typeof header === 'string' ? header : undefined;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function sendEvents(response: ServerResponse, events: SseEvent[]): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (const [event, data] of events) response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  response.end();
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function startModelServer(script: ModelScript): Promise<ModelServer> {
  const requests: RecordedRequest[] = [];
  const reported: ReportedUsage[] = [];
  const problems: string[] = [];
  const sessions = new Map<string, number>();
  let answers = 0;
  let outageLeft = script.outage?.count ?? 0;
  /** Requests held open by a hanging script, answered never; ended on close. */
  const held: ServerResponse[] = [];

  /** A main request the outage or the hang answers instead of the script; true when it did. */
  function failOrHang(api: 'anthropic' | 'openai', record: RecordedRequest, response: ServerResponse): boolean {
    if (script.hang) {
      record.status = 0;
      held.push(response);
      return true;
    }
    if (outageLeft <= 0 || !script.outage) return false;
    outageLeft--;
    const { status, retryAfterSeconds } = script.outage;
    record.status = status;
    const message = status === 429 ? 'Rate limited by the scripted model server' : `Scripted outage (${status})`;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
    response.writeHead(status, headers);
    response.end(JSON.stringify(api === 'anthropic' ? anthropicError(status, message) : openAiError(message, status)));
    return true;
  }

  /** The run a main request belongs to: a new session at its first turn starts the next one. */
  function conversationOf(session: string | undefined, turn: number): number {
    if (session !== undefined && sessions.has(session)) return sessions.get(session) ?? 0;
    const index = turn === 0 || sessions.size === 0 ? sessions.size : sessions.size - 1;
    sessions.set(session ?? `anonymous-${index}`, index);
    return index;
  }

  /** Answers a main request with its step: streamed events, an API error when the script says so, or a hang-up. */
  function playStep(api: 'anthropic' | 'openai', record: RecordedRequest, response: ServerResponse, render: (step: AnswerStep, id: string) => SseEvent[]): void {
    const conversation = record.conversation ?? 0;
    const turn = record.turn ?? 0;
    const step = stepAt(script, conversation, turn);
    const lacking = turn === 0 ? missingPromptText(script.conversations[conversation], record.prompt ?? '') : undefined;
    if ('missing' in step || lacking !== undefined) {
      const problem = 'missing' in step ? step.missing : `run ${conversation + 1}: the prompt lacks ${JSON.stringify(lacking)}`;
      problems.push(problem);
      record.status = 400;
      const message = `scripted model server: ${problem}`;
      return sendJson(response, 400, api === 'anthropic' ? anthropicError(400, message) : openAiError(message));
    }
    if ('hangUp' in step) {
      record.status = 0;
      server.close();
      response.socket?.destroy();
      server.closeAllConnections();
      return;
    }
    reported.push({ conversation, turn, usage: usageOf(step) });
    sendEvents(response, render(step, String(++answers)));
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const body = await readBody(request);
    const record: RecordedRequest = { method: request.method ?? 'GET', path, headers: request.headers, body, api: 'other', main: false, status: 200 };
    requests.push(record);
    if (request.method === 'POST' && path === '/v1/messages') {
      const turn = readAnthropicRequest(body);
      Object.assign(record, { api: 'anthropic', main: turn.main, prompt: turn.prompt, cwd: turn.cwd, turn: turn.turn });
      if (!turn.main) {
        const side = anthropicSideAnswer(turn, `side${++answers}`);
        return 'json' in side ? sendJson(response, 200, side.json) : sendEvents(response, side.events);
      }
      if (failOrHang('anthropic', record, response)) return;
      record.conversation = conversationOf(sessionOf(request), turn.turn);
      return playStep('anthropic', record, response, (step, id) => anthropicStream(step, turn, id));
    }
    if (request.method === 'POST' && path === '/v1/messages/count_tokens') return sendJson(response, 200, { input_tokens: 1000 });
    if (request.method === 'POST' && path === '/v1/responses') {
      const turn = readOpenAiRequest(body);
      Object.assign(record, { api: 'openai', main: turn.main, prompt: turn.prompt, cwd: turn.cwd, turn: turn.turn });
      if (turn.main && failOrHang('openai', record, response)) return;
      record.conversation = conversationOf(sessionOf(request), turn.turn);
      return playStep('openai', record, response, (step, id) => openAiStream(step, turn, id));
    }
    if (path === '/v1/models') return sendJson(response, 200, { object: 'list', data: [], models: [] });
    if (path === '/api/hello' || path === '/') {
      response.writeHead(200, { 'content-type': 'text/plain' });
      return void response.end(request.method === 'HEAD' ? undefined : 'ok');
    }
    record.status = 404;
    sendJson(response, 404, { error: { type: 'not_found_error', message: `the scripted model server does not serve ${request.method} ${path}` } });
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      problems.push(`server error: ${String(error)}`);
      if (!response.headersSent) sendJson(response, 500, { error: { message: String(error) } });
      else response.end();
    });
  });
  // NOTE: the CLIs keep connections alive; closing must not wait for them.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    openAiUrl: `${url}/v1`,
    port,
    requests,
    reported,
    problems,
    prompts: () => requests.filter((r) => r.main && r.turn === 0 && r.status === 200).map((r) => r.prompt ?? ''),
    totals(conversation) {
      const counted = reported.filter((entry) => conversation === undefined || entry.conversation === conversation);
      return {
        inputTokens: counted.reduce((sum, entry) => sum + entry.usage.input, 0),
        outputTokens: counted.reduce((sum, entry) => sum + entry.usage.output, 0),
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of held.splice(0)) response.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
