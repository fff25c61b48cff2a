import { readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';

// NOTE: git reads `info/exclude` only from the common git directory, never per worktree, and
// a `node_modules/` ignore line does not match a symlink. So the files setup put in a worktree
// are recorded in the worktree's own git directory, and every step that reads the worktree's
// changes leaves them out.
const RECORD = 'crewtree-setup-files.json';

/** The private git directory of a linked worktree, read from its `.git` file without a process. */
export async function worktreeGitDir(worktreeAbs: string): Promise<string | undefined> {
  try {
    const text = await readFile(join(worktreeAbs, '.git'), 'utf8');
    const match = /^gitdir: (.+)$/m.exec(text);
    if (!match?.[1]) return undefined;
    const dir = match[1].trim();
    return isAbsolute(dir) ? dir : resolve(worktreeAbs, dir);
  } catch {
    return undefined;
  }
}

export async function readSetupFiles(worktreeAbs: string): Promise<string[]> {
  const dir = await worktreeGitDir(worktreeAbs);
  if (!dir) return [];
  try {
    const value: unknown = JSON.parse(await readFile(join(dir, RECORD), 'utf8'));
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  } catch {
    return [];
  }
}

export async function writeSetupFiles(worktreeAbs: string, paths: readonly string[]): Promise<void> {
  const dir = await worktreeGitDir(worktreeAbs);
  if (!dir) return;
  await writeFile(join(dir, RECORD), JSON.stringify([...paths].sort(), null, 1) + '\n');
}

/** Whether `path` is one of the setup files or lies inside one of them (a linked folder). */
export function isSetupPath(path: string, setupFiles: readonly string[]): boolean {
  return setupFiles.some((file) => path === file || path.startsWith(`${file}/`));
}

export function withoutSetupFiles(paths: readonly string[], setupFiles: readonly string[]): string[] {
  return setupFiles.length === 0 ? [...paths] : paths.filter((path) => !isSetupPath(path, setupFiles));
}
