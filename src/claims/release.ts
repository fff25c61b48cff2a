import { findTask } from '../backlog/backlog.js';
import type { Task, TaskStatus } from '../backlog/task.js';
import { CrewError } from '../errors.js';
import type { TaskEventName } from '../task-log/events.js';
import type { StateSnapshot } from '../state/snapshot.js';
import { commitState, type Planned } from '../state/transaction.js';
import type { Workspace } from '../workspace.js';
import { describeHolder, rewriteTask } from '../backlog/lock-text.js';

export interface ReleaseRequest {
  id: string;
  /** The holder's proof: its token, or (same host) its pid. */
  token?: string;
  pid?: number;
  force?: boolean;
  note?: string;
  /** A multi-line detail for the note (a failure tail). */
  detail?: string;
  /** Where the task goes: todo (default) or blocked. */
  status?: Extract<TaskStatus, 'todo' | 'blocked'>;
  /** Who is asking, for the log. */
  actor: string;
  event?: Extract<TaskEventName, 'released' | 'blocked'>;
}

export function isHolder(task: Task, proof: { token?: string; pid?: number; host: string }): boolean {
  const lock = task.lock;
  if (!lock) return false;
  if (proof.token !== undefined) return proof.token === lock.token;
  return proof.pid !== undefined && lock.host === proof.host && lock.pid === proof.pid;
}

/**
 * The release as a state change: the task back to todo (or blocked) without its lock, a note when
 * there is something to say, a `released` or `blocked` line. Pure; only the holder, or `force`.
 */
export function planRelease(snapshot: Pick<StateSnapshot, 'backlog'>, request: ReleaseRequest, ctx: { host: string; now: Date }): Planned<Task> {
  const task = findTask(snapshot.backlog, request.id);
  if (!task.lock) throw new CrewError('not-holder', `${task.id} is not locked; there is nothing to release.`);
  if (!request.force && !isHolder(task, { token: request.token, pid: request.pid, host: ctx.host })) {
    throw new CrewError('not-holder', `${describeHolder(task)}; only its holder may release it.`, {
      hint: 'Pass the lock token (--token), or use --force -m "why" to take it away.',
    });
  }
  const status = request.status ?? 'todo';
  const who = request.force ? `${request.actor} (forced)` : request.actor;
  // NOTE: a plain release by its holder has nothing to say: the file goes back byte for byte
  // to what it was before the claim; the task log still has the line (issue 12).
  const worthNoting = Boolean(request.note?.trim() || request.detail?.trim() || request.force || status === 'blocked');
  const note = worthNoting ? `${ctx.now.toISOString()} ${status === 'blocked' ? 'blocked' : 'released'} by ${who}${request.note ? `: ${request.note}` : ''}` : undefined;
  const text = rewriteTask(snapshot.backlog.texts.get(task.id) ?? '', task, { status, lock: undefined, note, detail: request.detail });
  const event = request.event ?? (status === 'blocked' ? 'blocked' : 'released');
  return {
    change: {
      files: new Map([[task.file, text]]),
      events: [{ time: ctx.now, worker: task.lock.worker, task: task.id, event, detail: `${request.force ? `forced by ${request.actor}: ` : ''}${request.note ?? ''}`.trim() }],
      message: `chore(backlog): ${task.id} ${event} by ${who}`,
    },
    value: { ...task, status, lock: undefined },
  };
}

/** Gives a lock back: only its holder may, or anyone with `force` (logged). */
export async function releaseTask(ws: Workspace, request: ReleaseRequest): Promise<{ task: Task; commit: string }> {
  const result = await commitState(ws, (snapshot) => planRelease(snapshot, request, { host: ws.host, now: ws.clock.now() }));
  return { task: result.value, commit: result.commit };
}
