// Setting up a new repository (the demo's ClubHub): init, its own settings, a commit of all.
import { Git } from './git.js';

/** `git init` in `dir` (which must exist) with `branch` checked out; the repository's Git. */
export async function initRepository(dir: string, branch: string): Promise<Git> {
  const git = new Git(dir);
  await git.run(['init', '-q', '-b', branch]);
  return git;
}

/** A setting as git sees it here (repository, user or system), or undefined when none is set. */
export async function configValue(git: Git, key: string): Promise<string | undefined> {
  const result = await git.run(['config', key], { okExitCodes: [0, 1] });
  return result.stdout.trim() || undefined;
}

/** Sets a setting in this repository's own config. */
export async function setConfig(git: Git, key: string, value: string): Promise<void> {
  await git.run(['config', key, value]);
}

/** Stages everything (new, changed, deleted; not ignored) and commits it on the branch checked out. */
export async function commitAll(git: Git, message: string): Promise<void> {
  await git.run(['add', '-A']);
  await git.run(['commit', '-q', '-m', message]);
}
