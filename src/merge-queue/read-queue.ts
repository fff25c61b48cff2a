import { isProcessAlive } from '../process/alive.js';
import type { Workspace } from '../workspace.js';
import { listEntries } from './entries.js';
import { readLease } from './lease.js';
import type { LeaseRecord, QueueResult } from './records.js';
import { listResults } from './results.js';

export interface QueueView {
  /** In queue order, oldest first. */
  waiting: { id: string; title: string; branch: string; tip: string; worker: string; since: string }[];
  /** Who drains the queue now and what it is gating; `alive` is known only on the runner's host. */
  runner: (Omit<LeaseRecord, 'beat'> & { alive: boolean | undefined }) | undefined;
  /** The latest result of each task, newest first (failed ones say why). */
  recent: QueueResult[];
}

/** The merge queue for status views (`crew status`, the dashboard). */
export async function readQueue(ws: Workspace, options: { recent?: number; isAlive?: (pid: number) => boolean } = {}): Promise<QueueView> {
  const [{ entries }, { lease }, results] = await Promise.all([listEntries(ws.git), readLease(ws), listResults(ws.git)]);
  const isAlive = options.isAlive ?? isProcessAlive;
  const runner = lease ? { ...withoutBeat(lease), alive: lease.host === ws.host ? isAlive(lease.pid) : undefined } : undefined;
  return {
    waiting: entries.map(({ id, title, branch, tip, worker, since }) => ({ id, title, branch, tip, worker, since })),
    runner,
    recent: results.slice(0, options.recent ?? 20),
  };
}

function withoutBeat(lease: LeaseRecord): Omit<LeaseRecord, 'beat'> {
  const { beat: _beat, ...rest } = lease;
  return rest;
}
