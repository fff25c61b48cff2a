// The OpenAI Responses API (POST /v1/responses), as much of it as codex needs: a streamed answer
// of response.created, one output item (a message, a call to codex's `exec_command` function, or
// to its freeform `apply_patch` tool, which codex 0.169 offers for the models it knows and uses to
// edit files), response.completed with usage.
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { usageOf, shellWrite, type AnswerStep } from './script.js';
import type { SseEvent } from './anthropic.js';

interface InputItem {
  type?: string;
  role?: string;
  content?: { type: string; text?: string }[] | string;
}

interface ResponsesRequest {
  model?: string;
  stream?: boolean;
  tools?: { name?: string }[];
  input?: InputItem[] | string;
}

export interface OpenAiTurn {
  main: boolean;
  /** Function calls already in the conversation: the index of the step to play. */
  turn: number;
  /** The user's prompt: the last user message before the first function call. */
  prompt: string;
  cwd: string | undefined;
  model: string;
  /** codex offers apply_patch (for models it has metadata for): file writes go through it. */
  applyPatch: boolean;
}

function itemText(item: InputItem): string {
  if (typeof item.content === 'string') return item.content;
  return (item.content ?? []).flatMap((part) => (part.text !== undefined ? [part.text] : [])).join('\n');
}

export function readOpenAiRequest(body: unknown): OpenAiTurn {
  const request = (body ?? {}) as ResponsesRequest;
  const input = typeof request.input === 'string' ? [{ type: 'message', role: 'user', content: request.input }] : (request.input ?? []);
  const isCall = (item: InputItem) => item.type === 'function_call' || item.type === 'custom_tool_call';
  const firstCall = input.findIndex(isCall);
  const before = firstCall === -1 ? input : input.slice(0, firstCall);
  const lastUser = before.filter((item) => (item.type ?? 'message') === 'message' && item.role === 'user').at(-1);
  const cwd = /<cwd>([^<]+)<\/cwd>/.exec(input.map(itemText).join('\n'))?.[1]?.trim();
  return {
    main: request.stream === true && (request.tools?.length ?? 0) > 0,
    turn: input.filter(isCall).length,
    prompt: lastUser ? itemText(lastUser) : '',
    cwd,
    model: request.model ?? 'test-model',
    applyPatch: (request.tools ?? []).some((tool) => tool.name === 'apply_patch'),
  };
}

type OutputItem =
  | { type: 'message'; id: string; role: 'assistant'; status: 'completed'; content: { type: 'output_text'; text: string; annotations: [] }[] }
  | { type: 'function_call'; id: string; call_id: string; name: string; arguments: string; status: 'completed' }
  | { type: 'custom_tool_call'; id: string; call_id: string; name: string; input: string; status: 'completed' };

/**
 * An apply_patch patch that makes `path` hold `content`: an added file, or, when the file is
 * there already, every old line replaced (the server runs beside the agent and reads it).
 */
export function patchWriting(path: string, content: string, cwd: string | undefined): string {
  const lines = (text: string, sign: string) => text.replace(/\n$/, '').split('\n').map((line) => `${sign}${line}\n`).join('');
  const absolute = isAbsolute(path) ? path : resolve(cwd ?? '/', path);
  if (!existsSync(absolute)) return `*** Begin Patch\n*** Add File: ${path}\n${lines(content, '+')}*** End Patch\n`;
  const old = readFileSync(absolute, 'utf8');
  return `*** Begin Patch\n*** Update File: ${path}\n@@\n${lines(old, '-')}${lines(content, '+')}*** End Patch\n`;
}

/** The output item a step becomes: an apply_patch call or a shell command for codex, or a message. */
export function openAiItem(step: AnswerStep, turn: Pick<OpenAiTurn, 'applyPatch' | 'cwd'>, id: string): OutputItem {
  if ('write' in step && turn.applyPatch) {
    return { type: 'custom_tool_call', id: `ctc_${id}`, call_id: `call_${id}`, name: 'apply_patch', input: patchWriting(step.write, step.content, turn.cwd), status: 'completed' };
  }
  if ('write' in step || 'run' in step) {
    const cmd = 'write' in step ? shellWrite(step.write, step.content) : step.run;
    return { type: 'function_call', id: `fc_${id}`, call_id: `call_${id}`, name: 'exec_command', arguments: JSON.stringify({ cmd }), status: 'completed' };
  }
  return { type: 'message', id: `msg_${id}`, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: step.reply, annotations: [] }] };
}

export function openAiStream(step: AnswerStep, turn: OpenAiTurn, id: string): SseEvent[] {
  const usage = usageOf(step);
  const item = openAiItem(step, turn, id);
  const response = { id: `resp_${id}`, object: 'response', model: turn.model, status: 'in_progress', output: [] as OutputItem[] };
  const events: SseEvent[] = [['response.created', { type: 'response.created', response }]];
  const started =
    item.type === 'message' ? { ...item, status: 'in_progress', content: [] } : item.type === 'function_call' ? { ...item, arguments: '', status: 'in_progress' } : { ...item, input: '', status: 'in_progress' };
  events.push(['response.output_item.added', { type: 'response.output_item.added', output_index: 0, item: started }]);
  if (item.type === 'message') {
    const text = item.content[0]?.text ?? '';
    events.push(['response.output_text.delta', { type: 'response.output_text.delta', item_id: item.id, output_index: 0, content_index: 0, delta: text }]);
  } else if (item.type === 'function_call') {
    events.push(['response.function_call_arguments.delta', { type: 'response.function_call_arguments.delta', item_id: item.id, output_index: 0, delta: item.arguments }]);
  } else {
    events.push(['response.custom_tool_call_input.delta', { type: 'response.custom_tool_call_input.delta', item_id: item.id, output_index: 0, delta: item.input }]);
  }
  events.push(['response.output_item.done', { type: 'response.output_item.done', output_index: 0, item }]);
  const usageJson = {
    input_tokens: usage.input,
    input_tokens_details: { cached_tokens: usage.cacheRead ?? 0 },
    output_tokens: usage.output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: usage.input + usage.output,
  };
  events.push(['response.completed', { type: 'response.completed', response: { ...response, status: 'completed', output: [item], usage: usageJson } }]);
  return events;
}

export function openAiError(message: string, status = 400): unknown {
  const type = status === 429 ? 'rate_limit_exceeded' : status >= 500 ? 'server_error' : 'invalid_request_error';
  return { error: { message, type, code: status === 429 ? 'rate_limit_exceeded' : null, param: null } };
}
