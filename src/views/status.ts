import { paint } from '../terminal/paint.js';
import type { QueueView } from './queue.js';
import type { StatusModel, WorkerView } from './status-model.js';
import { renderTable } from './table.js';
import { formatElapsed } from '../terminal/duration-text.js';
import { formatUtc, millisecondsBetween } from './time-text.js';
import { phaseLabel } from '../worker/events.js';

function section(color: boolean, title: string, count: number | undefined, body: string[], empty = 'none'): string[] {
  const heading = paint(color, 'bold', count === undefined ? title : `${title} (${count})`);
  return [heading, ...(body.length > 0 ? body : [`  ${empty}`])];
}

function workerNote(worker: WorkerView, color: boolean): string {
  if (worker.alive === false) return paint(color, 'red', 'process gone');
  return worker.alive === null ? 'on another host' : '';
}

function renderWorkers(model: StatusModel, color: boolean): string[] {
  if (model.workers.length === 0) return [];
  return renderTable(
    ['WORKER', 'TASK', 'PHASE', 'ELAPSED', 'ATTEMPT', 'PID', 'HOST', ''],
    model.workers.map((worker) => [
      worker.worker,
      worker.task ?? '-',
      phaseLabel(worker),
      formatElapsed(worker.elapsedMs),
      worker.attempt === null ? '-' : String(worker.attempt),
      String(worker.pid),
      worker.host,
      workerNote(worker, color),
    ]),
  );
}

function renderLocks(model: StatusModel): string[] {
  if (model.locks.length === 0) return [];
  const now = new Date(model.now);
  return renderTable(
    ['TASK', 'STATUS', 'WORKER', 'SINCE', 'PID', 'HOST', 'BRANCH'],
    model.locks.map((lock) => [
      lock.task,
      lock.status,
      lock.worker,
      `${formatUtc(lock.since)} (${formatElapsed(millisecondsBetween(lock.since, now))} ago)`,
      String(lock.pid),
      lock.host,
      lock.branch,
    ]),
  );
}

export function renderQueue(queue: QueueView): string[] {
  const lines: string[] = [];
  if (queue.runner) {
    const where = queue.runner.pid === null ? '' : ` (pid ${queue.runner.pid}${queue.runner.host ? ` on ${queue.runner.host}` : ''})`;
    const gating = queue.runner.gating.length > 0 ? `, gating ${queue.runner.gating.join(' ')}` : '';
    const gone = queue.runner.alive === false ? ' (process gone)' : '';
    lines.push(`  running: ${queue.runner.worker}${where}${queue.runner.since ? ` since ${formatUtc(queue.runner.since)}` : ''}${gating}${gone}`);
  }
  for (const entry of queue.waiting) {
    lines.push(`  waiting: ${entry.task}${entry.branch ? ` ${entry.branch}` : ''}${entry.worker ? ` (${entry.worker})` : ''}`);
  }
  for (const entry of queue.recent) {
    lines.push(`  ${entry.outcome}: ${entry.task}${entry.at ? ` at ${formatUtc(entry.at)}` : ''}${entry.detail ? ` (${entry.detail})` : ''}`);
  }
  return lines;
}

function worktreeState(clean: boolean | null, changed: string[], color: boolean): string {
  if (clean === null) return paint(color, 'red', 'folder missing');
  if (clean) return 'clean';
  const shown = changed.slice(0, 3).join(', ') + (changed.length > 3 ? ', ...' : '');
  return paint(color, 'yellow', `${changed.length} changed (${shown})`);
}

function renderWorktrees(model: StatusModel, color: boolean): string[] {
  if (model.worktrees.length === 0) return [];
  return renderTable(
    ['PATH', 'BRANCH', 'TASK', 'STATE'],
    model.worktrees.map((worktree) => [worktree.path, worktree.branch ?? '(detached)', worktree.task ?? '-', worktreeState(worktree.clean, worktree.changed, color)]),
  );
}

function renderStale(model: StatusModel): string[] {
  return model.stale.map((entry) => `  ${entry.task} (${entry.worker}): ${entry.reason}; \`crew sweep\` would release it`);
}

/** `crew status`: workers, locks, the merge queue, task worktrees and stale locks. */
export function renderStatus(model: StatusModel, options: { color: boolean }): string {
  const { color } = options;
  const lines = [
    `${model.base} at ${model.commit.slice(0, 8)} · ${formatUtc(model.now)}`,
    '',
    ...section(color, 'Workers', model.workers.length, renderWorkers(model, color)),
    '',
    ...section(color, 'Locks', model.locks.length, renderLocks(model)),
    '',
    ...section(color, 'Merge queue', undefined, renderQueue(model.queue), 'empty'),
    '',
    ...section(color, 'Worktrees', model.worktrees.length, renderWorktrees(model, color)),
    '',
    ...section(color, 'Stale locks', model.stale.length, renderStale(model)),
  ];
  return lines.join('\n');
}
