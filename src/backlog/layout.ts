// Where a backlog keeps its files. Backlog.md moves finished tasks to `completed/` (`backlog task
// complete`) and retired ones to `archive/tasks/` (`backlog task archive`); both count as done.
import { configPath, detectDialect } from './dialect.js';
import type { BacklogContext } from './backlog.js';
import type { Problem } from '../errors.js';

const doneFolders = ['completed', 'archive/tasks'];

/**
 * The id of a finished task from its file name: Backlog.md names files `task-12.1 - Title.md`,
 * crewtree `A32-title.md`. NOTE: read from the name, not the file, so that hundreds of finished
 * tasks cost nothing to read; the `id` a hand-renamed file declares is not consulted.
 */
export function idFromFileName(name: string): string {
  const stem = name.replace(/\.md$/i, '');
  const spaced = stem.indexOf(' - ');
  if (spaced > 0) return stem.slice(0, spaced).trim();
  return /^[A-Za-z][A-Za-z_]*-?\d+(?:\.\d+)*/.exec(stem)?.[0] ?? stem;
}

/** Whether `path` is a finished task file (in `completed/` or `archive/tasks/`). */
function isDoneTaskFile(path: string, backlogDir: string): boolean {
  return doneFolders.some((folder) => {
    const prefix = `${backlogDir}/${folder}/`;
    return path.startsWith(prefix) && path.endsWith('.md') && !path.slice(prefix.length).includes('/');
  });
}

/** How to read the task files of a backlog, from its config and the paths in its folder. */
export function backlogContext(
  backlogDir: string,
  paths: readonly string[],
  configText: string | undefined,
): Required<BacklogContext> & { problems: Problem[] } {
  const { dialect, problems } = detectDialect(configText, configPath(backlogDir));
  const doneIds = new Map<string, string>();
  for (const path of paths) {
    if (isDoneTaskFile(path, backlogDir)) doneIds.set(idFromFileName(path.slice(path.lastIndexOf('/') + 1)).toLowerCase(), path);
  }
  return { dialect, doneIds, problems };
}
