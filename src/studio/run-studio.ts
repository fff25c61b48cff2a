import { isCrewError } from '../errors.js';
import { sweep } from '../sweeper/sweep.js';
import type { Reporter } from '../worker/events.js';
import { workOneTask, type WorkResult } from '../worker/work-task.js';
import type { Workspace } from '../workspace.js';
import type { Lander } from '../landing/lander.js';

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

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

/**
 * The studio: every slot takes the next eligible task when free, until the backlog has
 * nothing left for anyone (`untilEmpty`), `maxTasks` were started, or the signal stops it.
 */
export async function runStudio(ws: Workspace, options: StudioOptions): Promise<StudioSummary> {
  const results: WorkResult[] = [];
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

  const runSlot = async (slot: Slot, index: number) => {
    while (!options.signal.aborted && !finished) {
      if (options.maxTasks !== undefined && started >= options.maxTasks) break;
      started++;
      busy++;
      try {
        const result = await workOneTask(ws, {
          worker: slot.worker,
          role: slot.role,
          agent: options.agent,
          slot: index,
          signal: options.signal,
          reporter: options.reporter,
          lander: options.lander,
          skip: [...skipped],
        });
        results.push(result);
        if (result.kind === 'fenced') skipped.add(result.task.id);
        options.onResult?.(result);
      } catch (error) {
        started--;
        if (!isCrewError(error, 'nothing-eligible') && !isCrewError(error, 'lock-held')) throw error;
        busy--;
        if (busy === 0 && options.untilEmpty) {
          finished = true;
          notifyChange();
          break;
        }
        options.reporter.emit({ worker: slot.worker, phase: 'idle', detail: 'waiting for an eligible task', at: ws.clock.now() });
        await Promise.race([changed, sleep(options.pollMs ?? 2000, options.signal)]);
        continue;
      }
      busy--;
      notifyChange();
    }
    options.reporter.emit({ worker: slot.worker, phase: 'stopped', at: ws.clock.now() });
  };

  try {
    await Promise.all(options.slots.map((slot, index) => runSlot(slot, index)));
  } finally {
    clearInterval(sweeper);
  }
  return { results };
}
