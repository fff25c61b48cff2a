// Git by intent for task worktrees: adding, listing and removing them, and reading or
// committing what is in one. Every call is an argument array; paths go as literal pathspecs.
import type { Git } from './git.js';
import { parseStatus, parseWorktreeList, type StatusEntry, type WorktreeInfo } from './parse.js';

/** Paths are data, never globs or pathspec magic. */
const LITERAL = { GIT_LITERAL_PATHSPECS: '1' };

export async function listWorktrees(git: Git): Promise<WorktreeInfo[]> {
  return parseWorktreeList((await git.run(['worktree', 'list', '--porcelain', '-z'])).stdout);
}

/** `git worktree add -b <branch> <path> <from>`; the result says why it failed, if it did. */
export async function createWorktree(git: Git, branch: string, path: string, from: string): Promise<{ ok: boolean; stderr: string }> {
  const result = await git.run(['worktree', 'add', '--quiet', '-b', branch, path, from], { okExitCodes: [0, 128, 255] });
  return { ok: result.exitCode === 0, stderr: result.stderr.trim() };
}

/** `git worktree add <path> <branch>`: checks out a branch that already exists. */
export async function addWorktreeForBranch(git: Git, path: string, branch: string): Promise<void> {
  await git.run(['worktree', 'add', '--quiet', path, branch]);
}

/** `git worktree add --detach <path> <commit>`: a checkout of the commit on no branch. */
export async function addDetachedWorktree(git: Git, path: string, commit: string): Promise<void> {
  await git.run(['worktree', 'add', '--detach', '--quiet', path, commit]);
}

export async function removeWorktree(git: Git, path: string, options: { force?: boolean } = {}): Promise<{ ok: boolean; stderr: string }> {
  const args = ['worktree', 'remove', ...(options.force ? ['--force'] : []), path];
  const result = await git.run(args, { okExitCodes: [0, 128, 255] });
  return { ok: result.exitCode === 0, stderr: result.stderr.trim() };
}

/** Forgets worktrees whose folder is gone. */
export async function pruneWorktrees(git: Git): Promise<void> {
  await git.run(['worktree', 'prune']);
}

export async function branchExists(git: Git, branch: string): Promise<boolean> {
  const result = await git.run(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`], { okExitCodes: [0, 1] });
  return result.exitCode === 0;
}

/**
 * Deletes a branch whatever it holds: the caller decides it is no longer needed. A failure
 * (no such branch, checked out somewhere) throws, unless `bestEffort`.
 */
export async function deleteBranch(git: Git, branch: string, options: { bestEffort?: boolean } = {}): Promise<void> {
  await git.run(['branch', '-D', '--', branch], options.bestEffort ? { okExitCodes: [0, 1] } : {});
}

/** Every changed, deleted and untracked (not ignored) file of the worktree at `worktree.cwd`. */
export async function worktreeStatus(worktree: Git): Promise<StatusEntry[]> {
  const result = await worktree.run(['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames', '--ignore-submodules=dirty']);
  return parseStatus(result.stdout);
}

/** Files that differ between `from` and the working tree (commits and uncommitted), plus untracked files. */
export async function changedSinceCommit(worktree: Git, from: string): Promise<string[]> {
  const [diff, others] = await Promise.all([
    worktree.run(['diff', '--name-only', '-z', '--no-renames', from, '--']),
    worktree.run(['ls-files', '-z', '--others', '--exclude-standard']),
  ]);
  return [...diff.stdout.split('\0'), ...others.stdout.split('\0')].filter(Boolean);
}

/** Which of `paths` are in the index. */
export async function trackedPaths(worktree: Git, paths: readonly string[]): Promise<string[]> {
  if (paths.length === 0) return [];
  // NOTE: ls-files takes no --pathspec-from-file; setup files are few, so arguments it is.
  const result = await worktree.run(['ls-files', '-z', '--cached', '--', ...paths], { env: LITERAL });
  return result.stdout.split('\0').filter(Boolean);
}

/** Takes paths out of the index and leaves the files on disk. */
export async function unstagePaths(worktree: Git, paths: readonly string[]): Promise<void> {
  if (paths.length === 0) return;
  await worktree.run(['rm', '--cached', '-q', '-r', '--ignore-unmatch', '--pathspec-from-file=-', '--pathspec-file-nul'], {
    input: paths.join('\0'),
    env: LITERAL,
  });
}

/** Stages these paths as they are on disk: new, changed or deleted. */
export async function stagePaths(worktree: Git, paths: readonly string[]): Promise<void> {
  if (paths.length === 0) return;
  await worktree.run(['add', '-A', '--pathspec-from-file=-', '--pathspec-file-nul'], { input: paths.join('\0'), env: LITERAL });
}

/**
 * Commits the index. `--no-verify`: the gate is where checks run, and a hook that rewrites
 * files would change work that the gate already passed.
 */
export async function commitIndex(worktree: Git, message: string, identity: readonly string[]): Promise<string> {
  await worktree.run([...identity, 'commit', '--quiet', '--no-verify', '-F', '-'], { input: message });
  return worktree.text(['rev-parse', 'HEAD']);
}

/**
 * Stages and commits exactly `paths` on the branch checked out; whatever else is staged stays
 * staged and out of the commit. Returns the new commit.
 */
export async function commitPaths(worktree: Git, paths: readonly string[], message: string): Promise<string> {
  await worktree.run(['add', '--', ...paths]);
  // NOTE: `--only` with paths commits those paths alone, whatever else is staged.
  await worktree.run(['commit', '--quiet', '--only', '-m', message, '--', ...paths]);
  return headCommit(worktree);
}

/** The absolute path of the checkout at `cwd`'s index.lock (each linked worktree has its own). */
export async function indexLockPath(git: Git, cwd: string): Promise<string> {
  return git.text(['rev-parse', '--path-format=absolute', '--git-path', 'index.lock'], { cwd });
}

export async function headCommit(worktree: Git): Promise<string> {
  return worktree.text(['rev-parse', 'HEAD']);
}

/** Where `head` forked from the base branch: the start of a task branch's own work. */
export async function forkPoint(git: Git, head: string, base: string): Promise<string> {
  return git.text(['merge-base', head, `refs/heads/${base}`]);
}
