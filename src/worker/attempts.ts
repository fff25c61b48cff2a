import { readFile } from 'node:fs/promises';
import type { AgentRunResult, AgentUsage } from '../agents/types.js';
import { join } from 'node:path';
import { filesOutsidePaths, runGate } from '../gate/run-gate.js';
import { bodyOf } from '../backlog/parse-task.js';
import { assemblePrompt, type PromptFeedback } from '../prompt/assemble.js';
import type { Role } from '../roles/load.js';
import { recordEvents } from '../state/record-events.js';
import { changedFilesSince } from '../worktree/commit.js';
import type { Workspace } from '../workspace.js';
import type { AttemptContext } from './attempt-context.js';
import { eventTokens } from './events.js';
import type { AgentOutcome, Happened, LogLine } from './next-step.js';
import { runAgentWaitingOut, type WaitedRun } from './wait-out.js';
import { overBudget, recordAttempt, runDir } from './runs.js';

export type { AttemptContext } from './attempt-context.js';

export function gateCommands(ws: Workspace, role: Role): string[] {
  return [...ws.config.gate, ...role.gate];
}

/** A line in the task log for this task. */
export async function logEvent(ctx: AttemptContext, line: LogLine): Promise<void> {
  await recordEvents(ctx.ws, [{ time: ctx.ws.clock.now(), worker: ctx.lock.worker, task: ctx.task.id, event: line.event, detail: line.detail }]);
}

function emit(ctx: AttemptContext, phase: 'agent' | 'gate', attempt: number, detail?: string, usage?: AgentUsage): void {
  ctx.reporter.emit({ worker: ctx.lock.worker, task: ctx.task.id, title: ctx.task.title, phase, attempt, detail, time: ctx.ws.clock.now(), ...(usage ? { tokens: eventTokens(usage) } : {}) });
}

/** The files of an attempt are numbered across retries (4.log after a retry of a task blocked at 3). */
function numbered(ctx: AttemptContext, attempt: number): number {
  return ctx.earlierAttempts + attempt;
}

/** The agent's run as the worker's decisions see it (next-step.ts). */
export function agentOutcome(run: WaitedRun): AgentOutcome {
  return run.kind === 'outage' ? run : runOutcome(run.result);
}

/** A run that happened: ok, or failed and why. */
export function runOutcome(result: AgentRunResult): Exclude<AgentOutcome, { kind: 'outage' }> {
  return result.ok ? { kind: 'ok' } : { kind: 'failed', failure: result.failure, reason: result.reason };
}

/** Step `run-agent`: the prompt (with what failed last time) and one run of the agent, its API's limits waited out. */
export async function runAgentStep(ctx: AttemptContext, attempt: number, feedback: PromptFeedback | undefined): Promise<WaitedRun> {
  const { ws, task, lock } = ctx;
  emit(ctx, 'agent', attempt, ctx.agent);
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
  return runAgentWaitingOut(
    ctx,
    numbered(ctx, attempt),
    (runLog) => ({
      agent: ctx.agent,
      worktree: ctx.worktree,
      prompt,
      // NOTE: the task file as its branch holds it: the claimed file, as the prompt shows it.
      taskBody: bodyOf(taskText),
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
}

/** Step `record-attempt`: books the run's usage; what the task spent past its budget, if it did. */
export async function recordAttemptStep(ctx: AttemptContext, attempt: number, result: AgentRunResult): Promise<string | undefined> {
  const { ws, task, lock } = ctx;
  const runs = await recordAttempt(ws, task.id, {
    attempt: numbered(ctx, attempt),
    worker: lock.worker,
    agent: ctx.agent,
    ok: result.ok,
    reason: result.reason,
    usage: result.usage,
    finalMessage: result.finalMessage,
    at: ws.clock.now().toISOString(),
  });
  if (!result.ok) emit(ctx, 'agent', attempt, `${ctx.agent} failed: ${result.reason ?? 'unknown reason'}`, result.usage);
  return overBudget(runs.totals, ws.config.budget);
}

/** Step `check-paths`: the files the agent changed that its role may not change. */
export async function checkPathsStep(ctx: AttemptContext): Promise<Happened> {
  const ignored = new Set(ctx.ignored);
  const changed = (await changedFilesSince(ctx.ws, ctx.worktree, ctx.start)).filter((file) => !ignored.has(file));
  return { kind: 'paths-checked', outside: filesOutsidePaths(changed, ctx.role.paths), role: ctx.role };
}

/** Step `gate`: the gate commands in the worktree, logged to `<attempt>.gate.log`. */
export async function gateStep(ctx: AttemptContext, attempt: number, usage: AgentUsage | undefined): Promise<Happened> {
  const commands = gateCommands(ctx.ws, ctx.role);
  emit(ctx, 'gate', attempt, commands.join(' && ') || 'no gate commands', usage);
  const gate = await runGate({
    cwd: ctx.worktree,
    commands,
    env: ctx.env,
    timeoutMs: ctx.ws.config.timeout,
    logFile: join(runDir(ctx.ws, ctx.task.id), `${numbered(ctx, attempt)}.gate.log`),
    signal: ctx.signal,
  });
  if (gate.ok) return { kind: 'gate-ran', gate: { kind: 'passed' } };
  if (gate.failed?.stopped) return { kind: 'gate-ran', gate: { kind: 'stopped' } };
  return { kind: 'gate-ran', gate: { kind: 'failed', command: gate.failed?.command ?? 'gate', exitCode: gate.failed?.exitCode ?? null, timedOut: Boolean(gate.failed?.timedOut), tail: gate.tail } };
}
