import type { WorktreeInfo } from '../git/parse.js';
import { resolveCommit } from '../git/objects.js';
import { checkoutsOf, moveCheckout } from '../state/checkout.js';
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
  const ancestor = await ws.git.run(['merge-base', '--is-ancestor', local, next], { okExitCodes: [0, 1, 128] });
  if (ancestor.exitCode !== 0) return 'diverged';
  const moved: WorktreeInfo[] = [];
  try {
    for (const checkout of await checkoutsOf(ws.git, ref)) {
      await moveCheckout(ws.git, checkout, local, next, ws.config.base);
      moved.push(checkout);
    }
  } catch {
    for (const checkout of moved) await moveCheckout(ws.git, checkout, next, local, ws.config.base).catch(() => undefined);
    return 'dirty';
  }
  const updated = await ws.git.run(['update-ref', '-m', `crewtree: follow ${ws.config.remote ?? 'remote'}`, ref, next, local], { okExitCodes: [0, 1, 128] });
  if (updated.exitCode === 0) return 'moved';
  for (const checkout of moved) await moveCheckout(ws.git, checkout, next, local, ws.config.base).catch(() => undefined);
  return 'diverged';
}
