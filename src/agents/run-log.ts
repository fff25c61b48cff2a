import { basename } from 'node:path';
import { formatDuration } from '../terminal/duration-text.js';
import type { AgentInvocation, AgentRunResult, AgentUsage } from './types.js';

/** An argument as a shell user would type it; for reading only, never run. */
export function quoteForDisplay(arg: string): string {
  if (/^[\w@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The command line with the prompt argument shortened to where the prompt file is. */
export function displayCommand(invocation: Pick<AgentInvocation, 'command' | 'args' | 'promptArgIndex'>, prompt: string, promptFile: string): string {
  const stand = `<prompt: ${prompt.length} characters, in ${basename(promptFile)}>`;
  const args = invocation.args.map((arg, index) => {
    if (index !== invocation.promptArgIndex) return quoteForDisplay(arg);
    return arg === prompt ? stand : quoteForDisplay(arg.replace(prompt, stand));
  });
  return [quoteForDisplay(invocation.command), ...args].join(' ');
}

export interface RunHeader {
  agent: string;
  attempt: number;
  started: Date;
  cwd: string;
  command: string;
  stdinIsPrompt: boolean;
  promptFile: string;
  promptLength: number;
  envNames: string[];
  /** Which sandbox the agent runs in, or why none; left out when empty. */
  sandbox?: string;
  timeoutMs: number;
  idleMs: number;
}

const field = (name: string, value: string) => `${`${name}:`.padEnd(10)}${value}`;

export function formatRunHeader(header: RunHeader): string {
  const lines = [
    `crewtree run: agent ${header.agent}, attempt ${header.attempt}`,
    field('started', header.started.toISOString()),
    field('cwd', header.cwd),
    field('command', header.command),
  ];
  if (header.stdinIsPrompt) lines.push(field('stdin', `<prompt: ${header.promptLength} characters, in ${basename(header.promptFile)}>`));
  if (header.envNames.length > 0) lines.push(field('env', header.envNames.join(', ')));
  if (header.sandbox) lines.push(field('sandbox', header.sandbox));
  lines.push(field('limits', `timeout ${formatDuration(header.timeoutMs)}, idle ${formatDuration(header.idleMs)}`), '----- output -----', '');
  return lines.join('\n');
}

/** `2,350 input tokens (2,000 from cache), 120 output tokens, $0.0026` */
export function formatUsage(usage: AgentUsage): string {
  const cached = (usage.cacheReadTokens ?? 0) > 0 ? ` (${usage.cacheReadTokens?.toLocaleString('en-US')} from cache)` : '';
  const parts = [`${usage.inputTokens.toLocaleString('en-US')} input tokens${cached}`, `${usage.outputTokens.toLocaleString('en-US')} output tokens`];
  if (usage.costUsd !== undefined) parts.push(`$${usage.costUsd.toFixed(4)}`);
  return parts.join(', ');
}

function exitText(result: AgentRunResult): string {
  if (result.failure === 'not-started') return 'not started';
  return result.exitCode === null ? 'killed' : String(result.exitCode);
}

export function formatRunFooter(result: AgentRunResult, finished: Date): string {
  const lines = [
    '----- end of output -----',
    field('result', result.ok ? 'ok' : `failed (${result.failure ?? 'unknown'}): ${result.reason ?? ''}`),
    field('exit', exitText(result)),
    field('finished', finished.toISOString()),
    field('duration', formatDuration(result.durationMs)),
  ];
  if (result.usage) lines.push(field('usage', formatUsage(result.usage)));
  for (const warning of result.warnings ?? []) lines.push(field('warning', warning));
  if (result.finalMessage) {
    const [first = '', ...rest] = result.finalMessage.trim().split('\n');
    lines.push(field('message', first), ...rest.map((line) => `${' '.repeat(10)}${line}`));
  }
  return `${lines.join('\n')}\n`;
}
