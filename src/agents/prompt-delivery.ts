import { CrewError } from '../errors.js';
import type { AgentInvocation, InvocationInput } from './types.js';

export type PromptMode = 'argument' | 'file' | 'stdin';

// NOTE: Linux refuses any single argument over 128 KiB (MAX_ARG_STRLEN) with E2BIG; a prompt
// that large goes by the agent's other way instead.
export const MAX_PROMPT_ARGUMENT_BYTES = 100_000;

export interface PromptWays {
  /** How this agent takes its prompt unless config.agents.<name>.prompt says otherwise. */
  usual: PromptMode;
  supported: readonly PromptMode[];
  /** Used instead of `argument` when the prompt is too long for one argument. */
  whenTooLong: PromptMode;
}

/** The way to pass this prompt: the configured one, else the agent's usual one unless too long. */
export function choosePromptMode(input: InvocationInput, ways: PromptWays): PromptMode {
  const configured = input.settings.prompt;
  if (configured && !ways.supported.includes(configured)) {
    throw new CrewError('config-invalid', `agents.${input.request.agent}.prompt: ${input.request.agent} takes its prompt as ${ways.supported.join(' or ')}, not ${configured}`, {
      hint: `Set agents.${input.request.agent}.prompt to ${ways.supported.join(' or ')}, or remove it.`,
    });
  }
  const mode = configured ?? ways.usual;
  if (mode === 'argument' && !configured && Buffer.byteLength(input.request.prompt) > MAX_PROMPT_ARGUMENT_BYTES) return ways.whenTooLong;
  return mode;
}

export interface PlaceholderValues {
  prompt: string;
  prompt_file: string;
  worktree: string;
  attempt: string;
  model: string;
}

const PLACEHOLDER = /\{(prompt|prompt_file|worktree|attempt|model)\}/g;

/** `{prompt_file}`, `{prompt}`, `{worktree}`, `{attempt}`, `{model}` in each argument; each stays one argument. */
export function expandPlaceholders(args: readonly string[], values: PlaceholderValues): string[] {
  return args.map((arg) => arg.replace(PLACEHOLDER, (_match, name: keyof PlaceholderValues) => values[name]));
}

function placeholderValues(input: InvocationInput): PlaceholderValues {
  return {
    prompt: input.request.prompt,
    prompt_file: input.files.promptFile,
    worktree: input.request.worktree,
    attempt: String(input.request.attempt),
    model: input.settings.model ?? '',
  };
}

/**
 * A command line from config (`args` with placeholders): the prompt goes where `{prompt}` or
 * `{prompt_file}` stands, else by `prompt:` (file path as the last argument, the text as the last
 * argument, or stdin), else by `fallback`.
 */
export function invocationFromTemplate(command: string, template: readonly string[], input: InvocationInput, fallback: PromptMode): AgentInvocation {
  const names = template.join('\n');
  const mode: PromptMode =
    input.settings.prompt ?? (names.includes('{prompt_file}') ? 'file' : names.includes('{prompt}') ? 'argument' : fallback);
  const withPrompt = [...template];
  if (mode === 'file' && !names.includes('{prompt_file}')) withPrompt.push('{prompt_file}');
  if (mode === 'argument' && !names.includes('{prompt}')) withPrompt.push('{prompt}');
  const promptArgIndex = withPrompt.findIndex((arg) => arg.includes('{prompt}'));
  return {
    command,
    args: expandPlaceholders(withPrompt, placeholderValues(input)),
    stdin: mode === 'stdin' ? input.request.prompt : undefined,
    env: {},
    files: [],
    promptArgIndex: promptArgIndex === -1 ? undefined : promptArgIndex,
  };
}
