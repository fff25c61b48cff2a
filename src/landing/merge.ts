import { createCommit } from '../git/objects.js';
import type { Git } from '../git/git.js';

export type MergeResult = { kind: 'merged'; commit: string } | { kind: 'conflict'; tip: string; files: string[] };

/**
 * The merge of `tips` onto `base`, built with `git merge-tree --write-tree` so no checkout is
 * touched. Several tips merge one after another; the result's first parent is `base`.
 */
export async function mergeOnto(git: Git, base: string, tips: readonly string[], message: string): Promise<MergeResult> {
  let current = base;
  let tree = '';
  for (const tip of tips) {
    const result = await git.run(['merge-tree', '--write-tree', '--name-only', '--no-messages', current, tip], { okExitCodes: [0, 1] });
    const [first = '', ...rest] = result.stdout.trim().split('\n');
    if (result.exitCode === 1) return { kind: 'conflict', tip, files: rest.filter(Boolean) };
    tree = first;
    if (tip !== tips[tips.length - 1]) current = await createCommit(git, tree, [current, tip], `merge ${tip.slice(0, 8)}`);
  }
  if (tips.length === 0) return { kind: 'merged', commit: base };
  return { kind: 'merged', commit: await createCommit(git, tree, [base, ...tips], message) };
}

/** Whether two commits have the same files outside `dir` (a gate result carries over). */
export async function sameCodeOutside(git: Git, a: string, b: string, dir: string): Promise<boolean> {
  const result = await git.run(['diff-tree', '--quiet', '-r', a, b, '--', '.', `:(exclude)${dir}`], { okExitCodes: [0, 1] });
  return result.exitCode === 0;
}
