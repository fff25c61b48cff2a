import { parseBacklog, type Backlog } from '../backlog/backlog.js';
import { listTree, readBlobs } from '../git/objects.js';
import type { Git } from '../git/git.js';

export interface StateSnapshot {
  /** The base commit this state was read from. */
  commit: string;
  backlog: Backlog;
  taskLog: string;
  backlogDir: string;
}

export function taskLogPath(backlogDir: string): string {
  return `${backlogDir}/task.log`;
}

export function indexPath(backlogDir: string): string {
  return `${backlogDir}/backlog.md`;
}

export function isTaskFile(path: string, backlogDir: string): boolean {
  const prefix = `${backlogDir}/tasks/`;
  return path.startsWith(prefix) && path.endsWith('.md') && !path.slice(prefix.length).includes('/');
}

/** The backlog as it is in one commit of the base branch: the shared state. */
export async function readSnapshot(git: Git, commit: string, backlogDir: string): Promise<StateSnapshot> {
  const entries = (await listTree(git, commit, backlogDir)).filter((entry) => entry.type === 'blob');
  const taskEntries = entries.filter((entry) => isTaskFile(entry.path, backlogDir));
  const logEntry = entries.find((entry) => entry.path === taskLogPath(backlogDir));
  const blobs = await readBlobs(git, [...new Set([...taskEntries.map((e) => e.oid), ...(logEntry ? [logEntry.oid] : [])])]);
  const backlog = parseBacklog(taskEntries.map((entry) => ({ path: entry.path, text: blobs.get(entry.oid) ?? '' })));
  return { commit, backlog, taskLog: logEntry ? (blobs.get(logEntry.oid) ?? '') : '', backlogDir };
}
