// Git by intent for history: ancestry, the commits of a branch and of the base's first-parent
// line, and what a branch changed.
import type { Git } from './git.js';
import type { CommitAuthor } from './objects.js';

/** How two commits relate: `unknown` when git does not know one of them. */
export type Ancestry = 'ancestor' | 'not-ancestor' | 'unknown';

/**
 * Whether `commit` is `of` or in its history. `strict`: an unknown commit is git's error
 * (thrown), not `unknown`.
 */
export async function ancestry(git: Git, commit: string, of: string, options: { strict?: boolean } = {}): Promise<Ancestry> {
  const result = await git.run(['merge-base', '--is-ancestor', commit, of], { okExitCodes: options.strict ? [0, 1] : [0, 1, 128] });
  return result.exitCode === 0 ? 'ancestor' : result.exitCode === 1 ? 'not-ancestor' : 'unknown';
}

/** Whether `commit` is `of` or in its history (false for an unknown commit, unless `strict`). */
export async function isAncestor(git: Git, commit: string, of: string, options: { strict?: boolean } = {}): Promise<boolean> {
  return (await ancestry(git, commit, of, options)) === 'ancestor';
}

/** The newest `limit` commits of `tip`'s first-parent line, newest first, with their parents. */
export async function firstParentParents(git: Git, tip: string, limit: number): Promise<{ commit: string; parents: string[] }[]> {
  const log = (await git.run(['log', '--first-parent', '--format=%H %P', '-n', String(limit), tip])).stdout;
  return log
    .split('\n')
    .map((line) => line.split(' '))
    .filter(([commit]) => Boolean(commit))
    .map(([commit = '', ...parents]) => ({ commit, parents }));
}

/** The newest `limit` commits of `tip`'s first-parent line, newest first, with their messages. */
export async function firstParentMessages(git: Git, tip: string, limit: number): Promise<{ commit: string; message: string }[]> {
  const log = (await git.run(['log', '--first-parent', '--format=%H%x00%B%x1e', '-n', String(limit), tip])).stdout;
  return log.split('\x1e').map((record) => {
    const [commit = '', message = ''] = record.replace(/^\n/, '').split('\0');
    return { commit, message };
  });
}

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

/** Files the branch at `tip` changed since it left `base` (`git diff base...tip`). */
export async function filesChangedOnBranch(git: Git, base: string, tip: string): Promise<string[]> {
  return (await git.run(['diff', '--name-only', '-z', `${base}...${tip}`])).stdout.split('\0').filter(Boolean);
}

/** How many commits `head` has that `base` does not; 0 when either is unknown. */
export async function countCommitsAhead(git: Git, base: string, head: string): Promise<number> {
  const result = await git.run(['rev-list', '--count', `${base}..${head}`], { okExitCodes: [0, 128] });
  return result.exitCode === 0 ? Number(result.stdout.trim()) || 0 : 0;
}

/** `git log --graph --oneline` of the newest `count` commits of `ref`, for a person to read. */
export async function historyGraph(git: Git, ref: string, count: number): Promise<string> {
  return (await git.run(['log', '--graph', '--oneline', '-n', String(count), ref])).stdout;
}
