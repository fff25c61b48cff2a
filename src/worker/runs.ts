import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentUsage } from '../agents/types.js';
import { writeFileAtomic } from '../fs/atomic.js';
import type { Workspace } from '../workspace.js';

/** `.git/crewtree/runs/<ID>/`: run logs, gate logs and usage of each attempt. */
export function runDir(ws: Pick<Workspace, 'commonDir'>, taskId: string): string {
  return join(ws.commonDir, 'crewtree', 'runs', taskId);
}

export interface AttemptRecord {
  attempt: number;
  worker: string;
  agent: string;
  ok: boolean;
  reason?: string;
  usage?: AgentUsage;
  finalMessage?: string;
  gate?: 'passed' | 'failed' | 'skipped';
  at: string;
}

/** A run that met its API's rate limit or outage: waited out, no attempt spent. */
export interface WaitRecord {
  attempt: number;
  run: number;
  worker: string;
  agent: string;
  kind: string;
  reason: string;
  waitMs: number;
  at: string;
}

export interface TaskRuns {
  attempts: AttemptRecord[];
  waits?: WaitRecord[];
  totals: { inputTokens: number; outputTokens: number; costUsd: number };
}

export async function readTaskRuns(ws: Pick<Workspace, 'commonDir'>, taskId: string): Promise<TaskRuns> {
  const text = await readFile(join(runDir(ws, taskId), 'usage.json'), 'utf8').catch(() => '');
  if (!text) return { attempts: [], totals: { inputTokens: 0, outputTokens: 0, costUsd: 0 } };
  return JSON.parse(text) as TaskRuns;
}

/** Adds one attempt's record and keeps per-task token and cost totals. */
export async function recordAttempt(ws: Pick<Workspace, 'commonDir'>, taskId: string, record: AttemptRecord): Promise<TaskRuns> {
  const runs = await readTaskRuns(ws, taskId);
  runs.attempts.push(record);
  runs.totals.inputTokens += record.usage?.inputTokens ?? 0;
  runs.totals.outputTokens += record.usage?.outputTokens ?? 0;
  runs.totals.costUsd += record.usage?.costUsd ?? 0;
  await mkdir(runDir(ws, taskId), { recursive: true });
  await writeFileAtomic(join(runDir(ws, taskId), 'usage.json'), JSON.stringify(runs, null, 2));
  return runs;
}

export async function recordWait(ws: Pick<Workspace, 'commonDir'>, taskId: string, record: WaitRecord): Promise<void> {
  const runs = await readTaskRuns(ws, taskId);
  (runs.waits ??= []).push(record);
  await mkdir(runDir(ws, taskId), { recursive: true });
  await writeFileAtomic(join(runDir(ws, taskId), 'usage.json'), JSON.stringify(runs, null, 2));
}

/** Whether a task has spent its budget (tokens or USD), per config.budget. */
export function overBudget(totals: TaskRuns['totals'], budget: { task_tokens?: number; task_usd?: number }): string | undefined {
  const tokens = totals.inputTokens + totals.outputTokens;
  if (budget.task_tokens !== undefined && tokens >= budget.task_tokens) return `token budget spent (${tokens} of ${budget.task_tokens})`;
  if (budget.task_usd !== undefined && totals.costUsd >= budget.task_usd) return `cost budget spent ($${totals.costUsd.toFixed(2)} of $${budget.task_usd})`;
  return undefined;
}
