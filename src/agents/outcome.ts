import type { StreamingResult } from '../process/spawn-streaming.js';
import { formatDuration } from '../terminal/duration-text.js';
import { oneLine } from './json-lines.js';
import { classifyApiError, describeTransient, type TransientFailure } from './transient.js';
import type { AgentRunResult, ParsedOutput } from './types.js';

/** The last lines a program wrote on stderr (else stdout), on one line, for a failure reason. */
export function outputTail(stderr: readonly string[], stdout: readonly string[], lines = 3): string {
  const pick = (all: readonly string[]) => all.filter((line) => line.trim() !== '').slice(-lines);
  const tail = pick(stderr).length > 0 ? pick(stderr) : pick(stdout);
  return oneLine(tail.map((line) => line.trim()).join(' | '));
}

export interface OutcomeInput {
  agent: string;
  command: string;
  run: StreamingResult;
  parsed: ParsedOutput;
  timeoutMs: number;
  idleMs: number;
  tail: string;
  /** The adapter reports API failures only on stderr. */
  apiErrorsOnStderr?: boolean;
  /** For reset times given as "in 30 s". */
  now: Date;
}

/** The model API's failure in a failed run, if the adapter's parse or (for text-only CLIs) the tail says so. */
function transientOf(input: OutcomeInput): TransientFailure | undefined {
  const { parsed, run } = input;
  if (parsed.apiError) return classifyApiError(parsed.apiError.text, input.now, parsed.apiError.status);
  const failed = parsed.error !== undefined || run.exitCode !== 0;
  if (failed && input.apiErrorsOnStderr) return classifyApiError([parsed.error, input.tail].filter(Boolean).join(' | '), input.now);
  return undefined;
}

/** Whether a run succeeded and, if not, why, in one line. */
export function decideOutcome(input: OutcomeInput): AgentRunResult {
  const { run, parsed } = input;
  const base = {
    exitCode: run.exitCode,
    durationMs: run.durationMs,
    usage: parsed.usage,
    finalMessage: parsed.finalMessage,
    warnings: parsed.warnings && parsed.warnings.length > 0 ? parsed.warnings : undefined,
  };
  const fail = (failure: AgentRunResult['failure'], reason: string): AgentRunResult => ({ ...base, ok: false, failure, reason });
  if (run.startError) {
    const why = run.startError.code === 'ENOENT' ? 'not found' : run.startError.code === 'EACCES' ? 'not executable' : run.startError.message;
    return fail('not-started', `could not start ${input.command}: ${why}`);
  }
  // NOTE: an agent stopped while it waits for its API (codex reconnects forever) says why in its
  // output; the reason keeps it, or a note would read "timed out" without the cause.
  const lastSaid = parsed.error ? `; ${input.agent} last said: ${parsed.error}` : '';
  // An agent stopped while it waited for its API (codex reconnects on its own) met an outage, not a bug of its own.
  const waitedForApi = (run.stoppedBy === 'timeout' || run.stoppedBy === 'idle') && parsed.error ? classifyApiError(parsed.error, input.now) : undefined;
  if (waitedForApi) {
    const after = formatDuration(run.stoppedBy === 'timeout' ? input.timeoutMs : input.idleMs);
    return { ...fail('transient', `${describeTransient(waitedForApi)} (stopped after ${after}); ${input.agent} last said: ${oneLine(waitedForApi.detail, 200)}`), transient: waitedForApi };
  }
  if (run.stoppedBy === 'timeout') return fail('timeout', `timed out after ${formatDuration(input.timeoutMs)}${lastSaid}`);
  if (run.stoppedBy === 'idle') return fail('idle', `no output for ${formatDuration(input.idleMs)}${lastSaid}`);
  if (run.stoppedBy === 'aborted') return fail('aborted', 'stopped');
  const transient = transientOf(input);
  if (transient) return { ...fail('transient', `${describeTransient(transient)}: ${oneLine(transient.detail, 200)}`), transient };
  if (parsed.error) return fail('agent-error', parsed.error);
  if (run.exitCode !== 0) {
    const how = run.exitCode === null ? `was killed by ${run.exitSignal ?? 'a signal'}` : `exited with ${run.exitCode}`;
    return fail('exit-code', input.tail ? `${how}: ${input.tail}` : how);
  }
  return { ...base, ok: true };
}
