import type { AgentUsage } from '../agents/types.js';
import type { WorkerChanged, WorkerPhase } from '../events/crew-event.js';
import type { EventBus } from '../events/event-bus.js';

export type { WorkerPhase } from '../events/crew-event.js';

/** What a worker is doing: one typed event feeds the live view, the plain log and the status file. */
export interface WorkerEvent {
  worker: string;
  task?: string;
  title?: string;
  phase: WorkerPhase;
  attempt?: number;
  detail?: string;
  usage?: AgentUsage;
  at: Date;
}

export interface Reporter {
  emit(event: WorkerEvent): void;
}

export const silentReporter: Reporter = { emit: () => undefined };

/** A worker's event as it goes on the event bus (and out as `--json`). */
export function workerChanged(event: WorkerEvent): WorkerChanged {
  const { at, usage, ...rest } = event;
  const tokens = usage ? { input: usage.inputTokens, output: usage.outputTokens, ...(usage.costUsd === undefined ? {} : { costUsd: usage.costUsd }) } : undefined;
  return { type: 'worker', time: at, ...rest, ...(tokens ? { tokens } : {}) };
}

/** The reporter that puts a worker's events on the bus. */
export function busReporter(bus: EventBus): Reporter {
  return { emit: (event) => bus.emit(workerChanged(event)) };
}

/** The phase as a user reads it: `waiting (rate limited until 14:05)` says what it waits for. */
export function phaseLabel(event: { phase: string; detail?: string | null }): string {
  return event.phase === 'waiting' && event.detail ? `waiting (${event.detail})` : event.phase;
}

export function formatWorkerEvent(event: WorkerEvent): string {
  const time = event.at.toISOString().slice(11, 19);
  const task = event.task ? ` ${event.task}` : '';
  const attempt = event.attempt ? ` (attempt ${event.attempt})` : '';
  if (event.phase === 'waiting') return `${time} ${event.worker}${task} ${phaseLabel(event)}${attempt}`;
  return `${time} ${event.worker}${task} ${event.phase}${attempt}${event.detail ? `: ${event.detail}` : ''}`;
}
