// The Anthropic Messages API (POST /v1/messages), as much of it as Claude Code needs: a streamed
// answer of message_start, content blocks (text or tool_use), message_delta with usage, message_stop.
import { isAbsolute, resolve } from 'node:path';
import { usageOf, type AnswerStep } from './script.js';

interface ContentBlock {
  type: string;
  text?: string;
}

interface MessagesRequest {
  model?: string;
  stream?: boolean;
  tools?: unknown[];
  messages?: { role: string; content: string | ContentBlock[] }[];
}

/** What the server needs to know about one request to /v1/messages. */
export interface AnthropicTurn {
  /** The agent's own loop (tools offered, streamed), not a side call such as a title. */
  main: boolean;
  /** Assistant turns already in the conversation: the index of the step to play. */
  turn: number;
  /** The user's prompt: the first user message's text, without Claude Code's reminders. */
  prompt: string;
  /** Claude Code's working directory, from its system context. */
  cwd: string | undefined;
  model: string;
  stream: boolean;
}

function texts(content: string | ContentBlock[] | undefined): string[] {
  if (typeof content === 'string') return [content];
  return (content ?? []).flatMap((block) => (block.type === 'text' && block.text !== undefined ? [block.text] : []));
}

export function readAnthropicRequest(body: unknown): AnthropicTurn {
  const request = (body ?? {}) as MessagesRequest;
  const messages = request.messages ?? [];
  const firstUser = messages.find((message) => message.role === 'user');
  const prompt = texts(firstUser?.content)
    .filter((text) => !text.startsWith('<system-reminder>'))
    .join('\n');
  const cwd = /Primary working directory: ([^\n"]+)/.exec(JSON.stringify(body).replace(/\\n/g, '\n'))?.[1]?.trim();
  return {
    main: request.stream === true && (request.tools?.length ?? 0) > 0,
    turn: messages.filter((message) => message.role === 'assistant').length,
    prompt,
    cwd,
    model: request.model ?? 'claude-test',
    stream: request.stream === true,
  };
}

type Block = { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

/** The content a step becomes: Claude Code's Write and Bash tools, or a closing text. */
export function anthropicBlocks(step: AnswerStep, cwd: string, id: string): Block[] {
  if ('write' in step) {
    const path = isAbsolute(step.write) ? step.write : resolve(cwd, step.write);
    return [{ type: 'tool_use', id: `toolu_${id}`, name: 'Write', input: { file_path: path, content: step.content } }];
  }
  if ('run' in step) return [{ type: 'tool_use', id: `toolu_${id}`, name: 'Bash', input: { command: step.run, description: 'Run the command the script asks for' } }];
  return [{ type: 'text', text: step.reply }];
}

export type SseEvent = [event: string, data: unknown];

/** The streamed events of one answer, with the step's tokens in message_start and message_delta. */
export function anthropicStream(step: AnswerStep, turn: AnthropicTurn, id: string): SseEvent[] {
  const usage = usageOf(step);
  const blocks = anthropicBlocks(step, turn.cwd ?? '/', id);
  const events: SseEvent[] = [
    [
      'message_start',
      {
        type: 'message_start',
        message: {
          id: `msg_${id}`,
          type: 'message',
          role: 'assistant',
          model: turn.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          // NOTE: Anthropic's input_tokens excludes the cached part, which comes separately.
          usage: { input_tokens: usage.input - (usage.cacheRead ?? 0), cache_read_input_tokens: usage.cacheRead ?? 0, cache_creation_input_tokens: 0, output_tokens: 0 },
        },
      },
    ],
  ];
  blocks.forEach((block, index) => {
    if (block.type === 'text') {
      events.push(['content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } }]);
      events.push(['content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: block.text } }]);
    } else {
      events.push(['content_block_start', { type: 'content_block_start', index, content_block: { ...block, input: {} } }]);
      events.push(['content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input) } }]);
    }
    events.push(['content_block_stop', { type: 'content_block_stop', index }]);
  });
  const stopReason = blocks.some((block) => block.type === 'tool_use') ? 'tool_use' : 'end_turn';
  events.push(['message_delta', { type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: usage.output } }]);
  events.push(['message_stop', { type: 'message_stop' }]);
  return events;
}

/** A side call (a title, a quota probe): a short text, streamed or not, with tokens the tests do not count. */
export function anthropicSideAnswer(turn: AnthropicTurn, id: string): { json: unknown } | { events: SseEvent[] } {
  const step: AnswerStep = { reply: 'Scripted task', usage: { input: 10, output: 3 } };
  if (turn.stream) return { events: anthropicStream(step, { ...turn, cwd: '/' }, id) };
  return {
    json: {
      id: `msg_${id}`,
      type: 'message',
      role: 'assistant',
      model: turn.model,
      content: [{ type: 'text', text: 'Scripted task' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 3 },
    },
  };
}

const ANTHROPIC_ERROR_TYPES: Record<number, string> = { 400: 'invalid_request_error', 429: 'rate_limit_error', 529: 'overloaded_error' };

export function anthropicError(status: number, message: string): unknown {
  return { type: 'error', error: { type: ANTHROPIC_ERROR_TYPES[status] ?? 'api_error', message } };
}
