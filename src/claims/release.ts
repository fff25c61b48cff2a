import { findTask } from '../backlog/backlog.js';
import type { Task, TaskStatus } from '../backlog/task.js';
import { CrewError } from '../errors.js';
import type { TaskEventName } from '../task-log/events.js';
import { commitState } from '../state/transaction.js';
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

/** Gives a lock back: only its holder may, or anyone with `force` (logged). */
export async function releaseTask(ws: Workspace, request: ReleaseRequest): Promise<{ task: Task; commit: string }> {
  const result = await commitState(ws, (snapshot) => {
    const task = findTask(snapshot.backlog, request.id);
    if (!task.lock) throw new CrewError('not-holder', `${task.id} is not locked; there is nothing to release.`);
    if (!request.force && !isHolder(task, { token: request.token, pid: request.pid, host: ws.host })) {
      throw new CrewError('not-holder', `${describeHolder(task)}; only its holder may release it.`, {
        hint: 'Pass the lock token (--token), or use --force -m "why" to take it away.',
      });
    }
    const status = request.status ?? 'todo';
    const who = request.force ? `${request.actor} (forced)` : request.actor;
    // NOTE: a plain release by its holder has nothing to say: the file goes back byte for byte
    // to what it was before the claim; the task log still has the line (issue 12).
    const worthNoting = Boolean(request.note?.trim() || request.detail?.trim() || request.force || status === 'blocked');
    const note = worthNoting ? `${ws.clock.now().toISOString()} ${status === 'blocked' ? 'blocked' : 'released'} by ${who}${request.note ? `: ${request.note}` : ''}` : undefined;
    const text = rewriteTask(snapshot.backlog.texts.get(task.id) ?? '', task, { status, lock: undefined, note, detail: request.detail });
    const event = request.event ?? (status === 'blocked' ? 'blocked' : 'released');
    return {
      change: {
        files: new Map([[task.file, text]]),
        events: [{ time: ws.clock.now(), worker: task.lock.worker, task: task.id, event, detail: `${request.force ? `forced by ${request.actor}: ` : ''}${request.note ?? ''}`.trim() }],
        message: `chore(backlog): ${task.id} ${event} by ${who}`,
      },
      value: { ...task, status, lock: undefined },
    };
  });
  return { task: result.value, commit: result.commit };
}
