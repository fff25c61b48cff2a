import type { Clock } from '../clock.js';
import type { AgentConfig, Config } from '../config/schema.js';
import type { LaunchWrapper } from '../sandbox/launch.js';
import type { TransientFailure } from './transient.js';

/** One run of one agent on one task attempt, as the worker loop asks for it. */
export interface AgentRunRequest {
  /** claude | codex | aider | gemini | opencode | command | script | a custom name from config.agents */
  agent: string;
  /** Absolute path: the agent's working directory. */
  worktree: string;
  /** The full assembled prompt. */
  prompt: string;
  /** The task file's markdown body (the script agent runs its ```crew-script block). */
  taskBody: string;
  /** 1-based. */
  attempt: number;
  /** Absolute path of this run's log (directories are created); the prompt and script files go beside it. */
  runLog: string;
  /** Extra environment for the agent (PORT, CREWTREE_TASK_ID, CREWTREE_ATTEMPT, ...). */
  env: Record<string, string>;
  /** Whole-run limit; `config.agents[agent].timeout` wins when set. */
  timeoutMs: number;
  /** No output for this long and the agent is stopped; `config.agents[agent].idle` wins when set. */
  idleMs: number;
  /** Abort stops the agent: SIGTERM to its process group, SIGKILL after a grace period. */
  signal?: AbortSignal;
  config: Config;
  /** Each output line (stdout and stderr) as it comes, for live views. */
  onOutput?: (line: string) => void;
  /** For the run log's timestamps; the system clock when absent. */
  clock?: Clock;
  /** Puts the command in the sandbox the workspace chose (and hands over `.env` variables); as it is when absent. */
  wrapLaunch?: LaunchWrapper;
}

export interface AgentUsage {
  /** Every input token the model read, cached or not. */
  inputTokens: number;
  outputTokens: number;
  /** Of `inputTokens`: read from the provider's prompt cache. */
  cacheReadTokens?: number;
  /** Of `inputTokens`: written to the provider's prompt cache. */
  cacheWriteTokens?: number;
  costUsd?: number;
}

/** Why a run is not ok, as a category the loop can branch on; `reason` says it in words. */
export type AgentFailure = 'timeout' | 'idle' | 'aborted' | 'not-started' | 'agent-error' | 'exit-code' | 'transient';

export interface AgentRunResult {
  ok: boolean;
  exitCode: number | null;
  /** Why not ok, one line: 'timed out after 30m', 'no output for 10m', 'stopped', 'exited with 1: <stderr tail>', ... */
  reason?: string;
  failure?: AgentFailure;
  /** Set with failure 'transient': the model API's failure (rate limit, outage), not the agent's; it spends no attempt. */
  transient?: TransientFailure;
  usage?: AgentUsage;
  /** The agent's last message or result text, where it reports one. */
  finalMessage?: string;
  /** Things worth a look that did not fail the run, e.g. tool calls the agent was refused. */
  warnings?: string[];
  durationMs: number;
}

/** How to start an agent: a program, its argument array, what goes on stdin, and extra environment. */
export interface AgentInvocation {
  command: string;
  args: string[];
  stdin?: string;
  /** Added to the inherited environment; `undefined` removes a variable. */
  env: Record<string, string | undefined>;
  /** Files to write before the start (the prompt file, the script). */
  files: { path: string; text: string }[];
  /** The argument that carries the prompt text, so the run log can show it shortened. */
  promptArgIndex?: number;
}

/** What an agent's own output says about its run. */
export interface ParsedOutput {
  usage?: AgentUsage;
  finalMessage?: string;
  /** Set when the output says the run failed, even if the exit code is 0. */
  error?: string;
  /** The failure came from the model API (the agent says so): its words and HTTP status, where it gives one. */
  apiError?: { text: string; status?: number };
  warnings?: string[];
}

/** Paths of the files crewtree writes for one run, all beside the run log. */
export interface RunFiles {
  /** The run log's path without `.log`: `<runs>/<ID>/<attempt>`. */
  base: string;
  promptFile: string;
  scriptFile: string;
}

/** Everything an adapter needs to decide its command line: pure data, no I/O. */
export interface InvocationInput {
  request: Pick<AgentRunRequest, 'agent' | 'worktree' | 'prompt' | 'taskBody' | 'attempt'>;
  settings: AgentConfig;
  files: RunFiles;
}

/** One agent CLI: how to call it and how to read what it printed. */
export interface AgentAdapter {
  name: string;
  invocation(input: InvocationInput): AgentInvocation | { error: string };
  parse(stdoutLines: readonly string[], exitCode: number | null): ParsedOutput;
  /** The CLI reports API failures only as text on stderr: a failed run's tail is read for them. */
  apiErrorsOnStderr?: boolean;
}
