import { createCommit } from '../git/objects.js';
import type { Git } from '../git/git.js';

export type MergeResult = { kind: 'merged'; commit: string } | { kind: 'conflict'; tip: string; files: string[] };

export type TreeMerge = { clean: true; tree: string } | { clean: false; files: string[] };

/** The tree of merging commit `theirs` into commit `ours` (`git merge-tree --write-tree`), no checkout touched. */
export async function mergeTrees(git: Git, ours: string, theirs: string): Promise<TreeMerge> {
  const result = await git.run(['merge-tree', '--write-tree', '--name-only', '--no-messages', ours, theirs], { okExitCodes: [0, 1] });
  const [tree = '', ...rest] = result.stdout.trim().split('\n');
  return result.exitCode === 1 ? { clean: false, files: rest.filter(Boolean) } : { clean: true, tree };
}

/**
 * The merge of `tips` onto `base`, built with `git merge-tree --write-tree` so no checkout is
 * touched. Several tips merge one after another; the result's first parent is `base`.
 */
export async function mergeOnto(git: Git, base: string, tips: readonly string[], message: string): Promise<MergeResult> {
  let current = base;
  let tree = '';
  for (const tip of tips) {
    const merge = await mergeTrees(git, current, tip);
    if (!merge.clean) return { kind: 'conflict', tip, files: merge.files };
    tree = merge.tree;
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
