import { CrewError } from '../errors.js';
import { moveCheckoutTree, refreshIndex } from '../git/checkout.js';
import { Git } from '../git/git.js';
import { parseBlockingFiles, type WorktreeInfo } from '../git/parse.js';
import { listWorktrees } from '../git/worktrees.js';

/** Worktrees (usually the user's main checkout) that have `branchRef` checked out. */
export async function checkoutsOf(git: Git, branchRef: string): Promise<WorktreeInfo[]> {
  return (await listWorktrees(git)).filter((worktree) => !worktree.bare && worktree.branch === branchRef);
}

/**
 * Moves a checkout's index and files from `from` to `to`, the way git's `updateInstead` does.
 * Refuses, touching nothing, when that would overwrite uncommitted work.
 */
export async function moveCheckout(worktree: WorktreeInfo, from: string, to: string, branch: string): Promise<void> {
  const checkout = new Git(worktree.path);
  let result = await moveCheckoutTree(checkout, from, to);
  if (result.ok) return;
  // NOTE: a file touched but not changed looks modified to an index with old stat data;
  // refresh it once so only real edits stop the move.
  await refreshIndex(checkout);
  result = await moveCheckoutTree(checkout, from, to);
  if (result.ok) return;
  const files = parseBlockingFiles(result.stderr);
  throw new CrewError(
    'checkout-dirty',
    `${branch} is checked out in ${worktree.path} and moving it would overwrite uncommitted changes${files.length ? ` to ${files.join(', ')}` : ''}. Nothing was changed.`,
    {
      hint: `Commit, stash or discard your changes to ${files.length ? files.join(', ') : 'those files'} in ${worktree.path} (crewtree only writes under the backlog folder), then run the command again.`,
      details: result.stderr.trim().split('\n'),
    },
  );
}
