// The task log's layout: `backlog/task.log` holds the recent lines; once it would pass
// LOG_PART_LIMIT, its lines move, unchanged, to `backlog/log/<time>.log` and task.log starts
// again. NOTE: so a state commit writes at most one small task.log (and, once in a while, one
// archived part whose blob is the old task.log's, already stored): its cost never grows with
// history. Archived parts are never rewritten; `crew log` reads them in name order, then task.log.
import { appendTaskEvents, type TaskEvent } from './events.js';

export const LOG_PART_LIMIT = 32 * 1024;

export function taskLogPath(backlogDir: string): string {
  return `${backlogDir}/task.log`;
}

export function logArchiveDir(backlogDir: string): string {
  return `${backlogDir}/log`;
}

/** `backlog/log/2026-11-27-163005-123.log`: names sort in time order. */
export function archivePartPath(backlogDir: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/^(\d{4})(\d{2})(\d{2})T(\d{6})\.(\d{3})Z$/, '$1-$2-$3-$4-$5');
  return `${logArchiveDir(backlogDir)}/${stamp}.log`;
}

export function isArchivePart(path: string, backlogDir: string): boolean {
  const prefix = `${logArchiveDir(backlogDir)}/`;
  return path.startsWith(prefix) && path.endsWith('.log') && !path.slice(prefix.length).includes('/');
}

/** The log files a commit that logs `events` writes, given task.log's current text. */
export function logFilesAfter(backlogDir: string, current: string, events: readonly TaskEvent[], now: Date): Map<string, string> {
  const appended = appendTaskEvents(current, events);
  if (current === '' || Buffer.byteLength(appended) <= LOG_PART_LIMIT) return new Map([[taskLogPath(backlogDir), appended]]);
  const archived = current.endsWith('\n') ? current : `${current}\n`;
  return new Map([
    [archivePartPath(backlogDir, now), archived],
    [taskLogPath(backlogDir), appendTaskEvents('', events)],
  ]);
}
