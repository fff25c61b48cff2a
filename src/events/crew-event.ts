// The one event type every part of crewtree emits: a task-log line, a worker's phase, the merge
// queue's progress, a notification sent, a command's result. Sinks (the terminal view, the status
// files, `--json`'s NDJSON lines) read this union; nothing formats output in the middle of the
// logic. NOTE: its JSON form is a stable interface for scripts and editors (README "Events"):
// fields are only ever added, never renamed or removed.
import type { TaskEvent, TaskEventName } from '../task-log/events.js';

export type WorkerPhase = 'claiming' | 'setup' | 'agent' | 'waiting' | 'gate' | 'commit' | 'landing' | 'review' | 'done' | 'blocked' | 'released' | 'idle' | 'stopped';

/** Tokens an agent run reported (and its cost, where the agent says). */
export interface EventTokens {
  input: number;
  output: number;
  costUsd?: number;
}

/** One line of the task log, emitted when it is recorded (journaled or committed). */
export interface TaskLogged {
  type: 'task';
  time: Date;
  task: string;
  worker: string;
  event: TaskEventName;
  detail: string;
}

/** What a worker is doing now. */
export interface WorkerChanged {
  type: 'worker';
  time: Date;
  worker: string;
  task?: string;
  title?: string;
  phase: WorkerPhase;
  attempt?: number;
  detail?: string;
  /** The tokens of the attempt's agent run, on the event that follows it. */
  tokens?: EventTokens;
}

export type QueueStep = 'took-over' | 'waiting' | 'batch' | 'deferred' | 'gating' | 'gated' | 'rebuild' | 'settled' | 'dropped' | 'stopped';

/** A step of the merge queue. */
export interface QueueProgress {
  type: 'queue';
  time: Date;
  step: QueueStep;
  /** The tasks the step concerns (empty for took-over, waiting, stopped). */
  tasks: string[];
  /** The merge being gated, or the commit that landed. */
  commit?: string;
  /** gated: whether the gate passed. */
  ok?: boolean;
  /** settled: landed, conflict, gate-failed or fenced. */
  outcome?: string;
  detail?: string;
}

/** A notification sent (or not) on one channel. */
export interface Notified {
  type: 'notify';
  time: Date;
  task: string;
  status: 'done' | 'review' | 'blocked' | 'failed';
  channel: 'desktop' | 'webhook' | 'command';
  result: 'sent' | 'failed' | 'skipped';
  detail: string;
}

/** The last event of `crew run|work|merge|dispatch --json`: what the command's result was. */
export interface CommandFinished {
  type: 'finished';
  time: Date;
  command: 'run' | 'work' | 'merge' | 'dispatch';
  exitCode: number;
  /** The command's summary (README "Events" lists its fields per command). */
  result: Record<string, unknown>;
}

export type CrewEvent = TaskLogged | WorkerChanged | QueueProgress | Notified | CommandFinished;
export type CrewEventType = CrewEvent['type'];

export function taskLogged(event: TaskEvent): TaskLogged {
  return { type: 'task', time: event.time, task: event.task, worker: event.worker, event: event.event, detail: event.detail };
}

/** One NDJSON line: `time` as an ISO string, absent optional fields left out. */
export function eventLine(event: CrewEvent): string {
  return JSON.stringify(event);
}
