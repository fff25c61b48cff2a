// OpenAI Codex CLI, headless: `codex -a never exec --json -s workspace-write -C <worktree> -- <prompt>`.
import * as z from 'zod/mini';
import { eventsOfType, jsonObjects, oneLine } from './json-lines.js';
import { choosePromptMode, invocationFromTemplate } from './prompt-delivery.js';
import type { AgentAdapter, AgentUsage, ParsedOutput } from './types.js';

/** Keeps /tmp out of codex's writable roots; `$TMPDIR` (a folder of the run's own) stays in. */
export const CODEX_NO_SLASH_TMP = 'sandbox_workspace_write.exclude_slash_tmp=true';

const usageSchema = z.looseObject({
  input_tokens: z.optional(z.number()),
  cached_input_tokens: z.optional(z.number()),
  cache_write_input_tokens: z.optional(z.number()),
  output_tokens: z.optional(z.number()),
});

const turnCompletedSchema = z.looseObject({ type: z.literal('turn.completed'), usage: z.optional(usageSchema) });
const turnFailedSchema = z.looseObject({ type: z.literal('turn.failed'), error: z.optional(z.looseObject({ message: z.string() })) });
const errorSchema = z.looseObject({ type: z.literal('error'), message: z.string() });
const itemSchema = z.looseObject({
  type: z.literal('item.completed'),
  item: z.looseObject({ type: z.string(), text: z.optional(z.string()), message: z.optional(z.string()) }),
});

function usageOf(objects: readonly Record<string, unknown>[]): AgentUsage | undefined {
  const turns = eventsOfType(objects, 'turn.completed', turnCompletedSchema).flatMap((turn) => (turn.usage ? [turn.usage] : []));
  if (turns.length === 0) return undefined;
  const sum = (pick: (usage: z.infer<typeof usageSchema>) => number | undefined) => turns.reduce((total, usage) => total + (pick(usage) ?? 0), 0);
  // NOTE: OpenAI counts cached input inside input_tokens; crewtree's inputTokens means the same.
  return {
    inputTokens: sum((usage) => usage.input_tokens),
    outputTokens: sum((usage) => usage.output_tokens),
    cacheReadTokens: sum((usage) => usage.cached_input_tokens),
    cacheWriteTokens: sum((usage) => usage.cache_write_input_tokens),
  };
}

export function parseCodexOutput(lines: readonly string[], exitCode: number | null): ParsedOutput {
  const objects = jsonObjects(lines);
  const items = eventsOfType(objects, 'item.completed', itemSchema).map((event) => event.item);
  const finalMessage = items.filter((item) => item.type === 'agent_message' && item.text).at(-1)?.text;
  const warnings = items.filter((item) => item.type === 'error' && item.message).map((item) => `codex: ${item.message}`);
  const failed = eventsOfType(objects, 'turn.failed', turnFailedSchema).at(-1);
  // NOTE: codex prints `error` events while it reconnects and may still succeed; they explain a
  // failure only when the run fails.
  const lastError = eventsOfType(objects, 'error', errorSchema).at(-1)?.message;
  let error: string | undefined;
  if (failed) error = failed.error?.message ?? lastError ?? 'codex reported a failed turn';
  else if (exitCode !== 0 && lastError) error = lastError;
  // NOTE: codex retries its API itself and then fails the turn with the last status it got:
  // "exceeded retry limit, last status: 429 Too Many Requests".
  const status = error === undefined ? undefined : /last status: (\d{3})/.exec(error)?.[1];
  return {
    apiError: error === undefined || !failed ? undefined : { text: oneLine(error), status: status === undefined ? undefined : Number(status) },
    usage: usageOf(objects),
    finalMessage,
    error: error === undefined ? undefined : oneLine(error),
    warnings: warnings.length > 0 ? warnings : undefined,
  };
}

export const codexAgent: AgentAdapter = {
  name: 'codex',
  invocation(input) {
    const command = input.settings.command ?? 'codex';
    if (input.settings.args) return invocationFromTemplate(command, input.settings.args, input, 'argument');
    const mode = choosePromptMode(input, { usual: 'argument', supported: ['argument', 'stdin'], whenTooLong: 'stdin' });
    // NOTE: the approval policy is an option of `codex` itself and must come before `exec`;
    // `workspace-write` lets it edit the worktree, and by default /tmp too, which would let it write
    // beside the worktree when the repository lives there: only the run's own TMPDIR stays writable.
    const args = ['-a', 'never', 'exec', '--json', '-s', 'workspace-write', '-c', CODEX_NO_SLASH_TMP, '-C', input.request.worktree];
    if (input.settings.model) args.push('-m', input.settings.model);
    args.push(...input.settings.flags);
    // `-` makes `codex exec` read the prompt from stdin.
    args.push(...(mode === 'argument' ? ['--', input.request.prompt] : ['-']));
    return {
      command,
      args,
      stdin: mode === 'stdin' ? input.request.prompt : undefined,
      env: {},
      files: [],
      promptArgIndex: mode === 'argument' ? args.length - 1 : undefined,
    };
  },
  parse: parseCodexOutput,
};
