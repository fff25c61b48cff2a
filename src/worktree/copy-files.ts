// Globbing through tinyglobby: chosen for its small size and picomatch-compatible patterns
// (the same matcher the gate's path check uses).
import { glob } from 'tinyglobby';

/**
 * Files of the user's checkout that match `setup.copy` (dot files included), never from
 * `.git/` or from the excluded folders (the worktrees themselves, linked folders).
 */
export async function findCopyFiles(root: string, patterns: readonly string[], excludedFolders: readonly string[]): Promise<string[]> {
  if (patterns.length === 0) return [];
  const ignore = ['**/.git/**', '.git', ...excludedFolders.map((folder) => `${folder.replace(/\/+$/, '')}/**`)];
  const files = await glob([...patterns], {
    cwd: root,
    dot: true,
    onlyFiles: true,
    expandDirectories: false,
    followSymbolicLinks: false,
    ignore,
  });
  return files.sort();
}
