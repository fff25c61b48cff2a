// opencode, headless: `opencode run --format json`, the prompt on stdin.
import * as z from 'zod/mini';
import { eventsOfType, jsonObjects, oneLine } from './json-lines.js';
import { choosePromptMode, invocationFromTemplate } from './prompt-delivery.js';
import type { AgentAdapter, AgentUsage, ParsedOutput } from './types.js';

const stepFinishSchema = z.looseObject({
  type: z.literal('step_finish'),
  part: z.looseObject({
    cost: z.optional(z.number()),
    tokens: z.optional(
      z.looseObject({
        input: z.optional(z.number()),
        output: z.optional(z.number()),
        reasoning: z.optional(z.number()),
        cache: z.optional(z.looseObject({ read: z.optional(z.number()), write: z.optional(z.number()) })),
      }),
    ),
  }),
});
const textSchema = z.looseObject({ type: z.literal('text'), part: z.looseObject({ text: z.string() }) });
const errorSchema = z.looseObject({
  type: z.literal('error'),
  error: z.looseObject({ name: z.optional(z.string()), data: z.optional(z.looseObject({ message: z.optional(z.string()) })) }),
});
const doneSchema = z.looseObject({ type: z.literal('done'), rejected: z.optional(z.array(z.string())) });

function usageOf(objects: readonly Record<string, unknown>[]): AgentUsage | undefined {
  const steps = eventsOfType(objects, 'step_finish', stepFinishSchema).map((event) => event.part);
  if (steps.length === 0) return undefined;
  let usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0 };
  for (const step of steps) {
    const tokens = step.tokens ?? {};
    const read = tokens.cache?.read ?? 0;
    const write = tokens.cache?.write ?? 0;
    // NOTE: opencode counts cached input apart from `input`; crewtree's inputTokens holds both.
    usage = {
      inputTokens: usage.inputTokens + (tokens.input ?? 0) + read + write,
      outputTokens: usage.outputTokens + (tokens.output ?? 0) + (tokens.reasoning ?? 0),
      cacheReadTokens: usage.cacheReadTokens + read,
      cacheWriteTokens: usage.cacheWriteTokens + write,
      costUsd: usage.costUsd + (step.cost ?? 0),
    };
  }
  return usage;
}

export function parseOpencodeOutput(lines: readonly string[], _exitCode: number | null): ParsedOutput {
  const objects = jsonObjects(lines);
  const errors = eventsOfType(objects, 'error', errorSchema).map((event) => event.error.data?.message ?? event.error.name ?? 'opencode reported an error');
  const rejected = eventsOfType(objects, 'done', doneSchema).flatMap((event) => event.rejected ?? []);
  const finalMessage = eventsOfType(objects, 'text', textSchema).at(-1)?.part.text.trim();
  return {
    usage: usageOf(objects),
    finalMessage: finalMessage || undefined,
    error: errors.length > 0 ? oneLine(errors.join('; ')) : undefined,
    warnings: rejected.length > 0 ? rejected.map((permission) => `opencode was refused permission ${permission}`) : undefined,
  };
}

export const opencodeAgent: AgentAdapter = {
  name: 'opencode',
  apiErrorsOnStderr: true,
  invocation(input) {
    const command = input.settings.command ?? 'opencode';
    if (input.settings.args) return invocationFromTemplate(command, input.settings.args, input, 'stdin');
    // NOTE: stdin by default: `opencode run` quotes a message argument that holds spaces before
    // sending it, while piped stdin reaches the model as it is.
    const mode = choosePromptMode(input, { usual: 'stdin', supported: ['stdin', 'argument'], whenTooLong: 'stdin' });
    const args = ['run', '--format', 'json'];
    if (input.settings.model) args.push('--model', input.settings.model);
    args.push(...input.settings.flags);
    if (mode === 'argument') args.push('--', input.request.prompt);
    return {
      command,
      args,
      stdin: mode === 'stdin' ? input.request.prompt : undefined,
      env: {},
      files: [],
      promptArgIndex: mode === 'argument' ? args.length - 1 : undefined,
    };
  },
  parse: parseOpencodeOutput,
};
