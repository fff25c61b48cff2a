import { formatDuration } from '../terminal/duration-text.js';
import type { AgentFailure } from '../agents/types.js';
import type { LandingOutcome } from '../landing/lander.js';
import type { PromptFeedback } from '../prompt/assemble.js';
import type { TaskEventName } from '../task-log/events.js';

/**
 * What a worker does next, as a pure function of what it knows: the I/O loop (run-steps.ts) runs a
 * step, turns what it found into `Happened`, and asks again. Every decision of design section 1
 * after the claim and the set-up (which always follow each other, work-task.ts) lives here: retry,
 * block, release, queue, review, and what an error means. Tested by tables, without git.
 */
export interface WorkerState {
  worker: string;
  agent: string;
  /** The base branch, for notes ("conflicts with main in ..."). */
  base: string;
  /** The attempt that ran last (0 before the first). */
  attempt: number;
  maxAttempts: number;
  /** `merge.mode: review` or a task with `review: true`: a passed gate parks the task for `crew approve`. */
  review: boolean;
  /** The abort signal fired (Ctrl-C, `crew stop`). */
  stopRequested: boolean;
  /** Set once the task's token or cost budget is spent: what was spent, in words. */
  budgetSpent?: string;
  last: Happened;
}

/** How the agent's run ended, after its API's rate limits were waited out (wait-out.ts). */
export type AgentOutcome =
  | { kind: 'ok' }
  /** `failure` says why: 'idle', 'timeout', 'exit-code', 'agent-error', 'not-started' (no such program), ... */
  | { kind: 'failed'; failure: AgentFailure | undefined; reason: string | undefined }
  /** Its API stayed down (rate limited, unreachable) for longer than `outage` allows. */
  | { kind: 'outage'; reason: string };

export type GateOutcome =
  | { kind: 'passed' }
  /** Stopped through the abort signal: no verdict on the work. */
  | { kind: 'stopped' }
  | { kind: 'failed'; command: string; exitCode: number | null; timedOut: boolean; tail: string };

/** What the step just run found out. */
export type Happened =
  | { kind: 'set-up' }
  | { kind: 'agent-ran'; outcome: AgentOutcome }
  /** The run's usage is booked; `budgetSpent` on the state says whether that spent the budget. */
  | { kind: 'attempt-recorded'; outcome: Exclude<AgentOutcome, { kind: 'outage' }> }
  /** The changed files outside the paths the role may change (none: the check passed). */
  | { kind: 'paths-checked'; outside: readonly string[]; role: { name: string; paths: readonly string[] } }
  | { kind: 'gate-ran'; gate: GateOutcome }
  /** The work became the task's commit; no tip when the agent left no changes. */
  | { kind: 'committed'; tip: string | undefined }
  | { kind: 'landing-ended'; outcome: LandingOutcome }
  /** After a conflict: the base merged into the branch, cleanly or with these files unmerged. */
  | { kind: 'base-merged'; conflicts: readonly string[]; clean: boolean; unmerged: readonly string[] }
  /** An error thrown by a step (git gone, a setup command failed). */
  | { kind: 'error'; message: string; worktreeReady: boolean };

/** A line for the task log, written before the step runs. */
export interface LogLine {
  event: TaskEventName;
  detail: string;
}

export type WorkerStep = (
  | { kind: 'run-agent'; attempt: number; feedback: PromptFeedback | undefined }
  | { kind: 'record-attempt' }
  | { kind: 'check-paths' }
  | { kind: 'gate' }
  | { kind: 'commit' }
  /** Hand the tip to the lander (the merge queue). */
  | { kind: 'queue'; tip: string }
  /** Park at `review`, lock kept as the fence. */
  | { kind: 'review'; tip: string }
  /** After a conflict with these files: merge the base into the branch. */
  | { kind: 'merge-base'; conflicts: readonly string[] }
  | { kind: 'finish'; commit: string; attempts: number }
  /** Save the work on the branch, back to todo with `why`. */
  | { kind: 'release'; why: string }
  /** Back to todo, nothing to save (no worktree yet); reported as a failure. */
  | { kind: 'release-unstarted'; why: string }
  /** Save the work, back to todo, report the error. */
  | { kind: 'fail' }
  | { kind: 'block'; reason: string; tail: string }
  /** The lock is someone else's now: touch nothing. */
  | { kind: 'fenced'; detail: string }
) & { log?: LogLine };

/** A check that failed, as the note, the prompt's "what failed" and its output. */
export interface Failure {
  reason: string;
  command: string;
  tail: string;
}

export const STOPPED = 'stopped before it finished';

export function agentFailure(agent: string, reason: string | undefined): Failure {
  return { reason: `agent ${agent} failed: ${reason ?? 'unknown reason'}`, command: `the ${agent} agent run`, tail: reason ?? '' };
}

export function pathFailure(role: { name: string; paths: readonly string[] }, outside: readonly string[]): Failure {
  const tail = `These files are outside the paths role ${role.name} may change (${role.paths.join(', ')}):\n${outside.join('\n')}`;
  return { reason: `changes outside allowed paths: ${outside.join(', ')}`, command: 'path check', tail };
}

export function gateFailure(gate: Extract<GateOutcome, { kind: 'failed' }>): Failure {
  return { reason: `${gate.command} ${gate.timedOut ? 'timed out' : `exited with ${gate.exitCode}`}`, command: gate.command, tail: gate.tail };
}

/** A failed attempt: the next one with the failure handed back, or blocked when none is left. */
function retryOrBlock(state: WorkerState, failure: Failure, log: LogLine): WorkerStep {
  const after = `blocked after attempt ${state.attempt}`;
  if (state.budgetSpent) return { kind: 'block', reason: `${after}: ${state.budgetSpent}`, tail: failure.tail, log };
  if (state.attempt >= state.maxAttempts) return { kind: 'block', reason: `${after}: ${failure.reason}`, tail: failure.tail, log };
  return { kind: 'run-agent', attempt: state.attempt + 1, feedback: { failedCommand: failure.command, tail: failure.tail }, log };
}

/** After the landing failed: the agent gets another attempt on the branch, or the task is blocked. */
function againAfterLanding(state: WorkerState, block: { reason: string; tail: string }, feedback: PromptFeedback | undefined): WorkerStep {
  if (state.attempt + 1 > state.maxAttempts) return { kind: 'block', ...block };
  return { kind: 'run-agent', attempt: state.attempt + 1, feedback };
}

export function nextStep(state: WorkerState): WorkerStep {
  const { last } = state;
  switch (last.kind) {
    case 'set-up':
      return { kind: 'run-agent', attempt: 1, feedback: undefined };
    case 'agent-ran':
      if (state.stopRequested) return { kind: 'release', why: STOPPED };
      // NOTE: an outage is not the task's fault: back to todo (never blocked) for a later run.
      if (last.outcome.kind === 'outage') return { kind: 'release', why: `released after waiting out its agent's API: ${last.outcome.reason}` };
      return { kind: 'record-attempt' };
    case 'attempt-recorded': {
      if (state.stopRequested) return { kind: 'release', why: STOPPED };
      const { outcome } = last;
      if (outcome.kind === 'ok') return { kind: 'check-paths' };
      const { reason } = outcome;
      const failure = agentFailure(state.agent, reason);
      const log = { event: 'agent-failed' as const, detail: `attempt ${state.attempt}: ${reason ?? 'failed'}` };
      // NOTE: an agent that could not start (no such program, no crew-script block) fails the same way every time.
      if (outcome.kind === 'failed' && outcome.failure === 'not-started') return { kind: 'block', reason: `blocked after attempt ${state.attempt}: ${failure.reason}`, tail: failure.tail, log };
      return retryOrBlock(state, failure, log);
    }
    case 'paths-checked': {
      if (state.stopRequested) return { kind: 'release', why: STOPPED };
      if (last.outside.length === 0) return { kind: 'gate' };
      const failure = pathFailure(last.role, last.outside);
      return retryOrBlock(state, failure, { event: 'gate-failed', detail: `attempt ${state.attempt}: ${failure.reason}` });
    }
    case 'gate-ran': {
      if (state.stopRequested || last.gate.kind === 'stopped') return { kind: 'release', why: STOPPED };
      if (last.gate.kind === 'passed') return { kind: 'commit', log: { event: 'gate-passed', detail: `attempt ${state.attempt}` } };
      const failure = gateFailure(last.gate);
      return retryOrBlock(state, failure, { event: 'gate-failed', detail: `attempt ${state.attempt}: ${failure.reason}` });
    }
    case 'committed':
      if (!last.tip) return { kind: 'block', reason: 'the agent left no changes', tail: '' };
      return state.review ? { kind: 'review', tip: last.tip } : { kind: 'queue', tip: last.tip };
    case 'landing-ended':
      return afterLanding(state, last.outcome);
    case 'base-merged':
      return againAfterLanding(
        state,
        { reason: `conflicts with ${state.base} in ${last.conflicts.join(', ')}`, tail: '' },
        last.clean ? undefined : { conflictFiles: [...last.unmerged] },
      );
    case 'error':
      if (state.stopRequested) return { kind: 'release', why: STOPPED };
      if (!last.worktreeReady) return { kind: 'release-unstarted', why: `worker ${state.worker} failed before its worktree was ready: ${last.message}` };
      return { kind: 'fail' };
  }
}

function afterLanding(state: WorkerState, outcome: LandingOutcome): WorkerStep {
  switch (outcome.kind) {
    case 'landed':
      return { kind: 'finish', commit: outcome.commit, attempts: state.attempt };
    case 'stopped':
      return { kind: 'release', why: 'stopped before it landed' };
    case 'fenced':
      return { kind: 'fenced', detail: outcome.message };
    case 'conflict':
      return { kind: 'merge-base', conflicts: outcome.files, log: { event: 'conflict', detail: outcome.files.join(', ') } };
    case 'gate-failed':
      return againAfterLanding(
        state,
        { reason: `the merge with ${state.base} failed the gate: ${outcome.command}`, tail: outcome.tail },
        { failedCommand: `${outcome.command} (on the merge with ${state.base})`, tail: outcome.tail },
      );
  }
}

/**
 * After a rate limit or outage of the agent's API (no attempt spent): wait `delayMs` and run the
 * agent again, or, past `outage` of waiting in all, give the task up as an outage.
 */
export function waitOrGiveUp(input: { agent: string; what: string; waitedMs: number; delayMs: number; outageMs: number }): { kind: 'wait' } | { kind: 'outage'; reason: string } {
  const total = input.waitedMs + input.delayMs;
  if (total <= input.outageMs) return { kind: 'wait' };
  return { kind: 'outage', reason: `${input.agent}: ${input.what} for ${formatDuration(total)}, more than outage: ${formatDuration(input.outageMs)} allows` };
}
