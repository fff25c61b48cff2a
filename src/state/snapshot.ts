import type { Backlog, BacklogContext } from '../backlog/backlog.js';
import { listTree, readBlobs } from '../git/objects.js';
import type { Git } from '../git/git.js';
import { isArchivePart, logArchiveDir, taskLogPath } from '../task-log/rotation.js';
import { BacklogMemo, isTaskFile, type BacklogFile } from './backlog-memo.js';

export { isTaskFile };

export interface StateSnapshot {
  /** The base commit this state was read from. */
  commit: string;
  backlog: Backlog;
  taskLog: string;
  backlogDir: string;
  /** Every task file (read or not) with its blob id, for rebuilding the backlog after a change. */
  files: readonly BacklogFile[];
  /** How the backlog reads its files (dialect, done folders, config problems). */
  context: BacklogContext;
  /** A blob's text, for rebuilding the backlog after a change. */
  blobText: (oid: string) => string;
}

export function indexPath(backlogDir: string): string {
  return `${backlogDir}/backlog.md`;
}

/**
 * The backlog as it is in one commit of the base branch: the shared state. `memo` remembers
 * the last backlog read (see backlog-memo.ts); without one, every file is read.
 */
export async function readSnapshot(git: Git, commit: string, backlogDir: string, memo = new BacklogMemo()): Promise<StateSnapshot> {
  const read = await memo.read(git, commit, backlogDir);
  return { commit, backlog: read.backlog, taskLog: read.taskLog, backlogDir, files: read.files, context: read.context, blobText: (oid) => memo.blobText(git, oid) };
}

/** The whole task log at `commit`: the archived parts in name order, then task.log. */
export async function readWholeLog(git: Git, commit: string, backlogDir: string): Promise<string> {
  const listed = (await listTree(git, commit, [logArchiveDir(backlogDir), taskLogPath(backlogDir)])).filter((entry) => entry.type === 'blob');
  const entries = listed.filter((entry) => isArchivePart(entry.path, backlogDir));
  const log = listed.find((entry) => entry.path === taskLogPath(backlogDir));
  const parts = [...entries.sort((a, b) => (a.path < b.path ? -1 : 1)), ...(log ? [log] : [])];
  const blobs = await readBlobs(git, parts.map((part) => part.oid));
  return parts.map((part) => {
    const text = blobs.get(part.oid) ?? '';
    return text === '' || text.endsWith('\n') ? text : `${text}\n`;
  }).join('');
}
