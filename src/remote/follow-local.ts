import { isAncestor } from '../git/history.js';
import { resolveCommit } from '../git/objects.js';
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
export async function followLocalBase(ws: Workspace, next: string): Promise<Followed> {
  const ref = baseRefName(ws.config);
  const local = await resolveCommit(ws.git, ref);
  if (!local) return 'absent';
  if (local === next) return 'same';
  if (!(await isAncestor(ws.git, local, next))) return 'diverged';
  try {
    const moved = await moveBase(ws, ref, next, local, `follow ${ws.config.remote ?? 'remote'}`, await checkoutsOf(ws.git, ref));
    return moved ? 'moved' : 'diverged';
  } catch {
    return 'dirty';
  }
}
