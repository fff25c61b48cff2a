import { branchName } from '../claims/names.js';
import type { Task } from '../backlog/task.js';
import type { Workspace } from '../workspace.js';

const ANY_WORKER = 'crewtreeanyworker';

/**
 * The branch an earlier, unfinished run of this task left (a stop, a block, a sweep), newest first:
 * a retry continues from it. NOTE: the branch template names the worker, and the next run may be
 * another worker's, so the branch is looked up with any worker in its place (one git process).
 */
export async function findKeptBranch(ws: Workspace, task: Pick<Task, 'id' | 'title'>, except?: string): Promise<{ branch: string; tip: string } | undefined> {
  const pattern = branchName(ws.config, ANY_WORKER, task.id, task.title).replaceAll(ANY_WORKER, '*');
  const listed = await ws.git.text(['for-each-ref', '--sort=-committerdate', '--format=%(objectname) %(refname:lstrip=2)', `refs/heads/${pattern}`]);
  for (const line of listed.split('\n').filter(Boolean)) {
    const [tip = '', branch = ''] = line.split(' ');
    if (branch !== except) return { branch, tip };
  }
  return undefined;
}

/** Moves a kept branch out of the way (`--fresh`): its commits stay reachable under refs/crewtree/retired/. */
export async function retireBranch(ws: Workspace, kept: { branch: string; tip: string }): Promise<string> {
  const retired = `refs/crewtree/retired/${kept.branch}`;
  await ws.git.run(['update-ref', retired, kept.tip]);
  await ws.git.run(['update-ref', '-d', `refs/heads/${kept.branch}`, kept.tip]);
  return retired;
}
