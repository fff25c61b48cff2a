import { CrewError } from '../errors.js';
import type { Git } from '../git/git.js';
import { parseBlockingFiles, parseWorktreeList, type WorktreeInfo } from '../git/parse.js';

/** Worktrees (usually the user's main checkout) that have `branchRef` checked out. */
export async function checkoutsOf(git: Git, branchRef: string): Promise<WorktreeInfo[]> {
  const output = (await git.run(['worktree', 'list', '--porcelain', '-z'])).stdout;
  return parseWorktreeList(output).filter((worktree) => !worktree.bare && worktree.branch === branchRef);
}

/**
 * Moves a checkout's index and files from `from` to `to`, the way git's `updateInstead` does.
 * Refuses, touching nothing, when that would overwrite uncommitted work.
 */
export async function moveCheckout(git: Git, worktree: WorktreeInfo, from: string, to: string, branch: string): Promise<void> {
  const move = () => git.run(['read-tree', '-m', '-u', from, to], { cwd: worktree.path, okExitCodes: [0, 128] });
  let result = await move();
  if (result.exitCode === 0) return;
  // NOTE: a file touched but not changed looks modified to an index with old stat data;
  // refresh it once so only real edits stop the move.
  await git.run(['update-index', '-q', '--refresh'], { cwd: worktree.path, okExitCodes: [0, 1] });
  result = await move();
  if (result.exitCode === 0) return;
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
