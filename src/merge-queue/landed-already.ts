import type { Git } from '../git/git.js';
import type { QueueEntry } from './records.js';

/**
 * The landing commit that brought an entry's tip onto `base`, or undefined when it did not land.
 * Used after a crash between landing and settling, so an entry already landed is settled, never
 * landed twice. A merge has the tip as a later parent of a first-parent commit; a squash or
 * rebase landing leaves the tip off the base, so its `merged` line in the task log says it
 * landed, and the newest first-parent commit with its `Task:` trailer is the landing.
 */
export async function findLanding(git: Git, base: string, entry: Pick<QueueEntry, 'id' | 'tip' | 'branch'>, taskLog: string): Promise<string | undefined> {
  const ancestor = await git.run(['merge-base', '--is-ancestor', entry.tip, base], { okExitCodes: [0, 1] });
  if (ancestor.exitCode === 0) {
    const log = (await git.run(['log', '--first-parent', '--format=%H %P', '-n', '2000', base])).stdout;
    for (const line of log.split('\n')) {
      const [commit, , ...merged] = line.split(' ');
      if (commit && merged.includes(entry.tip)) return commit;
    }
    return base;
  }
  if (!taskLog.includes(` | ${entry.id} | merged | ${entry.branch} at ${entry.tip.slice(0, 8)}\n`)) return undefined;
  const log = (await git.run(['log', '--first-parent', '--format=%H%x00%B%x1e', '-n', '2000', base])).stdout;
  for (const record of log.split('\x1e')) {
    const [commit = '', message = ''] = record.replace(/^\n/, '').split('\0');
    if (message.split('\n').includes(`Task: ${entry.id}`)) return commit;
  }
  return base;
}
