import type { AgentUsage } from '../agents/types.js';
import type { EventTokens, WorkerChanged, WorkerPhase } from '../events/crew-event.js';
import type { EventBus } from '../events/event-bus.js';

export type { WorkerPhase } from '../events/crew-event.js';

/**
 * What a worker is doing, as a worker reports it: the bus's `WorkerChanged` without its `type`.
 * One shape feeds the live view, the plain log, the status files and `--json`.
 */
export type WorkerEvent = Omit<WorkerChanged, 'type'>;

export interface Reporter {
  emit(event: WorkerEvent): void;
}

export const silentReporter: Reporter = { emit: () => undefined };

/** An agent run's usage as events carry it. */
export function eventTokens(usage: AgentUsage): EventTokens {
  return { input: usage.inputTokens, output: usage.outputTokens, ...(usage.costUsd === undefined ? {} : { costUsd: usage.costUsd }) };
}

/** The reporter that puts a worker's events on the bus. */
export function busReporter(bus: EventBus): Reporter {
  return { emit: (event) => bus.emit({ type: 'worker', ...event }) };
}

/** The phase as a user reads it: `waiting (rate limited until 14:05)` says what it waits for. */
export function phaseLabel(event: { phase: string; detail?: string | null }): string {
  return event.phase === 'waiting' && event.detail ? `waiting (${event.detail})` : event.phase;
}

export function formatWorkerEvent(event: WorkerEvent): string {
  const time = event.time.toISOString().slice(11, 19);
  const task = event.task ? ` ${event.task}` : '';
  const attempt = event.attempt ? ` (attempt ${event.attempt})` : '';
  if (event.phase === 'waiting') return `${time} ${event.worker}${task} ${phaseLabel(event)}${attempt}`;
  return `${time} ${event.worker}${task} ${event.phase}${attempt}${event.detail ? `: ${event.detail}` : ''}`;
}
