import { access, readFile } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { readHeartbeats } from '../claims/heartbeat.js';
import type { WorktreeInfo } from '../git/parse.js';
import { listWorktrees } from '../git/worktrees.js';
import type { StateSnapshot } from '../state/snapshot.js';
import { readBase } from '../state/transaction.js';
import { readWorkerStatuses } from '../studio/status-files.js';
import { isProcessAlive } from '../process/alive.js';
import type { Observation } from '../sweeper/stale.js';
import { worktreeState } from '../worktree/state.js';
import type { Workspace } from '../workspace.js';
import { readCachedSnapshot } from '../workflows/read-backlog.js';
import { readQueueView } from './queue.js';
import { locksOf, staleLocksOf, workerViews, type StatusModel, type WorktreeView } from './status-model.js';

export interface GatherOptions {
  isAlive?: (pid: number) => boolean;
}

/**
 * What the sweeper last saw of each lock, read only: `crew status` and `crew doctor` apply the
 * sweeper's rule without moving its clock.
 * NOTE: the file is the sweeper's own (src/sweeper/sweep.ts); keep the path in step with it.
 */
export async function readSweeperObservations(commonDir: string): Promise<Record<string, Observation>> {
  const text = await readFile(join(commonDir, 'crewtree', 'sweeper', 'observations.json'), 'utf8').catch(() => '{}');
  try {
    return JSON.parse(text) as Record<string, Observation>;
  } catch {
    return {};
  }
}

/** Task worktrees: the ones git lists inside the configured worktrees folder. */
export async function taskWorktrees(ws: Workspace): Promise<WorktreeInfo[]> {
  const root = join(ws.root, ws.config.worktrees);
  return (await listWorktrees(ws.git)).filter((worktree) => {
    const inside = relative(root, worktree.path);
    return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside);
  });
}

export async function folderExists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function worktreeViews(ws: Workspace, snapshot: StateSnapshot): Promise<WorktreeView[]> {
  const holders = new Map<string, string>(snapshot.backlog.tasks.flatMap((task) => (task.lock ? [[`refs/heads/${task.lock.branch}`, task.id] as const] : [])));
  return Promise.all(
    (await taskWorktrees(ws)).map(async (worktree) => {
      const state = (await folderExists(worktree.path)) ? await worktreeState(worktree.path).catch(() => undefined) : undefined;
      return {
        path: relative(ws.root, worktree.path),
        branch: worktree.branch?.replace(/^refs\/heads\//, '') ?? null,
        task: (worktree.branch && holders.get(worktree.branch)) ?? null,
        clean: state ? state.clean : null,
        changed: state?.changed ?? [],
      };
    }),
  );
}

/** Reads everything `crew status` shows: the base, status files, worktrees, heartbeats, the queue. */
export async function gatherStatus(ws: Workspace, options: GatherOptions = {}): Promise<StatusModel> {
  const isAlive = options.isAlive ?? isProcessAlive;
  const commit = await readBase(ws);
  const snapshot = await readCachedSnapshot(ws, commit);
  const [statuses, worktrees, heartbeats, observations, queue] = await Promise.all([
    readWorkerStatuses(ws.commonDir),
    worktreeViews(ws, snapshot),
    readHeartbeats(ws.git),
    readSweeperObservations(ws.commonDir),
    readQueueView(ws),
  ]);
  const now = ws.clock.now();
  return {
    base: ws.config.base,
    commit,
    now: now.toISOString(),
    host: ws.host,
    workers: workerViews(statuses, now, ws.host, isAlive),
    locks: locksOf(snapshot.backlog.tasks),
    queue,
    worktrees,
    stale: staleLocksOf({ tasks: snapshot.backlog.tasks, heartbeats, observations, now: now.getTime(), host: ws.host, leaseMs: ws.config.lease, isAlive }),
  };
}
