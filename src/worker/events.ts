import type { AgentUsage } from '../agents/types.js';

export type WorkerPhase = 'claiming' | 'setup' | 'agent' | 'waiting' | 'gate' | 'commit' | 'landing' | 'review' | 'done' | 'blocked' | 'released' | 'idle' | 'stopped';

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
