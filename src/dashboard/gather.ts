import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readSnapshot, type StateSnapshot } from '../state/snapshot.js';
import { readBase } from '../state/transaction.js';
import { readWorkerStatuses } from '../studio/status-files.js';
import { isProcessAlive } from '../process/alive.js';
import { readRunsView } from '../views/gather-log.js';
import { linesOfTask, logLines } from '../views/log.js';
import { readQueueView } from '../views/queue.js';
import { workerViews } from '../views/status-model.js';
import type { TaskRuns } from '../worker/runs.js';
import type { Workspace } from '../workspace.js';
import { boardTask, buildDashboardState, type DashboardState, type TaskDetail, type Usage } from './state.js';

/** A run log shown in the page is cut to its last part: enough to read, small enough to send. */
const RUN_LOG_TAIL_BYTES = 256 * 1024;

function runsRoot(ws: Workspace): string {
  return join(ws.commonDir, 'crewtree', 'runs');
}

/** Each task's token and cost totals from `.git/crewtree/runs/<ID>/usage.json`. */
export async function readUsageTotals(ws: Workspace): Promise<Map<string, Usage>> {
  const ids = await readdir(runsRoot(ws)).catch(() => [] as string[]);
  const entries = await Promise.all(
    ids.map(async (id) => {
      const text = await readFile(join(runsRoot(ws), id, 'usage.json'), 'utf8').catch(() => '');
      try {
        return text ? ([[id, (JSON.parse(text) as TaskRuns).totals]] as const) : [];
      } catch {
        return []; // being replaced: read at the next change
      }
    }),
  );
  return new Map(entries.flat());
}

/** The whole board; `read` is the dashboard's long-lived snapshot reader (default: a fresh read). */
export async function gatherDashboardState(ws: Workspace, read: (commit: string) => Promise<StateSnapshot> = (commit) => readSnapshot(ws.git, commit, ws.config.backlog)): Promise<DashboardState> {
  const commit = await readBase(ws);
  const [snapshot, statuses, queue, usage] = await Promise.all([
    read(commit),
    readWorkerStatuses(ws.commonDir),
    readQueueView(ws),
    readUsageTotals(ws),
  ]);
  const now = ws.clock.now();
  return buildDashboardState({
    base: ws.config.base,
    commit,
    now,
    tasks: snapshot.backlog.tasks,
    problems: snapshot.backlog.problems,
    logLines: logLines(snapshot.taskLog),
    workers: workerViews(statuses, now, ws.host, isProcessAlive),
    queue,
    usage,
  });
}

/**
 * One task as the detail panel shows it: its file, its log lines, its run logs. Only ids the
 * backlog holds are looked up; nothing outside the task file and its runs folder is read.
 */
export async function gatherTaskDetail(ws: Workspace, id: string, read: (commit: string) => Promise<StateSnapshot> = (commit) => readSnapshot(ws.git, commit, ws.config.backlog)): Promise<TaskDetail | undefined> {
  const snapshot = await read(await readBase(ws));
  const task = snapshot.backlog.tasks.find((candidate) => candidate.id === id);
  if (!task) return undefined;
  const runs = await readRunsView(ws, task.id, { tailBytes: RUN_LOG_TAIL_BYTES });
  return {
    task: boardTask(task, runs.attempts.length > 0 ? runs.totals : undefined),
    text: snapshot.backlog.texts.get(task.id) ?? '',
    log: linesOfTask(logLines(snapshot.taskLog), task.id),
    runs,
  };
}
