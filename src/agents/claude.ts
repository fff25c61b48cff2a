// Claude Code, headless: `claude -p --output-format stream-json --verbose ... -- <prompt>`.
import * as z from 'zod/mini';
import { eventsOfType, jsonObjects, oneLine } from './json-lines.js';
import { choosePromptMode, invocationFromTemplate } from './prompt-delivery.js';
import type { AgentAdapter, AgentUsage, ParsedOutput } from './types.js';

// NOTE: `acceptEdits` lets Claude Code edit files in its working directory (the worktree) without
// asking, and refuses edits anywhere else; allowing Bash lets it run commands (the gate's tests,
// git status) without asking. Edit and Write are not listed: an allowed tool name is allowed on
// every path, which would let it write outside the worktree. Both work as root, where
// `--dangerously-skip-permissions` is refused unless IS_SANDBOX=1 is set.
export const CLAUDE_ALLOWED_TOOLS = ['Bash'] as const;

// NOTE: Claude Code retries a failing API call 10 times with backoff by default: minutes of
// silence before it says anything. crewtree's own timeout stays in force either way.
export const CLAUDE_MAX_RETRIES = '3';

const usageSchema = z.looseObject({
  input_tokens: z.optional(z.number()),
  output_tokens: z.optional(z.number()),
  cache_creation_input_tokens: z.optional(z.number()),
  cache_read_input_tokens: z.optional(z.number()),
});

const denialSchema = z.looseObject({ tool_name: z.string(), tool_input: z.optional(z.unknown()) });

const resultSchema = z.looseObject({
  type: z.literal('result'),
  subtype: z.optional(z.string()),
  is_error: z.optional(z.boolean()),
  result: z.optional(z.string()),
  errors: z.optional(z.array(z.unknown())),
  num_turns: z.optional(z.number()),
  total_cost_usd: z.optional(z.number()),
  api_error: z.optional(z.nullable(z.string())),
  api_error_status: z.optional(z.nullable(z.number())),
  api_error_type: z.optional(z.nullable(z.string())),
  terminal_reason: z.optional(z.string()),
  usage: z.optional(usageSchema),
  permission_denials: z.optional(z.array(denialSchema)),
});

const assistantSchema = z.looseObject({
  type: z.literal('assistant'),
  is_api_error_message: z.optional(z.boolean()),
  message: z.looseObject({ content: z.optional(z.array(z.looseObject({ type: z.string(), text: z.optional(z.string()) }))) }),
});

type ResultEvent = z.infer<typeof resultSchema>;

function usageOf(result: ResultEvent): AgentUsage | undefined {
  const usage = result.usage;
  if (!usage && result.total_cost_usd === undefined) return undefined;
  const cacheRead = usage?.cache_read_input_tokens ?? 0;
  const cacheWrite = usage?.cache_creation_input_tokens ?? 0;
  return {
    inputTokens: (usage?.input_tokens ?? 0) + cacheRead + cacheWrite,
    outputTokens: usage?.output_tokens ?? 0,
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    costUsd: result.total_cost_usd,
  };
}

/** `Bash(npm test)`, `Write(src/a.ts)`: what the agent was refused, short. */
export function describeDenial(denial: z.infer<typeof denialSchema>): string {
  const input = (denial.tool_input ?? {}) as Record<string, unknown>;
  const subject = [input.command, input.file_path, input.notebook_path, input.url].find((value) => typeof value === 'string');
  const detail = typeof subject === 'string' ? subject : JSON.stringify(denial.tool_input ?? '');
  return `${denial.tool_name}(${oneLine(detail, 80)})`;
}

function failureOf(result: ResultEvent, denials: string[]): string | undefined {
  const failed = result.is_error === true || (result.subtype !== undefined && result.subtype !== 'success');
  if (!failed) return undefined;
  const errors = (result.errors ?? []).map((error) => (typeof error === 'string' ? error : JSON.stringify(error)));
  const text = result.result ?? errors.join('; ');
  let reason: string;
  if (result.subtype && result.subtype !== 'success') {
    const turns = result.subtype === 'error_max_turns' && result.num_turns !== undefined ? ` after ${result.num_turns} turns` : '';
    reason = `${result.subtype}${turns}${text ? `: ${text}` : ''}`;
  } else {
    reason = text || 'claude reported an error';
  }
  if (result.api_error === 'connection_failed') reason = `could not reach its API: ${reason}`;
  if (denials.length > 0) reason += `; refused ${denials.join(', ')}`;
  return oneLine(reason);
}

/** Claude Code says when a failure was its API's: a status, an error type, a failed connection, a usage limit. */
function apiErrorOf(result: ResultEvent, error: string): ParsedOutput['apiError'] {
  const status = result.api_error_status ?? undefined;
  const fromApi = status !== undefined || Boolean(result.api_error_type) || Boolean(result.api_error) || result.terminal_reason === 'api_error' || /usage limit|hit your limit/i.test(error);
  if (!fromApi) return undefined;
  return { text: [result.api_error_type, result.api_error, error].filter(Boolean).join(': '), status };
}

function lastAssistantText(objects: readonly Record<string, unknown>[]): string | undefined {
  const texts = eventsOfType(objects, 'assistant', assistantSchema)
    .filter((event) => !event.is_api_error_message)
    .flatMap((event) => (event.message.content ?? []).flatMap((block) => (block.type === 'text' && block.text ? [block.text] : [])));
  return texts.at(-1);
}

export function parseClaudeOutput(lines: readonly string[], exitCode: number | null): ParsedOutput {
  const objects = jsonObjects(lines);
  const result = eventsOfType(objects, 'result', resultSchema).at(-1);
  if (!result) {
    return { finalMessage: lastAssistantText(objects), error: exitCode === 0 ? 'claude ended without a result event' : undefined };
  }
  const denials = (result.permission_denials ?? []).map(describeDenial);
  const error = failureOf(result, denials);
  return {
    apiError: error ? apiErrorOf(result, error) : undefined,
    usage: usageOf(result),
    finalMessage: error ? lastAssistantText(objects) : result.result,
    error,
    warnings: !error && denials.length > 0 ? denials.map((denial) => `claude was refused ${denial}`) : undefined,
  };
}

export const claudeAgent: AgentAdapter = {
  name: 'claude',
  invocation(input) {
    const command = input.settings.command ?? 'claude';
    const env = { CLAUDE_CODE_MAX_RETRIES: CLAUDE_MAX_RETRIES };
    if (input.settings.args) return { ...invocationFromTemplate(command, input.settings.args, input, 'argument'), env };
    const mode = choosePromptMode(input, { usual: 'argument', supported: ['argument', 'stdin'], whenTooLong: 'stdin' });
    const args = ['-p', '--output-format', 'stream-json', '--verbose', '--permission-mode', 'acceptEdits', `--allowedTools=${CLAUDE_ALLOWED_TOOLS.join(',')}`];
    if (input.settings.model) args.push('--model', input.settings.model);
    args.push(...input.settings.flags);
    // NOTE: `--` ends the options: a prompt that starts with a dash stays the prompt.
    if (mode === 'argument') args.push('--', input.request.prompt);
    return {
      command,
      args,
      stdin: mode === 'stdin' ? input.request.prompt : undefined,
      env,
      files: [],
      promptArgIndex: mode === 'argument' ? args.length - 1 : undefined,
    };
  },
  parse: parseClaudeOutput,
};
