// What the dashboard sends the browser, as JSON over HTTP and SSE: type declarations only, and
// no import at all, so the page's code (client/, checked by tsconfig.client.json with the DOM
// and without Node's types) and delta.ts can name them without pulling in server modules.
// NOTE: these restate shapes the server builds from its own types (the task, the worker and
// queue views, the run records); state.ts and gather.ts assign those to these, so tsc fails
// when a field the page reads is renamed or dropped on the server side.

export type TaskStatus = 'todo' | 'in-progress' | 'review' | 'done' | 'blocked';

/** Tokens and cost of a task's attempts, where agents reported them. */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export interface BoardTask {
  id: string;
  title: string;
  status: TaskStatus;
  priority: string;
  role: string;
  epic: string | null;
  dependsOn: string[];
  review: boolean;
  worker: string | null;
  lockSince: string | null;
  file: string;
  /** Tokens and cost of its attempts so far, where an agent reported them. */
  usage: Usage | null;
}

export interface WorkerWire {
  worker: string;
  pid: number;
  host: string;
  task: string | null;
  title: string | null;
  phase: string;
  attempt: number | null;
  detail: string | null;
  phaseSince: string;
  updatedAt: string;
  elapsedMs: number;
  /** Whether its process runs; null when it runs on another host and cannot be checked from here. */
  alive: boolean | null;
}

export interface QueueWire {
  runner: { worker: string; pid: number | null; host: string | null; since: string | null; gating: string[]; alive: boolean | null } | null;
  waiting: { task: string; title: string | null; branch: string | null; worker: string | null; since: string | null }[];
  recent: { task: string; outcome: string; at: string | null; detail: string | null }[];
}

export interface DashboardState {
  base: string;
  commit: string;
  /** The server's clock, so the page can tick elapsed times without asking again. */
  now: string;
  /** The first COLUMN_LIMIT tasks of each status, in board order. */
  tasks: BoardTask[];
  /** How many tasks each status has, all of them. */
  counts: Record<TaskStatus, number>;
  /** The cost of every task's attempts, where agents reported it. */
  spentUsd: number;
  workers: WorkerWire[];
  queue: QueueWire;
  /** The last lines of the task log, oldest first. */
  log: string[];
  logTotal: number;
  problems: string[];
}

export interface AttemptWire {
  attempt: number;
  worker: string;
  agent: string;
  ok: boolean;
  reason?: string;
  usage?: { inputTokens: number; outputTokens: number; cacheReadTokens?: number; cacheWriteTokens?: number; costUsd?: number };
  finalMessage?: string;
  gate?: 'passed' | 'failed' | 'skipped';
  at: string;
}

export interface RunsWire {
  dir: string;
  attempts: AttemptWire[];
  totals: Usage;
  files: { name: string; path: string; text: string }[];
}

export interface TaskDetail {
  task: BoardTask;
  /** The task file as it is on the base. */
  text: string;
  log: string[];
  runs: RunsWire;
}
