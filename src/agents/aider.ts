// aider, one message and exit: `aider --yes-always --no-auto-commits ... --message=<prompt>`.
import { choosePromptMode, invocationFromTemplate } from './prompt-delivery.js';
import type { AgentAdapter, AgentUsage, ParsedOutput } from './types.js';

/** aider's rounded counts: `116`, `2.5k`, `12k`. */
export function parseTokenCount(text: string): number {
  const match = /^([\d.]+)(k?)$/.exec(text.trim());
  if (!match?.[1]) return 0;
  return Math.round(Number(match[1]) * (match[2] ? 1000 : 1));
}

// `Tokens: 2.5k sent, 1.1k cache write, 3.2k cache hit, 180 received. Cost: $0.01 message, $0.03 session.`
const TOKENS_LINE = /^Tokens: ([\d.]+k?) sent(?:, ([\d.]+k?) cache write)?(?:, ([\d.]+k?) cache (?:hit|read))?, ([\d.]+k?) received\./;
const COST_LINE = /Cost: \$([\d.]+) message, \$([\d.]+) session/;

/** Sums the usage line aider prints after each reply; the session cost is the last one printed. */
export function parseAiderOutput(lines: readonly string[], _exitCode: number | null): ParsedOutput {
  let usage: AgentUsage | undefined;
  for (const line of lines) {
    const tokens = TOKENS_LINE.exec(line.trim());
    if (!tokens) continue;
    const [, sent = '0', cacheWrite = '0', cacheHit = '0', received = '0'] = tokens;
    const cost = COST_LINE.exec(line);
    // NOTE: aider counts cache writes inside `sent` and cache hits apart from it.
    usage = {
      inputTokens: (usage?.inputTokens ?? 0) + parseTokenCount(sent) + parseTokenCount(cacheHit),
      outputTokens: (usage?.outputTokens ?? 0) + parseTokenCount(received),
      cacheReadTokens: (usage?.cacheReadTokens ?? 0) + parseTokenCount(cacheHit),
      cacheWriteTokens: (usage?.cacheWriteTokens ?? 0) + parseTokenCount(cacheWrite),
      costUsd: cost?.[2] !== undefined ? Number(cost[2]) : usage?.costUsd,
    };
  }
  return { usage };
}

export const aiderAgent: AgentAdapter = {
  name: 'aider',
  apiErrorsOnStderr: true,
  invocation(input) {
    const command = input.settings.command ?? 'aider';
    if (input.settings.args) return invocationFromTemplate(command, input.settings.args, input, 'argument');
    const mode = choosePromptMode(input, { usual: 'argument', supported: ['argument', 'file'], whenTooLong: 'file' });
    const base = input.files.base;
    // NOTE: crewtree commits the work itself (no auto commits); aider's history files go beside
    // the run log, and it must not add `.aider*` to .gitignore: either would put files in the
    // worktree that the task never asked for. --yes-always answers aider's questions, analytics too.
    const args = [
      '--yes-always',
      '--no-auto-commits',
      '--no-gitignore',
      '--no-check-update',
      '--no-analytics',
      '--no-pretty',
      '--chat-history-file',
      `${base}.aider.chat.md`,
      '--input-history-file',
      `${base}.aider.input`,
    ];
    if (input.settings.model) args.push('--model', input.settings.model);
    args.push(...input.settings.flags);
    // `--message=` keeps a prompt that starts with a dash a value.
    args.push(...(mode === 'argument' ? [`--message=${input.request.prompt}`] : ['--message-file', input.files.promptFile]));
    return { command, args, env: {}, files: [], promptArgIndex: mode === 'argument' ? args.length - 1 : undefined };
  },
  parse: parseAiderOutput,
};
