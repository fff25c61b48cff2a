import { findTask } from '../backlog/backlog.js';
import { describeHolder, rewriteTask } from '../backlog/lock-text.js';
import type { Task } from '../backlog/task.js';
import { CrewError } from '../errors.js';
import { listWorktrees } from '../git/worktrees.js';
import { commitState } from '../state/transaction.js';
import { findKeptBranch, retireBranch } from '../worker/kept-branch.js';
import type { Workspace } from '../workspace.js';
import { readCachedSnapshot } from './read-backlog.js';

export interface RetryRequest {
  id: string;
  /** Start again from the base instead of the kept branch. */
  fresh: boolean;
  actor: string;
}

export interface RetryResult {
  task: Task;
  /** The kept branch the next run continues from; undefined when it starts from the base. */
  continuesFrom?: string;
  /** Where `--fresh` moved the kept branch. */
  retired?: string;
}

/** `crew retry ID [--fresh]`: a blocked or released task back to todo, from its kept branch or from the base. */
export async function retryTask(ws: Workspace, request: RetryRequest): Promise<RetryResult> {
  let kept = await findKeptBranch(ws, await currentTask(ws, request.id));
  let retired: string | undefined;
  if (kept && request.fresh) {
    const checkedOut = (await listWorktrees(ws.git)).find((worktree) => worktree.branch === `refs/heads/${kept!.branch}` && !worktree.prunable);
    if (checkedOut) {
      throw new CrewError('checkout-dirty', `${kept.branch} is still checked out in ${checkedOut.path}, which may hold uncommitted work; nothing was changed.`, {
        hint: `Commit or discard that work and remove the worktree (\`git worktree remove ${checkedOut.path}\`), or retry without --fresh to continue from it.`,
      });
    }
    retired = await retireBranch(ws, kept);
    kept = undefined;
  }
  const from = kept ? `continues from branch ${kept.branch}` : `starts again from ${ws.config.base}${retired ? ` (the earlier work stays under ${retired})` : ''}`;
  const result = await commitState(ws, (snapshot) => {
    const task = findTask(snapshot.backlog, request.id);
    if (task.lock) {
      throw new CrewError('lock-held', `${describeHolder(task)}; only a blocked or released task can be retried.`, {
        hint: `Wait for it, or take the lock away with \`crew release ${task.id} --force -m "why"\` first.`,
      });
    }
    if (task.status !== 'blocked' && task.status !== 'todo') {
      throw new CrewError('usage', `${task.id} is ${task.status}; only a blocked or released task can be retried.`);
    }
    const note = `${ws.clock.now().toISOString()} retried by ${request.actor}: ${from}`;
    return {
      change: {
        files: new Map([[task.file, rewriteTask(snapshot.backlog.texts.get(task.id) ?? '', task, { status: 'todo', lock: undefined, note })]]),
        events: [{ time: ws.clock.now(), worker: request.actor, task: task.id, event: 'released', detail: `retry: ${from}` }],
        message: `chore(backlog): ${task.id} retried by ${request.actor}`,
      },
      value: { ...task, status: 'todo' as const },
    };
  });
  return { task: result.value, continuesFrom: kept?.branch, retired };
}

async function currentTask(ws: Workspace, id: string): Promise<Task> {
  return findTask((await readCachedSnapshot(ws)).backlog, id);
}
