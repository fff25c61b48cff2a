import type { Git } from '../git/git.js';
import { commitPaths } from '../git/worktrees.js';

export const INIT_COMMIT_MESSAGE = 'chore: set up crewtree';

/**
 * Commits exactly the files `crew init` created or updated, on the branch checked out, so that
 * crewtree (which reads the base branch) sees them. Other staged or changed files stay as they are.
 */
export async function commitInitFiles(git: Git, paths: readonly string[]): Promise<string | undefined> {
  if (paths.length === 0) return undefined;
  return commitPaths(git, paths, INIT_COMMIT_MESSAGE);
}
