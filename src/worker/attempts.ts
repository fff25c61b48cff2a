import { readFile } from 'node:fs/promises';
import type { AgentUsage } from '../agents/types.js';
import { join } from 'node:path';
import { filesOutsidePaths, runGate } from '../gate/run-gate.js';
import { assemblePrompt, type PromptFeedback } from '../prompt/assemble.js';
import type { Role } from '../roles/load.js';
import { recordEvents } from '../state/record-events.js';
import type { TaskEventName } from '../task-log/events.js';
import { changedFilesSince } from '../worktree/commit.js';
import type { Workspace } from '../workspace.js';
import type { AttemptContext } from './attempt-context.js';
import { runAgentWaitingOut } from './wait-out.js';
import { overBudget, recordAttempt, runDir } from './runs.js';

export type { AttemptContext } from './attempt-context.js';

export type AttemptsOutcome =
  | { kind: 'passed'; attempt: number }
  | { kind: 'failed'; attempt: number; reason: string; tail: string }
  | { kind: 'stopped'; attempt: number }
  /** The agent's API stayed down (rate limited, unreachable) for longer than `outage`. */
  | { kind: 'outage'; attempt: number; reason: string };

export function gateCommands(ws: Workspace, role: Role): string[] {
  return [...ws.config.gate, ...role.gate];
}

async function log(ctx: AttemptContext, event: TaskEventName, detail: string): Promise<void> {
  await recordEvents(ctx.ws, [{ time: ctx.ws.clock.now(), worker: ctx.lock.worker, task: ctx.task.id, event, detail }]);
}

/**
 * Runs the agent and the gate until the gate passes or the attempts run out; each red gate
 * hands its failure back to the agent in the next prompt.
 */
export async function runAttempts(ctx: AttemptContext, first: number, feedback: PromptFeedback | undefined): Promise<AttemptsOutcome> {
  const { ws, task, lock, reporter } = ctx;
  const emit = (phase: 'agent' | 'gate', attempt: number, detail?: string, usage?: AgentUsage) =>
    reporter.emit({ worker: lock.worker, task: task.id, title: task.title, phase, attempt, detail, at: ws.clock.now(), ...(usage ? { usage } : {}) });
  let lastFailure = { reason: 'no attempt ran', tail: '' };
  for (let attempt = first; attempt <= ws.config.attempts; attempt++) {
    emit('agent', attempt, ctx.agent);
    const taskText = await readFile(join(ctx.worktree, task.file), 'utf8').catch(() => '');
    const prompt = assemblePrompt({
      context: ctx.context,
      role: { name: ctx.role.name, prompt: ctx.role.prompt },
      taskFile: { path: task.file, text: taskText },
      protocol: {
        worktree: ctx.worktree,
        branch: lock.branch,
        base: ws.config.base,
        gateCommands: gateCommands(ws, ctx.role),
        allowedPaths: ctx.role.paths,
        attempt,
        maxAttempts: ws.config.attempts,
      },
      feedback,
    });
    // NOTE: the files of an attempt are numbered across retries (4.log after a retry of a task blocked at 3).
    const numbered = ctx.earlierAttempts + attempt;
    const run = await runAgentWaitingOut(
      ctx,
      numbered,
      (runLog) => ({
        agent: ctx.agent,
        worktree: ctx.worktree,
        prompt,
        taskBody: task.body,
        attempt,
        runLog,
        env: { ...ctx.env, CREWTREE_TASK_ID: task.id, CREWTREE_ATTEMPT: String(attempt), CREWTREE_WORKER: lock.worker, CREWTREE_BRANCH: lock.branch },
        timeoutMs: ws.config.timeout,
        idleMs: ws.config.idle,
        signal: ctx.signal,
        config: ws.config,
        wrapLaunch: ws.sandbox.wrap,
      }),
      runDir(ws, task.id),
    );
    if (ctx.signal.aborted) return { kind: 'stopped', attempt };
    if (run.kind === 'outage') return { kind: 'outage', attempt, reason: run.reason };
    const result = run.result;
    const runs = await recordAttempt(ws, task.id, {
      attempt: numbered,
      worker: lock.worker,
      agent: ctx.agent,
      ok: result.ok,
      reason: result.reason,
      usage: result.usage,
      finalMessage: result.finalMessage,
      at: ws.clock.now().toISOString(),
    });
    if (!result.ok) {
      emit('agent', attempt, `${ctx.agent} failed: ${result.reason ?? 'unknown reason'}`, result.usage);
      lastFailure = { reason: `agent ${ctx.agent} failed: ${result.reason ?? 'unknown reason'}`, tail: result.reason ?? '' };
      await log(ctx, 'agent-failed', `attempt ${attempt}: ${result.reason ?? 'failed'}`);
      feedback = { failedCommand: `the ${ctx.agent} agent run`, tail: result.reason ?? '' };
      // NOTE: an agent that could not start (no such program, no crew-script block) fails the same way every time.
      if (result.failure === 'not-started') return { kind: 'failed', attempt, ...lastFailure };
    } else {
      const outcome = await checkWork(ctx, numbered, (detail) => emit('gate', attempt, detail, result.usage));
      if (outcome.stopped || ctx.signal.aborted) return { kind: 'stopped', attempt };
      if (outcome.ok) {
        await log(ctx, 'gate-passed', `attempt ${attempt}`);
        return { kind: 'passed', attempt };
      }
      lastFailure = { reason: outcome.reason, tail: outcome.tail };
      await log(ctx, 'gate-failed', `attempt ${attempt}: ${outcome.reason}`);
      feedback = { failedCommand: outcome.command, tail: outcome.tail };
    }
    const spent = overBudget(runs.totals, ws.config.budget);
    if (spent) return { kind: 'failed', attempt, reason: spent, tail: lastFailure.tail };
  }
  return { kind: 'failed', attempt: ws.config.attempts, ...lastFailure };
}

async function checkWork(ctx: AttemptContext, attempt: number, emit: (detail?: string) => void) {
  const ignored = new Set(ctx.ignored);
  const changed = (await changedFilesSince(ctx.ws, ctx.worktree, ctx.start)).filter((file) => !ignored.has(file));
  const outside = filesOutsidePaths(changed, ctx.role.paths);
  if (outside.length > 0) {
    const tail = `These files are outside the paths role ${ctx.role.name} may change (${ctx.role.paths.join(', ')}):\n${outside.join('\n')}`;
    return { ok: false as const, reason: `changes outside allowed paths: ${outside.join(', ')}`, command: 'path check', tail };
  }
  emit(gateCommands(ctx.ws, ctx.role).join(' && ') || 'no gate commands');
  const gate = await runGate({
    cwd: ctx.worktree,
    commands: gateCommands(ctx.ws, ctx.role),
    env: ctx.env,
    timeoutMs: ctx.ws.config.timeout,
    logFile: join(runDir(ctx.ws, ctx.task.id), `${attempt}.gate.log`),
    signal: ctx.signal,
  });
  if (gate.ok) return { ok: true as const };
  if (gate.failed?.stopped) return { ok: false as const, stopped: true as const, reason: 'stopped', command: gate.failed.command, tail: '' };
  const command = gate.failed?.command ?? 'gate';
  const why = gate.failed?.timedOut ? 'timed out' : `exited with ${gate.failed?.exitCode}`;
  return { ok: false as const, reason: `${command} ${why}`, command, tail: gate.tail };
}
