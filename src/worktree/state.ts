import { Git } from '../git/git.js';
import { changedSinceCommit, worktreeStatus } from '../git/worktrees.js';
import type { Workspace } from '../workspace.js';
import { readSetupFiles, withoutSetupFiles } from './setup-record.js';

export interface WorktreeState {
  /** No uncommitted change besides setup files. */
  clean: boolean;
  /** Uncommitted changed, deleted and new files, setup files left out. */
  changed: string[];
}

export async function worktreeState(worktreeAbs: string): Promise<WorktreeState> {
  const status = await worktreeStatus(new Git(worktreeAbs));
  const changed = withoutSetupFiles(
    status.map((entry) => entry.path),
    await readSetupFiles(worktreeAbs),
  ).sort();
  return { clean: changed.length === 0, changed };
}

/**
 * Files the task changed since `from`, the commit it started on: in the agent's own commits
 * and uncommitted, new files included, setup files left out. What the gate's path check reads.
 */
export async function changedFilesSince(_ws: Workspace, worktreeAbs: string, from: string): Promise<string[]> {
  const [changed, setupFiles] = await Promise.all([changedSinceCommit(new Git(worktreeAbs), from), readSetupFiles(worktreeAbs)]);
  return [...new Set(withoutSetupFiles(changed, setupFiles))].sort();
}
