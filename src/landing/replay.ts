import type { BranchCommit } from '../git/history.js';
import { createCommit } from '../git/objects.js';
import type { Git } from '../git/git.js';
import { mergeTrees } from '../git/merge.js';

export type PickResult = { clean: true; tree: string } | { clean: false; files: string[] };

/**
 * The tree of `onto` with `picked`'s own change applied, like `git cherry-pick` but with no
 * checkout: `git merge-tree` of `onto` and the commit over a merge base that is the commit's
 * parent. NOTE: git 2.38 and 2.39 have no `merge-tree --merge-base`, so both sides are put on
 * a parentless copy of that parent; the three commits are unreferenced objects.
 */
export async function pickOnto(git: Git, onto: string, picked: Pick<BranchCommit, 'commit' | 'parent'>): Promise<PickResult> {
  const parent = await createCommit(git, `${picked.parent}^{tree}`, [], 'replay: parent');
  const theirs = await createCommit(git, `${picked.commit}^{tree}`, [parent], 'replay: commit');
  const ours = await createCommit(git, `${onto}^{tree}`, [parent], 'replay: onto');
  return mergeTrees(git, ours, theirs);
}
