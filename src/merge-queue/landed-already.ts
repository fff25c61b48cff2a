import type { Git } from '../git/git.js';

/**
 * The landing commit that brought `tip` onto `base` (a first-parent commit with the tip as a
 * later parent), or undefined when the tip is not on the base. Used after a crash between
 * landing and settling, so an entry already landed is settled, never landed twice.
 */
export async function findLanding(git: Git, base: string, tip: string): Promise<string | undefined> {
  const ancestor = await git.run(['merge-base', '--is-ancestor', tip, base], { okExitCodes: [0, 1] });
  if (ancestor.exitCode !== 0) return undefined;
  const log = (await git.run(['log', '--first-parent', '--format=%H %P', '-n', '2000', base])).stdout;
  for (const line of log.split('\n')) {
    const [commit, , ...merged] = line.split(' ');
    if (commit && merged.includes(tip)) return commit;
  }
  return base;
}
