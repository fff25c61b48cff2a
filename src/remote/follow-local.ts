import { isAncestor } from '../git/history.js';
import { readBranchCommit } from '../git/read-ref.js';
import { checkoutsOf } from '../state/checkout.js';
import { moveBase } from '../state/move-base.js';
import { baseRefName, type Workspace } from '../workspace.js';

export type Followed = 'moved' | 'same' | 'diverged' | 'absent' | 'dirty';

/**
 * After the remote's base moved to `next`, brings this clone's base branch (and checkouts of
 * it, like git's `updateInstead`) along when that is a fast-forward. A branch that diverged
 * from the remote, or a checkout whose uncommitted changes would be overwritten, stays as it
 * is: the remote is the state, this branch is only the user's copy of it.
 */
export async function followLocalBase(ws: Workspace, next: string, parent?: string): Promise<Followed> {
  const ref = baseRefName(ws.config);
  const local = await readBranchCommit(ws.git, ws.commonDir, ref);
  if (!local) return 'absent';
  if (local === next) return 'same';
  // NOTE: `parent` is the commit `next` was built on (a won push): no ancestry walk needed then.
  if (local !== parent && !(await isAncestor(ws.git, local, next))) return 'diverged';
  try {
    const moved = await moveBase(ws, ref, next, local, `follow ${ws.config.remote ?? 'remote'}`, await checkoutsOf(ws.git, ref));
    return moved ? 'moved' : 'diverged';
  } catch {
    return 'dirty';
  }
}
