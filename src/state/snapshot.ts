import { parseBacklog, type Backlog, type ParseTaskFile, type TaskFileText } from '../backlog/backlog.js';
import { configPath } from '../backlog/dialect.js';
import { backlogContext } from '../backlog/layout.js';
import { parseTask, type ParsedTask } from '../backlog/parse-task.js';
import { listTree, readBlobs } from '../git/objects.js';
import type { Git } from '../git/git.js';
import { isArchivePart, logArchiveDir, taskLogPath } from '../task-log/rotation.js';

export interface StateSnapshot {
  /** The base commit this state was read from. */
  commit: string;
  backlog: Backlog;
  taskLog: string;
  backlogDir: string;
  /** Every task file's text (parsed or not) and blob id, for rebuilding the backlog after a change. */
  files: TaskFileText[];
}

export function indexPath(backlogDir: string): string {
  return `${backlogDir}/backlog.md`;
}

export function isTaskFile(path: string, backlogDir: string): boolean {
  const prefix = `${backlogDir}/tasks/`;
  return path.startsWith(prefix) && path.endsWith('.md') && !path.slice(prefix.length).includes('/');
}

/**
 * Blobs and parsed task files seen before. A state change reads the base more than once (before
 * and inside the local lock, again after a lost swap); with this, each read only fetches and
 * parses the files that changed since the last one.
 */
export class SnapshotCache {
  private readonly blobs = new Map<string, string>();
  private readonly parsed = new Map<string, ParsedTask>();

  async readBlobs(git: Git, oids: readonly string[]): Promise<Map<string, string>> {
    const missing = [...new Set(oids)].filter((oid) => !this.blobs.has(oid));
    for (const [oid, text] of await readBlobs(git, missing)) this.blobs.set(oid, text);
    return this.blobs;
  }

  /** Forgets everything but these files, so a long-running worker's cache stays the backlog's size. */
  keepOnly(files: readonly { path: string; oid: string }[], logOid: string | undefined): void {
    const oids = new Set([...files.map((file) => file.oid), ...(logOid ? [logOid] : [])]);
    const keys = new Set(files.map((file) => `${file.oid}\0${file.path}`));
    for (const oid of this.blobs.keys()) if (!oids.has(oid)) this.blobs.delete(oid);
    for (const key of this.parsed.keys()) if (!keys.has(key)) this.parsed.delete(key);
  }

  /**
   * `parseTask`, remembered by blob id and path (a text without one, a file a change is writing,
   * by path and text); only the position in the backlog is refreshed.
   */
  readonly parse: ParseTaskFile = (path, text, order, oid) => {
    const key = oid === undefined ? `text\0${path}\0${text}` : `${oid}\0${path}`;
    let parsed = this.parsed.get(key);
    if (!parsed) {
      parsed = parseTask(path, text, order);
      this.parsed.set(key, parsed);
    }
    return parsed.task && parsed.task.order !== order ? { ...parsed, task: { ...parsed.task, order } } : parsed;
  };
}

/** The backlog as it is in one commit of the base branch: the shared state. */
export async function readSnapshot(git: Git, commit: string, backlogDir: string, cache = new SnapshotCache()): Promise<StateSnapshot> {
  const entries = (await listTree(git, commit, backlogDir)).filter((entry) => entry.type === 'blob');
  const taskEntries = entries.filter((entry) => isTaskFile(entry.path, backlogDir));
  const logEntry = entries.find((entry) => entry.path === taskLogPath(backlogDir));
  // Backlog.md's config.yml decides the dialect (issue 12); read in the same batch as the tasks.
  const configEntry = entries.find((entry) => entry.path === configPath(backlogDir));
  const extra = [logEntry, configEntry].flatMap((entry) => (entry ? [entry.oid] : []));
  const blobs = await cache.readBlobs(git, [...taskEntries.map((e) => e.oid), ...extra]);
  const files = taskEntries.map((entry) => ({ path: entry.path, oid: entry.oid, text: blobs.get(entry.oid) ?? '' }));
  const context = backlogContext(backlogDir, entries.map((entry) => entry.path), configEntry ? blobs.get(configEntry.oid) : undefined);
  const backlog = parseBacklog(files, cache.parse, context);
  const taskLog = logEntry ? (blobs.get(logEntry.oid) ?? '') : '';
  cache.keepOnly(files, logEntry?.oid);
  return { commit, backlog, taskLog, backlogDir, files };
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
