import { isCrewError } from '../errors.js';
import { sweep } from '../sweeper/sweep.js';
import type { Reporter } from '../worker/events.js';
import { AgentPauses, agentPausesFile } from '../worker/agent-pauses.js';
import { workOneTask, type WorkResult } from '../worker/work-task.js';
import type { Workspace } from '../workspace.js';
import type { Lander } from '../landing/lander.js';
import { loadRoles, resolveRole } from '../roles/load.js';
import { readCachedSnapshot } from '../workflows/read-backlog.js';
import { readTaskRuns } from '../worker/runs.js';
import { addTask } from '../workflows/add-task.js';
import { sleep } from '../process/sleep.js';
import { queueDriversIdle } from '../merge-queue/index.js';

export interface Slot {
  worker: string;
  role?: string;
}

export interface StudioOptions {
  slots: Slot[];
  agent?: string;
  untilEmpty: boolean;
  maxTasks?: number;
  signal: AbortSignal;
  reporter: Reporter;
  lander?: Lander;
  /** How often idle workers look for new tasks. */
  pollMs?: number;
  onResult?: (result: WorkResult) => void;
  /** Counts of the backlog after each finished task, for the live view's footer. */
  onProgress?: (totals: { done: number; blocked: number; review: number; waiting: number }) => void;
}

export interface StudioSummary {
  results: WorkResult[];
}

/** `-j 3` or `--roles developer=3,architect=1` as worker slots. */
export function planSlots(options: { jobs?: number; roles?: Record<string, number>; agent: string }): Slot[] {
  if (options.roles && Object.keys(options.roles).length > 0) {
    let n = 0;
    return Object.entries(options.roles).flatMap(([role, count]) =>
      Array.from({ length: count }, () => ({ worker: `${options.agent}-${role}-${++n}`, role })),
    );
  }
  return Array.from({ length: Math.max(1, options.jobs ?? 1) }, (_, i) => ({ worker: `${options.agent}-${i + 1}` }));
}

async function backlogTotals(ws: Workspace) {
  const { backlog } = await readCachedSnapshot(ws);
  const count = (status: string) => backlog.tasks.filter((task) => task.status === status).length;
  return { done: count('done'), blocked: count('blocked'), review: count('review'), waiting: count('todo') };
}

/**
 * The studio: every slot takes the next eligible task when free, until the backlog has
 * nothing left for anyone (`untilEmpty`), `maxTasks` were started, or the signal stops it.
 */
export async function runStudio(ws: Workspace, options: StudioOptions): Promise<StudioSummary> {
  // NOTE: an error that concerns every worker (the claim itself fails) stops the others through
  // this signal, and goes up only once every worker has saved its work and released its lock.
  const stopAll = new AbortController();
  const signal = AbortSignal.any([options.signal, stopAll.signal]);
  let fatal: { error: unknown } | undefined;
  const results: WorkResult[] = [];
  const pauses = new AgentPauses(agentPausesFile(ws.commonDir));
  let started = 0;
  let busy = 0;
  let finished = false;
  let wake: () => void = () => undefined;
  let changed = new Promise<void>((resolve) => (wake = resolve));
  const notifyChange = () => {
    wake();
    changed = new Promise<void>((resolve) => (wake = resolve));
  };
  await sweep(ws, { actor: 'crew run' }).catch(() => undefined);
  const sweeper = setInterval(() => void sweep(ws, { actor: 'crew run' }).catch(() => undefined), Math.max(1000, ws.config.lease / 2));
  sweeper.unref();
  const skipped = new Set<string>();
  const dutiesFiled = new Set<string>();
  const spent = { tokens: 0, usd: 0 };
  const budget = ws.config.budget;

  /** A role slot with nothing to do files its standing duty once per run, as a task it then takes. */
  const fileDuty = async (slot: Slot): Promise<boolean> => {
    if (!slot.role || dutiesFiled.has(slot.role)) return false;
    dutiesFiled.add(slot.role);
    const role = resolveRole(await loadRoles(ws.root), slot.role);
    if (!role.duty) return false;
    await addTask(ws, { title: `${role.name}: standing duty`, body: role.duty, role: role.name, priority: 'low', type: 'chore', dependsOn: [], paths: [], worker: slot.worker });
    return true;
  };

  /** Adds a finished task's tokens and cost to the run; true once the run's budget is spent. */
  const overRunBudget = async (taskId: string): Promise<string | undefined> => {
    const { totals } = await readTaskRuns(ws, taskId);
    spent.tokens += totals.inputTokens + totals.outputTokens;
    spent.usd += totals.costUsd;
    if (budget.run_tokens !== undefined && spent.tokens >= budget.run_tokens) return `run token budget spent (${spent.tokens} of ${budget.run_tokens})`;
    if (budget.run_usd !== undefined && spent.usd >= budget.run_usd) return `run cost budget spent ($${spent.usd.toFixed(2)} of $${budget.run_usd})`;
    return undefined;
  };

  const runSlot = async (slot: Slot, index: number) => {
    while (!signal.aborted && !finished) {
      if (options.maxTasks !== undefined && started >= options.maxTasks) break;
      started++;
      busy++;
      try {
        const result = await workOneTask(ws, {
          worker: slot.worker,
          role: slot.role,
          agent: options.agent,
          slot: index,
          signal,
          reporter: options.reporter,
          lander: options.lander,
          skip: [...skipped],
          pauses,
        });
        results.push(result);
        if (result.kind === 'fenced' || (result.kind === 'released' && result.failed)) skipped.add(result.task.id);
        options.onResult?.(result);
        if (signal.aborted) break; // NOTE: stopping: no more reads on the way out
        // NOTE: the footer's counts need not hold up the next claim.
        const { onProgress } = options;
        if (onProgress) void backlogTotals(ws).then(onProgress, () => undefined);
        const overBudget = await overRunBudget(result.task.id);
        if (overBudget) {
          finished = true;
          options.reporter.emit({ worker: slot.worker, phase: 'stopped', detail: `${overBudget}; no new tasks are started`, time: ws.clock.now() });
        }
      } catch (error) {
        started--;
        busy--;
        if (!isCrewError(error, 'nothing-eligible') && !isCrewError(error, 'lock-held')) {
          fatal ??= { error };
          stopAll.abort(error);
          break;
        }
        if (await fileDuty(slot)) continue;
        if (busy === 0 && options.untilEmpty) {
          finished = true;
          notifyChange();
          break;
        }
        options.reporter.emit({ worker: slot.worker, phase: 'idle', detail: 'waiting for an eligible task', time: ws.clock.now() });
        await Promise.race([changed, sleep(options.pollMs ?? 2000, signal)]);
        continue;
      }
      busy--;
      notifyChange();
    }
    options.reporter.emit({ worker: slot.worker, phase: 'stopped', time: ws.clock.now() });
  };

  try {
    await Promise.all(options.slots.map((slot, index) => runSlot(slot, index)));
  } finally {
    clearInterval(sweeper);
    // NOTE: a worker goes on as soon as its own entry landed; the queue drive it shares with the
    // others ends after its round and gives the lease back before the studio returns.
    await queueDriversIdle(ws);
  }
  if (fatal) throw fatal.error;
  return { results };
}
