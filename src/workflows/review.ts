import { findTask } from '../backlog/backlog.js';
import type { Task } from '../backlog/task.js';
import { rewriteTask } from '../backlog/lock-text.js';
import { CrewError } from '../errors.js';
import { resolveCommit } from '../git/objects.js';
import { deleteBranch } from '../git/worktrees.js';
import type { Lander, LandingOutcome } from '../landing/lander.js';
import { MergeQueueLander } from '../merge-queue/index.js';
import { notify } from '../notify/notify.js';
import { loadRoles, resolveRole } from '../roles/load.js';
import type { StateSnapshot } from '../state/snapshot.js';
import { commitState, type Planned } from '../state/transaction.js';
import { runDir } from '../worker/runs.js';
import type { Workspace } from '../workspace.js';
import { readCachedSnapshot } from './read-backlog.js';

async function taskInReview(ws: Workspace, id: string): Promise<Task> {
  const snapshot = await readCachedSnapshot(ws);
  const task = findTask(snapshot.backlog, id);
  if (task.status !== 'review' || !task.lock) {
    throw new CrewError('usage', `${task.id} is ${task.status}, not waiting for review.`, { hint: 'See what waits with `crew task list --status review`.' });
  }
  return task;
}

export interface SendBack {
  /** The task as it was read in review: its lock's token is the fence. */
  task: Task;
  status: 'todo' | 'blocked';
  event: 'rejected' | 'blocked';
  note: string;
  detail?: string;
}

/**
 * Moves a reviewed task out of review, as a state change: to todo (rejected) or blocked (approved
 * but could not land), lock dropped, the note dated. Pure; refuses a task that changed hands.
 */
export function planSendBack(snapshot: Pick<StateSnapshot, 'backlog'>, back: SendBack, now: Date): Planned<undefined> {
  const current = findTask(snapshot.backlog, back.task.id);
  if (current.lock?.token !== back.task.lock?.token) throw new CrewError('fenced', `${back.task.id} changed hands while it was being reviewed; nothing was changed.`);
  const text = rewriteTask(snapshot.backlog.texts.get(current.id) ?? '', current, { status: back.status, lock: undefined, note: `${now.toISOString()} ${back.note}`, detail: back.detail ?? '' });
  return {
    change: {
      files: new Map([[current.file, text]]),
      events: [{ time: now, worker: current.lock?.worker ?? 'user', task: current.id, event: back.event, detail: back.note }],
      message: `chore(backlog): ${current.id} ${back.event}`,
    },
    value: undefined,
  };
}

async function sendBack(ws: Workspace, task: Task, status: 'todo' | 'blocked', event: 'rejected' | 'blocked', note: string, detail = ''): Promise<void> {
  await commitState(ws, (snapshot) => planSendBack(snapshot, { task, status, event, note, detail }, ws.clock.now()));
}

/** `crew approve ID`: the reviewed branch goes through the merge queue onto the base. */
export async function approve(ws: Workspace, id: string, options: { actor: string; lander?: Lander }): Promise<LandingOutcome> {
  const task = await taskInReview(ws, id);
  const lock = task.lock!;
  const tip = await resolveCommit(ws.git, `refs/heads/${lock.branch}`);
  if (!tip) throw new CrewError('usage', `The branch ${lock.branch} of ${task.id} is gone; nothing to approve.`, { hint: `crew reject ${task.id} -m "branch lost"` });
  await commitState(ws, () => ({
    change: { files: new Map(), events: [{ time: ws.clock.now(), worker: lock.worker, task: task.id, event: 'approved', detail: `by ${options.actor}` }], message: `chore(backlog): ${task.id} approved` },
    value: undefined,
  }));
  const role = resolveRole(await loadRoles(ws.root), task.role);
  const lander = options.lander ?? new MergeQueueLander(ws);
  const outcome = await lander.land({ task, lock, tip, env: {}, gateCommands: [...ws.config.gate, ...role.gate], runDir: runDir(ws, task.id) });
  if (outcome.kind === 'landed') {
    if (!ws.config.merge.keep_branches) await deleteBranch(ws.git, lock.branch, { bestEffort: true });
    await notify(ws, { task: task.id, title: task.title, status: 'done', branch: lock.branch, summary: `approved by ${options.actor}, landed as ${outcome.commit.slice(0, 8)}` });
  } else if (outcome.kind === 'conflict' || outcome.kind === 'gate-failed') {
    const why = outcome.kind === 'conflict' ? `conflicts with ${ws.config.base} in ${outcome.files.join(', ')}` : `the merge failed the gate: ${outcome.command}`;
    await sendBack(ws, task, 'blocked', 'blocked', `approved by ${options.actor} but could not land: ${why}; branch ${lock.branch} keeps the work`, outcome.kind === 'gate-failed' ? outcome.tail : '');
  }
  return outcome;
}

/** `crew reject ID -m WHY`: back to todo with the reason; the branch keeps the rejected work. */
export async function reject(ws: Workspace, id: string, options: { actor: string; reason: string }): Promise<Task> {
  const task = await taskInReview(ws, id);
  await sendBack(ws, task, 'todo', 'rejected', `rejected by ${options.actor}: ${options.reason}; previous work on branch ${task.lock?.branch}`);
  return task;
}
