import { join, resolve } from 'node:path';
import { endProcessesIn } from '../process/processes-in.js';
import type { Task, TaskLock } from '../backlog/task.js';
import { claimTask } from '../claims/claim.js';
import { startHeartbeat } from '../claims/heartbeat.js';
import type { Lander } from '../landing/lander.js';
import { MergeQueueLander } from '../merge-queue/index.js';
import { defaultRole, loadRoles, readContext, resolveRole } from '../roles/load.js';
import { clearHeartbeatEverywhere, heartbeatPublisher } from '../remote/heartbeats.js';
import { landerFor } from '../remote/lander.js';
import { recordEvents } from '../state/record-events.js';
import { queueProgress } from './queue-events.js';
import { createTaskWorktree } from '../worktree/create.js';
import { setupWorktree } from '../worktree/setup.js';
import type { Workspace } from '../workspace.js';
import { gateCommands, type AttemptContext } from './attempts.js';
import { AgentPauses, agentPausesFile } from './agent-pauses.js';
import type { Reporter } from './events.js';
import { findKeptBranch } from './kept-branch.js';
import { nextStep } from './next-step.js';
import { endTask, runSteps, startState } from './run-steps.js';
import { readTaskRuns, runDir } from './runs.js';
import type { WorkResult } from './work-result.js';

export interface WorkRequest {
  worker: string;
  role?: string;
  agent?: string;
  taskId?: string;
  /** The worker's slot in the studio: its port range. */
  slot: number;
  signal: AbortSignal;
  reporter: Reporter;
  lander?: Lander;
  skip?: string[];
  /** Shared by the studio's workers; a fresh one for a lone worker. */
  pauses?: AgentPauses;
}

export type { WorkResult } from './work-result.js';

/** One worker, one task, the whole loop of design section 1. */
export async function workOneTask(ws: Workspace, request: WorkRequest): Promise<WorkResult> {
  const { reporter } = request;
  reporter.emit({ worker: request.worker, phase: 'claiming', time: ws.clock.now() });
  const claim = await claimTask(ws, { id: request.taskId, role: request.role, worker: request.worker, pid: process.pid, skip: request.skip });
  const { task, lock } = claim;
  const heartbeat = startHeartbeat(ws.git, task.id, lock.token, Math.max(250, Math.floor(ws.config.lease / 4)), heartbeatPublisher(ws));
  const progress: Progress = {};
  try {
    return await workClaimed(ws, request, task, lock, claim.commit, progress);
  } catch (error) {
    return await endAfterError(ws, request, { task, lock, start: claim.commit, progress }, error);
  } finally {
    await heartbeat.stop();
    await clearHeartbeatEverywhere(ws, task.id).catch(() => undefined);
  }
}

/** How far a claimed task got, so an error can save what there is and free the lock. */
interface Progress {
  worktree?: string;
  ctx?: AttemptContext;
}

/**
 * Any error after the claim concerns this worker alone: a stop (the signal aborted) or a failure
 * saves the work on the branch and releases the lock with a note. Only an error in that cleanup
 * itself (git gone, the base unreachable) goes up and stops the studio.
 */
async function endAfterError(ws: Workspace, request: WorkRequest, claimed: { task: Task; lock: TaskLock; start: string; progress: Progress }, error: unknown): Promise<WorkResult> {
  const { task, lock, progress } = claimed;
  const ctx: AttemptContext = progress.ctx ?? {
    ws,
    task,
    lock,
    worktree: progress.worktree ?? '',
    start: claimed.start,
    env: {},
    ignored: [],
    role: defaultRole(task.role),
    agent: request.agent ?? ws.config.agent,
    context: '',
    reporter: request.reporter,
    signal: request.signal,
    pauses: request.pauses ?? new AgentPauses(agentPausesFile(ws.commonDir)),
    earlierAttempts: 0,
  };
  const message = error instanceof Error ? error.message : String(error);
  const step = nextStep({ ...startState(ctx), last: { kind: 'error', message, worktreeReady: Boolean(progress.worktree) } });
  return endTask(ctx, step, error);
}

async function workClaimed(ws: Workspace, request: WorkRequest, task: Task, lock: TaskLock, start: string, progress: Progress): Promise<WorkResult> {
  const emit = (phase: Parameters<Reporter['emit']>[0]['phase'], detail?: string) =>
    request.reporter.emit({ worker: lock.worker, task: task.id, title: task.title, phase, detail, time: ws.clock.now() });
  emit('setup', lock.worktree);
  const role = resolveRole(await loadRoles(ws.root), task.role);
  const agent = request.agent ?? role.agent ?? ws.config.agent;
  // A retry (or any run after a stop or a block) continues from the branch the earlier run kept.
  // NOTE: a process an earlier, killed run left in this worktree must not write into this run's work.
  const leftovers = await endProcessesIn(resolve(ws.root, lock.worktree));
  if (leftovers > 0) emit('setup', `stopped ${leftovers} process(es) an earlier run left in ${lock.worktree}`);
  const kept = await findKeptBranch(ws, task, lock.branch);
  const worktree = await createTaskWorktree(ws, { branch: lock.branch, path: lock.worktree, from: kept?.tip ?? start });
  if (kept) emit('setup', `continues from ${kept.branch}`);
  progress.worktree = worktree;
  const setup = await setupWorktree(ws, worktree, { slot: request.slot, signal: request.signal, logFile: join(runDir(ws, task.id), 'setup.log') });
  await recordEvents(ws, [{ time: ws.clock.now(), worker: lock.worker, task: task.id, event: 'setup', detail: `${lock.branch} in ${lock.worktree}, agent ${agent}` }]);
  const ctx: AttemptContext = {
    ws,
    task,
    lock,
    worktree,
    start,
    env: setup.env,
    ignored: setup.ignored,
    role,
    agent,
    context: await readContext(ws.root),
    reporter: request.reporter,
    signal: request.signal,
    pauses: request.pauses ?? new AgentPauses(agentPausesFile(ws.commonDir)),
    earlierAttempts: Math.max(0, ...(await readTaskRuns(ws, task.id)).attempts.map((record) => record.attempt)),
  };
  progress.ctx = ctx;
  const lander = landerFor(ws, request.lander ?? new MergeQueueLander(ws, { onEvent: (event) => ws.events.emit(queueProgress(event, ws.clock.now())) }));
  return runSteps(ctx, lander, { env: setup.env, gateCommands: gateCommands(ws, role), runDir: runDir(ws, task.id), signal: request.signal });
}
