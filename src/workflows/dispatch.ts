import { mkdir, open, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic.js';
import { isProcessAlive } from '../process/alive.js';
import { sleep } from '../process/sleep.js';
import { spawnDetached, type DetachedProcess } from '../process/spawn-detached.js';
import type { SandboxPolicy } from '../sandbox/policy.js';
import { stripControlSequences } from '../terminal/safe-text.js';
import { runDir } from '../worker/runs.js';
import type { Workspace } from '../workspace.js';
import { addTask } from './add-task.js';

export interface DispatchRequest {
  prompt: string;
  agent?: string;
  role?: string;
  /** The task stops at `review` after its gate passes, for `crew approve`. */
  review?: boolean;
  /** `--sandbox`, passed on to the background `crew work`. */
  sandbox?: SandboxPolicy;
  /** The command that runs crewtree: [node, crew.js]. */
  crewCommand: [string, string];
  /** How long to wait for the background agent to start before returning anyway (default 60 s). */
  startTimeoutMs?: number;
}

/**
 * `started`: its agent runs; `ended`: the background worker exited before that (its exit code,
 * and the last lines it printed); `slow`: still setting up when the wait ended.
 */
export type DispatchStart = { kind: 'started' } | { kind: 'slow' } | { kind: 'ended'; exitCode: number; output: string[] };

export interface Dispatched {
  id: string;
  pid: number;
  log: string;
  start: DispatchStart;
}

/** Which background worker works a dispatched task (`.git/crewtree/runs/<ID>/dispatch.json`). */
export interface DispatchRecord {
  pid: number;
  host: string;
  log: string;
}

/** A title from the prompt's first line, short enough for a branch and a board. */
export function titleFromPrompt(prompt: string): string {
  const first = prompt.trim().split('\n')[0]?.trim() ?? 'Ad hoc task';
  return first.length > 72 ? `${first.slice(0, 69).trimEnd()}...` : first || 'Ad hoc task';
}

const recordPath = (ws: Pick<Workspace, 'commonDir'>, id: string) => join(runDir(ws, id), 'dispatch.json');

/**
 * Creates a task from a prompt and starts `crew work --task ID` detached, then waits until its
 * agent starts (a run log appears) or the worker ends: an error before the agent (the claim, the
 * worktree, setup) reaches the terminal that dispatched, not only the log file.
 */
export async function dispatch(ws: Workspace, request: DispatchRequest): Promise<Dispatched> {
  const added = await addTask(ws, {
    title: titleFromPrompt(request.prompt),
    body: request.prompt,
    priority: 'high',
    type: 'feat',
    role: request.role ?? 'developer',
    dependsOn: [],
    paths: [],
    ...(request.review ? { review: true } : {}),
    worker: 'dispatch',
  });
  await mkdir(runDir(ws, added.id), { recursive: true });
  const log = join(runDir(ws, added.id), 'dispatch.log');
  const file = await open(log, 'a');
  const args = [request.crewCommand[1], 'work', '--task', added.id, '--worker', `dispatch-${added.id}`];
  if (request.agent) args.push('--agent', request.agent);
  if (request.sandbox) args.push('--sandbox', request.sandbox);
  const child = spawnDetached(request.crewCommand[0], args, { cwd: ws.root, env: { ...process.env, ...ws.env }, outputFd: file.fd });
  await file.close();
  const { pid } = child;
  await writeFileAtomic(recordPath(ws, added.id), JSON.stringify({ pid, host: ws.host, log } satisfies DispatchRecord, null, 2));
  const start = await waitForAgent(ws, added.id, child, request.startTimeoutMs ?? 60_000);
  child.release();
  return { id: added.id, pid, log, start };
}

async function waitForAgent(ws: Workspace, id: string, child: DetachedProcess, timeoutMs: number): Promise<DispatchStart> {
  let exitCode: number | undefined;
  void child.exited.then((code) => (exitCode = code));
  const deadline = Date.now() + timeoutMs;
  const agentStarted = async () => (await readdir(runDir(ws, id)).catch(() => [] as string[])).some((name) => /^\d+\.log$/.test(name));
  while (Date.now() < deadline) {
    if (exitCode !== undefined) break;
    if (await agentStarted()) return { kind: 'started' };
    await sleep(100);
  }
  if (exitCode === undefined) return { kind: 'slow' };
  if (exitCode === 0) return { kind: 'started' };
  return { kind: 'ended', exitCode, output: await lastLines(join(runDir(ws, id), 'dispatch.log'), 12) };
}

/** The background worker of a dispatched task, if it was dispatched. */
export async function readDispatchRecord(ws: Pick<Workspace, 'commonDir'>, id: string): Promise<DispatchRecord | undefined> {
  const text = await readFile(recordPath(ws, id), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as DispatchRecord;
  } catch {
    return undefined;
  }
}

/** Whether a dispatched task's background worker has ended (on this host; another host's is never judged). */
export function dispatchedWorkerGone(record: DispatchRecord, host: string, isAlive: (pid: number) => boolean = isProcessAlive): boolean {
  return record.host === host && record.pid > 0 && !isAlive(record.pid);
}

/** The last lines of a log, without terminal control sequences (they carry task text). */
export async function lastLines(file: string, count: number): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return stripControlSequences(text).split('\n').filter((line) => line.trim() !== '').slice(-count);
}
