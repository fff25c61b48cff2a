import type { AgentRunResult } from '../agents/types.js';
import type { Lander, LandingRequest } from '../landing/lander.js';
import type { AttemptContext } from './attempt-context.js';
import { agentOutcome, checkPathsStep, gateStep, logEvent, recordAttemptStep, runAgentStep, runOutcome } from './attempts.js';
import { blockTask, commitTaskWork, failTask, finishLanded, mergeBaseIntoWorktree, parkForReview, releaseWithoutWork, stopTask } from './finish.js';
import { nextStep, type Happened, type WorkerState, type WorkerStep } from './next-step.js';
import type { WaitedRun } from './wait-out.js';
import type { WorkResult } from './work-result.js';

/** The worker's state once its worktree is set up, before its first attempt. */
export function startState(ctx: AttemptContext): WorkerState {
  const { ws, task, lock } = ctx;
  return {
    worker: lock.worker,
    agent: ctx.agent,
    base: ws.config.base,
    attempt: 0,
    maxAttempts: ws.config.attempts,
    review: ws.config.merge.mode === 'review' || task.review,
    stopRequested: ctx.signal.aborted,
    last: { kind: 'set-up' },
  };
}

/**
 * The worker's loop from its first attempt to the end of its hold on the task: ask `nextStep`,
 * run the step, turn what it found into data, ask again. No decision is taken here.
 */
export async function runSteps(ctx: AttemptContext, lander: Lander, landing: Omit<LandingRequest, 'task' | 'lock' | 'tip'>): Promise<WorkResult> {
  const { ws, task, lock } = ctx;
  let state = startState(ctx);
  let run: WaitedRun | undefined;
  for (;;) {
    const step = nextStep({ ...state, stopRequested: ctx.signal.aborted });
    if (step.log) await logEvent(ctx, step.log);
    let last: Happened;
    switch (step.kind) {
      case 'run-agent':
        state = { ...state, attempt: step.attempt };
        run = await runAgentStep(ctx, step.attempt, step.feedback);
        last = { kind: 'agent-ran', outcome: agentOutcome(run) };
        break;
      case 'record-attempt': {
        const result = ranResult(run);
        state = { ...state, budgetSpent: await recordAttemptStep(ctx, state.attempt, result) };
        last = { kind: 'attempt-recorded', outcome: runOutcome(result) };
        break;
      }
      case 'check-paths':
        last = await checkPathsStep(ctx);
        break;
      case 'gate':
        last = await gateStep(ctx, state.attempt, ranResult(run).usage);
        break;
      case 'commit':
        last = { kind: 'committed', tip: await commitTaskWork(ctx) };
        break;
      case 'queue':
        ctx.reporter.emit({ worker: lock.worker, task: task.id, title: task.title, phase: 'landing', detail: step.tip.slice(0, 8), time: ws.clock.now() });
        last = { kind: 'landing-ended', outcome: await lander.land({ task, lock, tip: step.tip, ...landing }) };
        break;
      case 'merge-base': {
        const merged = await mergeBaseIntoWorktree(ctx);
        // NOTE: from now on the agent's changes are measured against the base it merged.
        ctx.start = merged.base;
        last = { kind: 'base-merged', conflicts: step.conflicts, clean: merged.clean, unmerged: merged.files };
        break;
      }
      default:
        return endTask(ctx, step);
    }
    state = { ...state, last };
  }
}

/** The agent run the steps after `run-agent` read: one that ran (an outage ends the task before them). */
function ranResult(run: WaitedRun | undefined): AgentRunResult {
  if (run?.kind !== 'ran') throw new Error('no agent run to read');
  return run.result;
}

/** Runs a step that ends the worker's hold on the task. */
export async function endTask(ctx: AttemptContext, step: WorkerStep, error?: unknown): Promise<WorkResult> {
  switch (step.kind) {
    case 'finish':
      return finishLanded(ctx, step.commit, step.attempts);
    case 'review':
      return parkForReview(ctx, step.tip);
    case 'release':
      return stopTask(ctx, step.why);
    case 'release-unstarted':
      return releaseWithoutWork(ctx, step.why);
    case 'fail':
      return failTask(ctx, error);
    case 'block':
      return blockTask(ctx, step.reason, step.tail);
    case 'fenced':
      ctx.reporter.emit({ worker: ctx.lock.worker, task: ctx.task.id, title: ctx.task.title, phase: 'released', detail: step.detail, time: ctx.ws.clock.now() });
      return { kind: 'fenced', task: ctx.task, detail: step.detail };
    default:
      throw new Error(`step ${step.kind} does not end a task`);
  }
}
