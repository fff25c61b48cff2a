import { isAbsolute, join, relative } from 'node:path';
import type { Task } from '../backlog/task.js';
import { treeOf } from '../git/objects.js';
import { ancestry } from '../git/history.js';
import { deleteRef, listRefNames } from '../git/refs.js';
import { listWorktrees, pruneWorktrees } from '../git/worktrees.js';
import { mergeTrees } from '../git/merge.js';
import { readBase } from '../state/transaction.js';
import { isProcessAlive } from '../process/alive.js';
import { worktreeState } from '../worktree/state.js';
import { removeTaskWorktree } from '../worktree/remove.js';
import type { Workspace } from '../workspace.js';
import { readCachedSnapshot } from './read-backlog.js';

export interface CleanResult {
  removed: string[];
  deletedBranches: string[];
  kept: { path: string; why: string }[];
}

/**
 * Whether the branch's work is on the base: merged (its tip is an ancestor), or squashed or
 * rebased (`merge.strategy`): merging it onto the base would change nothing.
 */
async function isMerged(ws: Workspace, branchRef: string, base: string): Promise<boolean> {
  const relation = await ancestry(ws.git, branchRef, base);
  if (relation !== 'not-ancestor') return relation === 'ancestor';
  const merge = await mergeTrees(ws.git, base, branchRef);
  return merge.clean && merge.tree === (await treeOf(ws.git, base));
}

/**
 * Removes finished worktrees and merged `ai/` branches; reports, and never deletes, anything
 * that holds uncommitted or unlanded work or belongs to a live worker.
 */
export async function clean(ws: Workspace): Promise<CleanResult> {
  const result: CleanResult = { removed: [], deletedBranches: [], kept: [] };
  const base = await readBase(ws);
  const snapshot = await readCachedSnapshot(ws, base);
  const holders = new Map<string, Task>(snapshot.backlog.tasks.flatMap((task) => (task.lock ? [[`refs/heads/${task.lock.branch}`, task] as const] : [])));
  await pruneWorktrees(ws.git);
  const worktrees = await listWorktrees(ws.git);
  const root = join(ws.root, ws.config.worktrees);
  for (const worktree of worktrees) {
    const inside = relative(root, worktree.path);
    if (inside.startsWith('..') || isAbsolute(inside) || inside === '') continue;
    const shown = relative(ws.root, worktree.path);
    const holder = worktree.branch ? holders.get(worktree.branch) : undefined;
    if (holder?.lock && (holder.lock.host !== ws.host || isProcessAlive(holder.lock.pid))) {
      result.kept.push({ path: shown, why: `in use by ${holder.lock.worker} for ${holder.id}` });
      continue;
    }
    const state = await worktreeState(worktree.path);
    if (!state.clean) {
      result.kept.push({ path: shown, why: `uncommitted changes (${state.changed.slice(0, 5).join(', ')}${state.changed.length > 5 ? ', ...' : ''})` });
      continue;
    }
    if (worktree.branch && !(await isMerged(ws, worktree.branch, base))) {
      result.kept.push({ path: shown, why: `${worktree.branch.replace('refs/heads/', '')} holds work not on ${ws.config.base}` });
      continue;
    }
    await removeTaskWorktree(ws, worktree.path, { force: false });
    result.removed.push(shown);
  }
  if (!ws.config.merge.keep_branches) {
    const branches = await listRefNames(ws.git, 'refs/heads/ai/');
    const merged: string[] = [];
    for (const ref of branches) if (await isMerged(ws, ref, base)) merged.push(ref);
    const checkedOut = new Set((await listWorktrees(ws.git)).map((w) => w.branch));
    for (const ref of merged) {
      if (checkedOut.has(ref) || holders.has(ref)) continue;
      await deleteRef(ws.git, ref);
      result.deletedBranches.push(ref.replace('refs/heads/', ''));
    }
  }
  return result;
}
