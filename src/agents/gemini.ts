// Gemini CLI, headless: `gemini --output-format stream-json --approval-mode yolo --prompt=<prompt>`.
import * as z from 'zod/mini';
import { eventsOfType, jsonObjects, oneLine } from './json-lines.js';
import { choosePromptMode, invocationFromTemplate } from './prompt-delivery.js';
import type { AgentAdapter, ParsedOutput } from './types.js';

const statsSchema = z.looseObject({
  input_tokens: z.optional(z.number()),
  output_tokens: z.optional(z.number()),
  cached: z.optional(z.number()),
});
const resultSchema = z.looseObject({
  type: z.literal('result'),
  status: z.optional(z.string()),
  error: z.optional(z.looseObject({ message: z.optional(z.string()), type: z.optional(z.string()) })),
  stats: z.optional(statsSchema),
});
const messageSchema = z.looseObject({ type: z.literal('message'), role: z.string(), content: z.string(), delta: z.optional(z.boolean()) });
const errorSchema = z.looseObject({ type: z.literal('error'), severity: z.optional(z.string()), message: z.string() });

/** Gemini's documented exit codes besides 0 and 1. */
const EXIT_MEANINGS: Record<number, string> = { 42: 'gemini refused its input (exit 42)', 53: 'gemini reached its turn limit (exit 53)' };

/** The assistant's last reply: the message chunks after the last tool call or user message. */
function lastReply(objects: readonly Record<string, unknown>[]): string | undefined {
  let reply: string[] = [];
  for (const object of objects) {
    if (object.type === 'message') {
      const message = messageSchema.safeParse(object);
      if (!message.success) continue;
      if (message.data.role !== 'assistant') reply = [];
      else reply.push(message.data.content);
    } else if (object.type === 'tool_use' || object.type === 'tool_result') {
      reply = [];
    }
  }
  const text = reply.join('').trim();
  return text === '' ? undefined : text;
}

export function parseGeminiOutput(lines: readonly string[], exitCode: number | null): ParsedOutput {
  const objects = jsonObjects(lines);
  const result = eventsOfType(objects, 'result', resultSchema).at(-1);
  const lastError = eventsOfType(objects, 'error', errorSchema).filter((event) => event.severity !== 'warning').at(-1)?.message;
  let error: string | undefined;
  if (result && result.status !== undefined && result.status !== 'success') error = result.error?.message ?? lastError ?? `gemini ended with status ${result.status}`;
  else if (exitCode !== null && exitCode !== 0) error = EXIT_MEANINGS[exitCode] ?? lastError;
  const stats = result?.stats;
  return {
    usage: stats ? { inputTokens: stats.input_tokens ?? 0, outputTokens: stats.output_tokens ?? 0, cacheReadTokens: stats.cached ?? 0 } : undefined,
    finalMessage: lastReply(objects),
    error: error === undefined ? undefined : oneLine(error),
  };
}

export const geminiAgent: AgentAdapter = {
  name: 'gemini',
  apiErrorsOnStderr: true,
  invocation(input) {
    const command = input.settings.command ?? 'gemini';
    if (input.settings.args) return invocationFromTemplate(command, input.settings.args, input, 'argument');
    const mode = choosePromptMode(input, { usual: 'argument', supported: ['argument', 'stdin'], whenTooLong: 'stdin' });
    // NOTE: `--approval-mode yolo` approves every tool call: nobody is there to answer. `--yolo`
    // is its deprecated spelling, and the two together are an error. `--skip-trust`: gemini-cli 0.61
    // exits 55 ("not running in a trusted directory") in a folder it was never asked to trust, and a
    // task worktree is always new (flag checked in 0.61.0's docs/cli/cli-reference.md).
    const args = ['--output-format', 'stream-json', '--approval-mode', 'yolo', '--skip-trust'];
    if (input.settings.model) args.push('--model', input.settings.model);
    args.push(...input.settings.flags);
    // `--prompt=` keeps a prompt that starts with a dash a value; without --prompt, a gemini whose
    // stdin is not a terminal reads its prompt from stdin.
    if (mode === 'argument') args.push(`--prompt=${input.request.prompt}`);
    return {
      command,
      args,
      stdin: mode === 'stdin' ? input.request.prompt : undefined,
      env: {},
      files: [],
      promptArgIndex: mode === 'argument' ? args.length - 1 : undefined,
    };
  },
  parse: parseGeminiOutput,
};
