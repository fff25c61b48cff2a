import { releaseTask } from '../claims/release.js';
import { rewriteTask } from '../backlog/lock-text.js';
import { oneLine } from '../agents/json-lines.js';
import { isCrewError } from '../errors.js';
import { Git } from '../git/git.js';
import { mergeIntoWorktree } from '../git/merge.js';
import { notify } from '../notify/notify.js';
import type { Task, TaskLock } from '../backlog/task.js';
import type { StateSnapshot } from '../state/snapshot.js';
import { commitState, readBase, type Planned } from '../state/transaction.js';
import { recordEvents } from '../state/record-events.js';
import { commitAllWork, taskCommitMessage } from '../worktree/commit.js';
import { removeTaskWorktree } from '../worktree/remove.js';
import type { AttemptContext } from './attempts.js';
import type { WorkResult } from './work-result.js';

function emit(ctx: AttemptContext, phase: 'done' | 'blocked' | 'released' | 'review', detail: string): void {
  ctx.reporter.emit({ worker: ctx.lock.worker, task: ctx.task.id, title: ctx.task.title, phase, detail, time: ctx.ws.clock.now() });
}

/** Everything the agent left becomes the task's commit `<type>(<ID>): <title>` with `Task: <ID>`. */
export async function commitTaskWork(ctx: AttemptContext): Promise<string | undefined> {
  const result = await commitAllWork(ctx.ws, ctx.worktree, { message: taskCommitMessage(ctx.task), ignored: ctx.ignored });
  if (!result) return undefined;
  await recordEvents(ctx.ws, [
    { time: ctx.ws.clock.now(), worker: ctx.lock.worker, task: ctx.task.id, event: 'committed', detail: `${result.commit.slice(0, 8)} ${taskCommitMessage(ctx.task).split('\n')[0]}` },
  ]);
  return result.commit;
}

/** Where a stopped or failed task's work is, for its note: saved on the branch, or kept in the worktree. */
interface SavedWork {
  saved: boolean;
  where: string;
}

/**
 * Keeps unfinished work on the branch as a `wip` commit. NOTE: when that commit fails (a lock
 * file an agent left, a full disk), the worktree is kept with the work in it and the note says so.
 */
async function saveWork(ctx: AttemptContext, why: string): Promise<SavedWork> {
  const message = `wip(${ctx.task.id}): ${ctx.task.title} (${why})\n\nTask: ${ctx.task.id}\n`;
  try {
    await commitAllWork(ctx.ws, ctx.worktree, { message, ignored: ctx.ignored });
    return { saved: true, where: `branch ${ctx.lock.branch} keeps the work` };
  } catch (error) {
    const cause = oneLine(error instanceof Error ? error.message : String(error), 160);
    return { saved: false, where: `the work could not be committed to ${ctx.lock.branch} (${cause}); it is kept, uncommitted, in ${ctx.lock.worktree}` };
  }
}

async function freeWorktree(ctx: AttemptContext, saved: SavedWork): Promise<void> {
  if (saved.saved) await removeTaskWorktree(ctx.ws, ctx.worktree, { force: true }).catch(() => undefined);
}

async function giveBack(ctx: AttemptContext, status: 'todo' | 'blocked', note: string, detail: string): Promise<WorkResult> {
  try {
    await releaseTask(ctx.ws, {
      id: ctx.task.id,
      token: ctx.lock.token,
      status,
      note,
      detail,
      actor: ctx.lock.worker,
      event: status === 'blocked' ? 'blocked' : 'released',
    });
  } catch (error) {
    if (isCrewError(error, 'not-holder')) return { kind: 'fenced', task: ctx.task, detail: error.message };
    throw error;
  }
  return { kind: status === 'blocked' ? 'blocked' : 'released', task: ctx.task, detail: note };
}

export async function stopTask(ctx: AttemptContext, why: string): Promise<WorkResult> {
  const saved = await saveWork(ctx, 'stopped');
  const note = `${why}; ${saved.where}`;
  // NOTE: a stop must be quick (Ctrl-C); the worktree removal and the lock release touch
  // different things, so they run side by side once the work is safe.
  const [, result] = await Promise.all([freeWorktree(ctx, saved), giveBack(ctx, 'todo', note, '')]);
  emit(ctx, 'released', note);
  return result;
}

/** Frees the lock of a task that has no worktree yet (nothing to save). */
export async function releaseWithoutWork(ctx: AttemptContext, why: string): Promise<WorkResult> {
  const note = oneLine(why, 300);
  const result = await giveBack(ctx, 'todo', note, '');
  emit(ctx, 'released', note);
  await notify(ctx.ws, { task: ctx.task.id, title: ctx.task.title, status: 'failed', branch: ctx.lock.branch, summary: note });
  return result.kind === 'released' ? { ...result, failed: true } : result;
}

/** An error in this worker alone: its work is saved and its lock released with a note; the studio goes on. */
export async function failTask(ctx: AttemptContext, error: unknown): Promise<WorkResult> {
  const why = oneLine(error instanceof Error ? error.message : String(error), 300);
  const result = await stopTask(ctx, `worker ${ctx.lock.worker} failed: ${why}`);
  // NOTE: an error no one watches (a dispatched worker, a studio left alone) must still reach the user.
  await notify(ctx.ws, { task: ctx.task.id, title: ctx.task.title, status: 'failed', branch: ctx.lock.branch, summary: 'detail' in result ? result.detail : why });
  return result.kind === 'released' ? { ...result, failed: true } : result;
}

export async function blockTask(ctx: AttemptContext, reason: string, tail: string): Promise<WorkResult> {
  const saved = await saveWork(ctx, 'blocked');
  const note = `${reason}; ${saved.where}`;
  const [, result] = await Promise.all([freeWorktree(ctx, saved), giveBack(ctx, 'blocked', note, tail)]);
  emit(ctx, 'blocked', reason);
  await notify(ctx.ws, { task: ctx.task.id, title: ctx.task.title, status: 'blocked', branch: ctx.lock.branch, summary: reason });
  return result;
}

/**
 * Review mode, as a state change: the task goes to `review` keeping its lock (the fence for
 * `crew approve`), with a `review` line naming the branch and tip. Pure.
 */
export function planParkForReview(snapshot: Pick<StateSnapshot, 'backlog'>, held: { task: Pick<Task, 'id'>; lock: Pick<TaskLock, 'worker' | 'branch'>; tip: string }, now: Date): Planned<undefined> {
  const { task, lock, tip } = held;
  const current = snapshot.backlog.tasks.find((t) => t.id === task.id);
  const text = snapshot.backlog.texts.get(task.id) ?? '';
  if (!current) throw new Error(`${task.id} vanished from the backlog`);
  return {
    change: {
      files: new Map([[current.file, rewriteTask(text, current, { status: 'review', lock: current.lock })]]),
      events: [{ time: now, worker: lock.worker, task: task.id, event: 'review', detail: `${lock.branch} at ${tip.slice(0, 8)} waits for crew approve ${task.id}` }],
      message: `chore(backlog): ${task.id} waits for review`,
    },
    value: undefined,
  };
}

/** Review mode: the gate passed; the task waits at `review` (lock kept as the fence) for `crew approve`. */
export async function parkForReview(ctx: AttemptContext, tip: string): Promise<WorkResult> {
  const { ws, task, lock } = ctx;
  await commitState(ws, (snapshot) => planParkForReview(snapshot, { task, lock, tip }, ws.clock.now()));
  await removeTaskWorktree(ws, ctx.worktree, { force: true }).catch(() => undefined);
  const detail = `gate passed; review ${lock.branch}, then crew approve ${task.id} or crew reject ${task.id} -m "why"`;
  emit(ctx, 'review', detail);
  await notify(ws, { task: task.id, title: task.title, status: 'review', branch: lock.branch, summary: detail });
  return { kind: 'review', task, detail };
}

export async function finishLanded(ctx: AttemptContext, commit: string, attempts: number): Promise<WorkResult> {
  const { ws, task, lock } = ctx;
  await removeTaskWorktree(ws, ctx.worktree, { force: true, deleteBranch: ws.config.merge.keep_branches ? undefined : lock.branch }).catch(() => undefined);
  emit(ctx, 'done', `landed on ${ws.config.base} as ${commit.slice(0, 8)}`);
  await notify(ws, { task: task.id, title: task.title, status: 'done', branch: lock.branch, summary: `landed as ${commit.slice(0, 8)}` });
  return { kind: 'done', task, commit, attempts };
}

/** After a conflict: merge the current base into the task branch in its worktree. */
export async function mergeBaseIntoWorktree(ctx: AttemptContext): Promise<{ clean: boolean; files: string[]; base: string }> {
  const { ws } = ctx;
  const base = await readBase(ws); // NOTE: with a remote, the remote's base, not this clone's copy
  const merge = await mergeIntoWorktree(new Git(ctx.worktree), base, await ws.git.identity());
  return { clean: merge.clean, files: merge.clean ? [] : merge.files, base };
}
