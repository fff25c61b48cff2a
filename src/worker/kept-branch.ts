import { branchName } from '../claims/names.js';
import type { Task } from '../backlog/task.js';
import { branchesByRecency, deleteRef, setRef } from '../git/refs.js';
import type { Workspace } from '../workspace.js';

const ANY_WORKER = 'crewtreeanyworker';

/**
 * The branch an earlier, unfinished run of this task left (a stop, a block, a sweep), newest first:
 * a retry continues from it. NOTE: the branch template names the worker, and the next run may be
 * another worker's, so the branch is looked up with any worker in its place (one git process).
 */
export async function findKeptBranch(ws: Workspace, task: Pick<Task, 'id' | 'title'>, except?: string): Promise<{ branch: string; tip: string } | undefined> {
  const pattern = branchName(ws.config, ANY_WORKER, task.id, task.title).replaceAll(ANY_WORKER, '*');
  return (await branchesByRecency(ws.git, pattern)).find((kept) => kept.branch !== except);
}

/** Moves a kept branch out of the way (`--fresh`): its commits stay reachable under refs/crewtree/retired/. */
export async function retireBranch(ws: Workspace, kept: { branch: string; tip: string }): Promise<string> {
  const retired = `refs/crewtree/retired/${kept.branch}`;
  await setRef(ws.git, retired, kept.tip);
  await deleteRef(ws.git, `refs/heads/${kept.branch}`, { expected: kept.tip });
  return retired;
}
