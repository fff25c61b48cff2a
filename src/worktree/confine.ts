import { isAbsolute, relative, resolve } from 'node:path';
import { CrewError } from '../errors.js';

/**
 * Whether git would accept `name` as a branch (the rules of `git check-ref-format --branch`),
 * decided without a process so a bad name is refused before anything is created.
 */
export function isValidBranchName(name: string): boolean {
  if (name === '' || name === '@' || name.startsWith('-') || name.startsWith('/') || name.endsWith('/') || name.endsWith('.')) return false;
  if (/[\u0000-\u0020\u007f~^:?*[\\]/.test(name) || name.includes('..') || name.includes('@{') || name.includes('//')) return false;
  return name.split('/').every((part) => part !== '' && !part.startsWith('.') && !part.endsWith('.lock'));
}

/**
 * The absolute path of a task worktree, which must lie strictly inside `<root>/<worktrees>/`:
 * a branch or path built from task text can never point a worktree anywhere else.
 */
export function confinedWorktreePath(root: string, worktreesFolder: string, path: string): string {
  const folder = resolve(root, worktreesFolder);
  const absolute = resolve(root, path);
  const inside = relative(folder, absolute);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    throw new CrewError('usage', `Refusing the worktree path ${path}: it is not inside ${worktreesFolder}/.`, {
      hint: `Task worktrees live under ${worktreesFolder}/ (the config's \`worktrees\`); check the branch pattern and the task id.`,
    });
  }
  return absolute;
}

export function assertValidBranchName(branch: string): void {
  if (!isValidBranchName(branch)) {
    throw new CrewError('usage', `Refusing the branch name ${JSON.stringify(branch)}: git does not accept it as a branch.`, {
      hint: 'Branch names come from the config `branch` pattern; use letters, digits, -, _, . and / (no .., no spaces).',
    });
  }
}
