import { rmdir, unlink } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { CrewError } from '../errors.js';
import { deleteBranch, pruneWorktrees, removeWorktree } from '../git/worktrees.js';
import type { Workspace } from '../workspace.js';
import { readSetupFiles } from './setup-record.js';
import { worktreeState } from './state.js';

/**
 * Removes a task worktree and, when asked, its branch. Without `force` a worktree holding
 * uncommitted work is refused and left as it is; the setup files (copies, links) never count
 * as work and are removed first, links without following them.
 */
export async function removeTaskWorktree(ws: Workspace, worktreeAbs: string, options: { deleteBranch?: string; force?: boolean } = {}): Promise<void> {
  const shown = relative(ws.root, worktreeAbs) || worktreeAbs;
  if (!options.force) {
    const state = await worktreeState(worktreeAbs).catch(() => undefined);
    if (state && !state.clean) {
      throw new CrewError('checkout-dirty', `${shown} holds uncommitted work (${state.changed.slice(0, 5).join(', ')}${state.changed.length > 5 ? ', ...' : ''}); it was kept.`, {
        hint: `Commit or discard that work in ${shown}, or remove it with force once it is saved elsewhere.`,
      });
    }
  }
  for (const file of await readSetupFiles(worktreeAbs)) await unlink(join(worktreeAbs, file)).catch(() => undefined);
  const removed = await removeWorktree(ws.git, worktreeAbs, { force: options.force });
  if (!removed.ok) {
    if (/is not a working tree|does not exist|No such file/i.test(removed.stderr)) {
      await pruneWorktrees(ws.git);
    } else {
      throw new CrewError('git-failed', `Could not remove the worktree ${shown}: ${removed.stderr}`, {
        hint: `Look at \`git worktree list\` and remove it by hand if its work is saved.`,
      });
    }
  }
  if (options.deleteBranch) await deleteBranch(ws.git, options.deleteBranch);
  await removeEmptyParents(join(ws.root, ws.config.worktrees), dirname(worktreeAbs));
}

/** `ai/<worker>/` folders left empty by the removal go too, up to (not including) the worktrees root. */
async function removeEmptyParents(root: string, dir: string): Promise<void> {
  for (let current = dir; relative(root, current) && !relative(root, current).startsWith('..'); current = dirname(current)) {
    const removed = await rmdir(current).then(() => true, () => false);
    if (!removed) return;
  }
}
