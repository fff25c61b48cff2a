import { runAgent } from '../agents/run-agent.js';
import { backoffDelay, describeTransient } from '../agents/transient.js';
import type { AgentRunRequest, AgentRunResult } from '../agents/types.js';
import { sleep } from '../process/sleep.js';
import type { AttemptContext } from './attempt-context.js';
import { waitOrGiveUp } from './next-step.js';
import { recordWait } from './runs.js';

export type WaitedRun = { kind: 'ran'; result: AgentRunResult } | { kind: 'outage'; reason: string };

/** `3.log` for an attempt's first run; `3-2.log`, `3-3.log` for the runs after a rate limit or outage. */
export function runLogName(attempt: number, run: number): string {
  return run === 1 ? `${attempt}.log` : `${attempt}-${run}.log`;
}

/**
 * Runs the agent for one attempt, waiting out its API's transient failures: each one pauses every
 * worker of that agent (backoff with jitter, or the API's own reset time) and runs the agent again,
 * spending no attempt. Past `config.outage` of waiting, the attempt ends as an outage.
 */
export async function runAgentWaitingOut(
  ctx: AttemptContext,
  attempt: number,
  request: (runLog: string) => AgentRunRequest,
  runDirectory: string,
): Promise<WaitedRun> {
  const { ws, lock, task } = ctx;
  const now = () => ws.clock.now();
  const emitWaiting = (detail: string) => ctx.reporter.emit({ worker: lock.worker, task: task.id, title: task.title, phase: 'waiting', attempt, detail, time: now() });
  let waitedMs = 0;
  for (let run = 1, failures = 0; ; run++) {
    const pausedAt = now().getTime();
    await ctx.pauses.wait(ctx.agent, now, ctx.signal, (until) => emitWaiting(`${ctx.agent} paused until ${until.toISOString().slice(11, 16)} (another worker met its API's limit)`));
    waitedMs += now().getTime() - pausedAt;
    if (ctx.signal.aborted) return { kind: 'ran', result: { ok: false, exitCode: null, failure: 'aborted', reason: 'stopped', durationMs: 0 } };
    if (run > 1) ctx.reporter.emit({ worker: lock.worker, task: task.id, title: task.title, phase: 'agent', attempt, detail: `${ctx.agent} (run ${run} of attempt ${attempt})`, time: now() });
    const result = await runAgent(request(`${runDirectory}/${runLogName(attempt, run)}`));
    if (result.failure !== 'transient' || !result.transient || ctx.signal.aborted) return { kind: 'ran', result };
    failures++;
    const delay = backoffDelay(result.transient, failures, now(), Math.random(), { baseMs: ws.config.backoff, maxMs: Math.max(ws.config.backoff, 5 * 60_000) });
    const until = new Date(now().getTime() + delay);
    await recordWait(ws, task.id, { attempt, run, worker: lock.worker, agent: ctx.agent, kind: result.transient.kind, reason: result.reason ?? '', waitMs: delay, at: now().toISOString() });
    const next = waitOrGiveUp({ agent: ctx.agent, what: describeTransient(result.transient), waitedMs, delayMs: delay, outageMs: ws.config.outage });
    if (next.kind === 'outage') return next;
    ctx.pauses.pause(ctx.agent, until);
    emitWaiting(describeTransient(result.transient, until));
    const before = now().getTime();
    await sleep(delay, ctx.signal);
    waitedMs += now().getTime() - before;
  }
}
