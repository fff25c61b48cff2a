import type { Task } from '../backlog/task.js';
import { Git } from '../git/git.js';
import { changedPaths } from '../git/objects.js';
import { commitIndex, forkPoint, headCommit, stagePaths, trackedPaths, unstagePaths, worktreeStatus } from '../git/worktrees.js';
import type { Workspace } from '../workspace.js';
import { isSetupPath, readSetupFiles, withoutSetupFiles } from './setup-record.js';

/** `<type>(<ID>): <title>` and the trailer `Task: <ID>`, the commit that carries a task's work. */
export function taskCommitMessage(task: Pick<Task, 'id' | 'title' | 'type'>): string {
  const title = task.title.replace(/\s+/g, ' ').trim();
  return `${task.type}(${task.id}): ${title}\n\nTask: ${task.id}\n`;
}

export interface CommittedWork {
  /** The branch's new tip. */
  commit: string;
  /** Files that differ between the start commit and that tip. */
  changed: string[];
}

/**
 * Makes everything the agent left the task's work: commits it made are kept, and whatever is
 * uncommitted (changed, deleted or new files) goes into one final commit with `message`.
 * Setup files (copies, links) are never committed, even if the agent staged or committed them.
 * Returns undefined when nothing differs from `from`, the commit the task started on (by
 * default where the branch forked from the base).
 */
export async function commitAllWork(
  ws: Workspace,
  worktreeAbs: string,
  options: { message: string; ignored: readonly string[]; from?: string },
): Promise<CommittedWork | undefined> {
  const worktree = new Git(worktreeAbs);
  const setupFiles = [...new Set([...options.ignored, ...(await readSetupFiles(worktreeAbs))])];
  await unstagePaths(worktree, await trackedPaths(worktree, setupFiles));
  const status = await worktreeStatus(worktree);
  const work = withoutSetupFiles(
    status.map((entry) => entry.path),
    setupFiles,
  );
  // A setup file the agent had committed is now staged for removal: that too needs the final commit.
  const unleaks = status.some((entry) => isSetupPath(entry.path, setupFiles) && entry.code[0] !== ' ' && entry.code[0] !== '?');
  let head: string;
  if (work.length > 0 || unleaks) {
    await stagePaths(worktree, work);
    head = await commitIndex(worktree, options.message, await ws.git.identity());
  } else {
    head = await headCommit(worktree);
  }
  const from = options.from ?? (await forkPoint(worktree, head, ws.config.base));
  if (head === from) return undefined;
  const changed = await changedPaths(worktree, from, head);
  return changed.length === 0 ? undefined : { commit: head, changed };
}

// The gate's path check reads this beside the commit step.
export { changedFilesSince } from './state.js';
