import type { Git } from '../git/git.js';
import { firstParentMessages, firstParentParents, isAncestor } from '../git/history.js';
import type { QueueEntry } from './records.js';

/**
 * The landing commit that brought an entry's tip onto `base`, or undefined when it did not land.
 * Used after a crash between landing and settling, so an entry already landed is settled, never
 * landed twice. A merge has the tip as a later parent of a first-parent commit; a squash or
 * rebase landing leaves the tip off the base, so its `merged` line in the task log says it
 * landed, and the newest first-parent commit with its `Task:` trailer is the landing.
 */
export async function findLanding(git: Git, base: string, entry: Pick<QueueEntry, 'id' | 'tip' | 'branch'>, taskLog: string): Promise<string | undefined> {
  if (await isAncestor(git, entry.tip, base, { strict: true })) {
    for (const { commit, parents } of await firstParentParents(git, base, 2000)) if (parents.slice(1).includes(entry.tip)) return commit;
    return base;
  }
  if (!taskLog.includes(` | ${entry.id} | merged | ${entry.branch} at ${entry.tip.slice(0, 8)}\n`)) return undefined;
  for (const { commit, message } of await firstParentMessages(git, base, 2000)) if (message.split('\n').includes(`Task: ${entry.id}`)) return commit;
  return base;
}
