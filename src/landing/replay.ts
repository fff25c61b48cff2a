import { createCommit, type CommitAuthor } from '../git/objects.js';
import type { Git } from '../git/git.js';
import { mergeTrees } from './merge.js';

export interface BranchCommit {
  commit: string;
  /** Its first parent: a replay applies the change from there to the commit. */
  parent: string;
  message: string;
  author: CommitAuthor;
}

/**
 * The commits of `tip` since it left `base`, oldest first, as `git rebase` replays them: along
 * the first-parent line, without merge commits (a merge of the base into the branch).
 */
export async function branchCommits(git: Git, base: string, tip: string): Promise<BranchCommit[]> {
  const format = '%H%x00%P%x00%an%x00%ae%x00%ad%x00%B%x1e';
  const out = (await git.run(['log', '--reverse', '--first-parent', '--no-merges', '--date=raw', `--format=${format}`, tip, `^${base}`])).stdout;
  return out
    .split('\x1e')
    .map((record) => record.replace(/^\n/, ''))
    .filter(Boolean)
    .map((record) => {
      const [commit = '', parents = '', name = '', email = '', date = '', message = ''] = record.split('\0');
      return { commit, parent: parents.split(' ')[0] ?? '', message, author: { name, email, date } };
    });
}

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
