// Trying the git features crewtree relies on (for `crew doctor`), without changing anything.
import type { Git } from './git.js';

export interface GitProbe {
  versionText: string;
  /** null when not tried (no base commit to try it on). */
  mergeTree: boolean | null;
  updateRefTransaction: boolean;
  worktreeList: boolean;
}

async function succeeds(git: Git, args: string[], input?: string): Promise<boolean> {
  try {
    return (await git.run(args, { input, okExitCodes: [0, 1, 128, 129] })).exitCode === 0;
  } catch {
    return false;
  }
}

/** Tries the git features crewtree relies on, without changing anything. */
export async function probeGit(git: Git, baseCommit: string | undefined): Promise<GitProbe> {
  const versionText = await git.text(['--version']).catch((error: unknown) => String(error));
  const [mergeTree, updateRefTransaction, worktreeList] = await Promise.all([
    // NOTE: merging a commit with itself writes no new object and moves no ref.
    baseCommit ? succeeds(git, ['merge-tree', '--write-tree', baseCommit, baseCommit]) : Promise.resolve(null),
    succeeds(git, ['update-ref', '--stdin'], 'start\nprepare\nabort\n'),
    succeeds(git, ['worktree', 'list', '--porcelain', '-z']),
  ]);
  return { versionText, mergeTree, updateRefTransaction, worktreeList };
}
