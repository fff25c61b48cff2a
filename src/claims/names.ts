import { slugify } from '../backlog/new-task.js';
import type { Config } from '../config/schema.js';

/** A worker name safe for refs and paths: letters, digits, `.`, `_`, `-`. */
export function sanitizeWorkerName(name: string): string {
  const trim = (text: string) => text.replace(/^[-.]+|[-.]+$/g, '');
  const clean = trim(name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/\.{2,}/g, '.'));
  // NOTE: trimmed again after the cut, so a name never ends in `.` (git refuses such refs).
  return trim(clean.slice(0, 40)) || 'worker';
}

/** `ai/<worker>/<ID>-<slug>` from the config's pattern, every part sanitized for git. */
export function branchName(config: Pick<Config, 'branch'>, worker: string, id: string, title: string): string {
  const name = config.branch
    .replaceAll('{worker}', sanitizeWorkerName(worker))
    .replaceAll('{id}', id.replace(/[^A-Za-z0-9_-]/g, '-'))
    .replaceAll('{slug}', slugify(title));
  return name
    .split('/')
    .map((part) =>
      part
        .replace(/[^A-Za-z0-9._-]+/g, '-')
        .replace(/\.{2,}/g, '.')
        .replace(/^\.+|\.+$/g, '')
        .replace(/\.lock$/, '-lock'),
    )
    .filter(Boolean)
    .join('/');
}

/** The worktree of a branch: `<worktrees>/<branch>`, always inside the worktrees folder. */
export function worktreePath(config: Pick<Config, 'worktrees'>, branch: string): string {
  return `${config.worktrees}/${branch}`;
}

export function heartbeatRef(taskId: string): string {
  return `refs/crewtree/heartbeats/${taskId}`;
}
