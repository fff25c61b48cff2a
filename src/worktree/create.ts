import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { CrewError } from '../errors.js';
import {
  addWorktreeForBranch,
  branchExists,
  createWorktree,
  listWorktrees,
  pruneWorktrees,
} from '../git/worktrees.js';
import type { Workspace } from '../workspace.js';
import { assertValidBranchName, confinedWorktreePath } from './confine.js';

export interface TaskWorktreeRequest {
  branch: string;
  /** Repository-relative, e.g. `.worktrees/ai/w1/A1-x`; must lie inside the config's worktrees folder. */
  path: string;
  /** The commit a new branch starts from (an existing branch keeps its own commits). */
  from: string;
}

/**
 * Creates the worktree and branch of a task, or takes up the ones a stopped or swept worker
 * left: an existing branch is checked out as it is, an existing worktree of that branch is
 * reused. Returns the worktree's absolute path.
 */
export async function createTaskWorktree(ws: Workspace, request: TaskWorktreeRequest): Promise<string> {
  assertValidBranchName(request.branch);
  const absolute = confinedWorktreePath(ws.root, ws.config.worktrees, request.path);
  await mkdir(dirname(absolute), { recursive: true });
  // NOTE: the common case (new branch) costs one git process; the checks only run when it fails.
  const created = await createWorktree(ws.git, request.branch, absolute, request.from);
  if (created.ok) return absolute;

  const registered = (await listWorktrees(ws.git)).find((worktree) => samePath(worktree.path, absolute));
  if (registered && !registered.prunable) {
    if (registered.branch === `refs/heads/${request.branch}`) return absolute;
    throw new CrewError('checkout-dirty', `${request.path} is already a worktree, of ${registered.branch?.replace('refs/heads/', '') ?? 'a detached HEAD'}, not ${request.branch}. Nothing was changed.`, {
      hint: `Remove it with \`git worktree remove ${request.path}\` if its work is saved elsewhere, then try again.`,
    });
  }
  if (!(await branchExists(ws.git, request.branch))) {
    throw new CrewError('git-failed', `Could not create the worktree ${request.path} on a new branch ${request.branch}: ${created.stderr}`, {
      hint: `Check that ${request.path} is free and that ${request.from} is a commit of this repository.`,
    });
  }
  // A branch left by an earlier run: forget worktrees whose folder was deleted, then check it out.
  await pruneWorktrees(ws.git);
  try {
    await addWorktreeForBranch(ws.git, absolute, request.branch);
  } catch (error) {
    throw new CrewError('git-failed', `Could not check out the existing branch ${request.branch} in ${request.path}.`, {
      hint: `It may be checked out in another worktree (\`git worktree list\`); remove that worktree or let its worker finish.`,
      cause: error,
    });
  }
  return absolute;
}

function samePath(a: string, b: string): boolean {
  return resolve(a) === resolve(b);
}
