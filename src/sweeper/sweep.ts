import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rewriteTask, statusText } from '../backlog/lock-text.js';
import { heartbeatsForSweep } from '../remote/heartbeats.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { readSnapshot, type StateSnapshot } from '../state/snapshot.js';
import { commitState, readBase, type Planned } from '../state/transaction.js';
import type { TaskEvent } from '../task-log/events.js';
import { stateMemo } from '../state/state-memo.js';
import type { Workspace } from '../workspace.js';
import { isProcessAlive } from '../process/alive.js';
import { findStaleLocks, type Observation, type StaleLock } from './stale.js';
import { findStrandedTasks, STRANDED_REASON } from './stranded.js';

/** A stale lock and whose it was. */
export type SweptLock = StaleLock & { worker: string; branch: string };

export interface SweepResult {
  swept: SweptLock[];
  /** Tasks in progress with no lock, made workable again (or, dry run, that would be). */
  unstranded: string[];
  dryRun: boolean;
}

function observationsFile(ws: Workspace): string {
  return join(ws.commonDir, 'crewtree', 'sweeper', 'observations.json');
}

async function loadObservations(ws: Workspace): Promise<Record<string, Observation>> {
  const text = await readFile(observationsFile(ws), 'utf8').catch(() => '{}');
  try {
    return JSON.parse(text) as Record<string, Observation>;
  } catch {
    return {};
  }
}

/**
 * The sweep as a state change: stranded tasks and the stale locks still held by the token that was
 * judged stale go back to todo with a note; a lock released or re-claimed meanwhile is left alone.
 */
export function planSweep(snapshot: Pick<StateSnapshot, 'backlog'>, stale: readonly SweptLock[], ctx: { actor: string; now: Date }): Planned<{ swept: SweptLock[]; unstranded: string[] }> {
  const { actor, now } = ctx;
  const { backlog } = snapshot;
  const files = new Map<string, string>();
  const events: TaskEvent[] = [];
  const swept: SweptLock[] = [];
  const unstranded: string[] = [];
  for (const task of findStrandedTasks(backlog)) {
    const note = `${now.toISOString()} swept by ${actor}: ${STRANDED_REASON}; back to ${statusText(task, 'todo')}`;
    files.set(task.file, rewriteTask(backlog.texts.get(task.id) ?? '', task, { status: 'todo', lock: undefined, note }));
    events.push({ time: now, worker: actor, task: task.id, event: 'swept', detail: STRANDED_REASON });
    unstranded.push(task.id);
  }
  for (const entry of stale) {
    const task = backlog.tasks.find((t) => t.id === entry.id);
    if (!task?.lock || task.lock.token !== entry.token) continue; // released or re-claimed meanwhile
    const note = `${now.toISOString()} swept by ${actor}: ${entry.reason}; branch ${task.lock.branch} and worktree ${task.lock.worktree} kept`;
    files.set(task.file, rewriteTask(backlog.texts.get(task.id) ?? '', task, { status: 'todo', lock: undefined, note }));
    events.push({ time: now, worker: task.lock.worker, task: task.id, event: 'swept', detail: entry.reason });
    swept.push(entry);
  }
  const ids = [...swept.map((s) => s.id), ...unstranded];
  return { change: { files, events, message: ids.length === 0 ? '' : `chore(backlog): sweep ${ids.join(', ')}` }, value: { swept, unstranded } };
}

/** Releases locks whose holder is gone; keeps their branches and worktrees, notes why. */
export async function sweep(ws: Workspace, options: { dryRun?: boolean; actor?: string; isAlive?: (pid: number) => boolean } = {}): Promise<SweepResult> {
  const snapshot = await readSnapshot(ws.git, await readBase(ws), ws.config.backlog, await stateMemo(ws));
  // NOTE: a task in review keeps its lock as the landing fence; no process holds it meanwhile.
  const locks = snapshot.backlog.tasks.flatMap((task) => (task.lock && task.status !== 'review' ? [{ id: task.id, lock: task.lock }] : []));
  const { stale, observations } = findStaleLocks({
    locks,
    heartbeats: await heartbeatsForSweep(ws),
    observations: await loadObservations(ws),
    now: ws.clock.now().getTime(),
    host: ws.host,
    leaseMs: ws.config.lease,
    isAlive: options.isAlive ?? isProcessAlive,
  });
  await mkdir(join(ws.commonDir, 'crewtree', 'sweeper'), { recursive: true });
  await writeFileAtomic(observationsFile(ws), JSON.stringify(observations, null, 1));
  const byId = new Map(locks.map((l) => [l.id, l.lock]));
  const described = stale.map((s) => ({ ...s, worker: byId.get(s.id)?.worker ?? '', branch: byId.get(s.id)?.branch ?? '' }));
  const stranded = findStrandedTasks(snapshot.backlog).map((task) => task.id);
  if (options.dryRun || (stale.length === 0 && stranded.length === 0)) return { swept: described, unstranded: stranded, dryRun: Boolean(options.dryRun) };
  const actor = options.actor ?? 'sweeper';
  const result = await commitState(ws, (current) => planSweep(current, described, { actor, now: ws.clock.now() }));
  return { ...result.value, dryRun: false };
}
