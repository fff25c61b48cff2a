// Git by intent for merges: in memory (`merge-tree`, no checkout touched) or in a worktree.
import type { Git } from './git.js';

export type TreeMerge = { clean: true; tree: string } | { clean: false; files: string[] };

/** The tree of merging commit `theirs` into commit `ours` (`git merge-tree --write-tree`), no checkout touched. */
export async function mergeTrees(git: Git, ours: string, theirs: string): Promise<TreeMerge> {
  const result = await git.run(['merge-tree', '--write-tree', '--name-only', '--no-messages', ours, theirs], { okExitCodes: [0, 1] });
  const [tree = '', ...rest] = result.stdout.trim().split('\n');
  return result.exitCode === 1 ? { clean: false, files: rest.filter(Boolean) } : { clean: true, tree };
}

/** Whether two commits have the same files outside `dir` (a gate result carries over). */
export async function sameCodeOutside(git: Git, a: string, b: string, dir: string): Promise<boolean> {
  const result = await git.run(['diff-tree', '--quiet', '-r', a, b, '--', '.', `:(exclude)${dir}`], { okExitCodes: [0, 1] });
  return result.exitCode === 0;
}

/**
 * Merges commit `from` into the branch checked out in `worktree` (always a merge commit;
 * `identity` from Git.identity()). On a conflict the merge is left in progress and the result
 * names the conflicted files.
 */
export async function mergeIntoWorktree(worktree: Git, from: string, identity: readonly string[]): Promise<{ clean: true } | { clean: false; files: string[] }> {
  const result = await worktree.run([...identity, 'merge', '--no-edit', '--no-ff', from], { okExitCodes: [0, 1] });
  if (result.exitCode === 0) return { clean: true };
  const files = (await worktree.run(['diff', '--name-only', '--diff-filter=U'])).stdout.split('\n').filter(Boolean);
  return { clean: false, files };
}
