import { randomBytes } from 'node:crypto';
import { findTask, problemsOf, type Backlog } from '../backlog/backlog.js';
import { describeReason, ineligibleReasons, selectNextTask } from '../backlog/select.js';
import type { Task, TaskLock } from '../backlog/task.js';
import { CrewError, formatProblem } from '../errors.js';
import type { Config } from '../config/schema.js';
import type { StateSnapshot } from '../state/snapshot.js';
import { commitState, type Planned } from '../state/transaction.js';
import type { Workspace } from '../workspace.js';
import { describeHolder, rewriteTask } from '../backlog/lock-text.js';
import { branchName, sanitizeWorkerName, worktreePath } from './names.js';

export interface ClaimRequest {
  /** A task id, or undefined for the next eligible task. */
  id?: string;
  role?: string;
  worker: string;
  /** The process that will do the work. */
  pid: number;
  /** Paths of tasks running now in this studio: overlapping tasks are not picked. */
  busyPaths?: { id: string; paths: string[] }[];
  /** Ids this caller will not take (e.g. tasks it just gave up). */
  skip?: string[];
}

export interface Claim {
  task: Task;
  lock: TaskLock;
  /** The base commit that holds the lock; the task's branch starts here. */
  commit: string;
}

export function isoSecond(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z');
}

function pickTask(backlog: Backlog, request: ClaimRequest): Task {
  const tasks = backlog.tasks;
  if (request.id !== undefined) {
    const task = findTask({ tasks }, request.id);
    if (backlog.quarantined.has(task.file)) {
      throw new CrewError('backlog-invalid', `${task.id} has problems in its file; it cannot be claimed until they are fixed. Nothing was written.`, {
        details: problemsOf(backlog, task).map(formatProblem),
      });
    }
    if (task.lock) {
      throw new CrewError('lock-held', `${describeHolder(task)}.`, {
        hint: `Wait, or run \`crew sweep\` if that worker is gone.`,
      });
    }
    if (task.status !== 'todo') throw new CrewError('nothing-eligible', `${task.id} is ${task.status}; only todo tasks can be claimed.`);
    const reasons = ineligibleReasons(backlog, task);
    const waiting = reasons.flatMap((reason) => (reason.kind === 'waiting' ? reason.on : []));
    if (waiting.length > 0) throw new CrewError('nothing-eligible', `${task.id} is waiting on ${waiting.join(', ')}.`);
    return task;
  }
  const skip = new Set(request.skip ?? []);
  const selection = selectNextTask(
    { ...backlog, tasks: tasks.filter((task) => !skip.has(task.id)) },
    { role: request.role, busyPaths: request.busyPaths },
  );
  if (!selection.pick) {
    const open = selection.ineligible.filter((c) => c.task.status !== 'done');
    throw new CrewError('nothing-eligible', `No eligible task${request.role ? ` for role ${request.role}` : ''}.`, {
      details: open.slice(0, 20).map((c) => `${c.task.id}: ${c.reasons.map(describeReason).join('; ')}`),
    });
  }
  return selection.pick;
}

/** What a claim decides with: the config (branch and worktree names), this machine, the time, the new lock's token. */
export interface ClaimContext {
  config: Config;
  host: string;
  now: Date;
  token: string;
}

/**
 * The claim as a state change: the picked task goes in-progress with the lock in its front-matter
 * and a `started` line. Pure; throws the CrewError a user sees when nothing can be claimed.
 */
export function planClaim(snapshot: Pick<StateSnapshot, 'backlog'>, request: ClaimRequest, ctx: ClaimContext): Planned<{ task: Task; lock: TaskLock }> {
  const worker = sanitizeWorkerName(request.worker);
  // NOTE: files with problems are quarantined (never picked); the rest of the backlog works (issue 12).
  const task = pickTask(snapshot.backlog, request);
  const branch = branchName(ctx.config, worker, task.id, task.title);
  const lock: TaskLock = { worker, token: ctx.token, branch, worktree: worktreePath(ctx.config, branch), host: ctx.host, pid: request.pid, since: isoSecond(ctx.now) };
  const text = rewriteTask(snapshot.backlog.texts.get(task.id) ?? '', task, { status: 'in-progress', lock });
  return {
    change: {
      files: new Map([[task.file, text]]),
      events: [{ time: ctx.now, worker, task: task.id, event: 'started', detail: request.id ? 'claimed by id' : 'picked from backlog' }],
      message: `chore(backlog): ${task.id} claimed by ${worker}`,
    },
    value: { task: { ...task, status: 'in-progress' as const, lock }, lock },
  };
}

/**
 * Takes a task's lock in one state commit: status in-progress, the lock in its front-matter,
 * and a `started` line, moved onto the base by compare-and-swap.
 */
export async function claimTask(ws: Workspace, request: ClaimRequest): Promise<Claim> {
  const token = randomBytes(4).toString('hex');
  const result = await commitState(ws, (snapshot) => planClaim(snapshot, request, { config: ws.config, host: ws.host, now: ws.clock.now(), token }));
  return { ...result.value, commit: result.commit };
}
