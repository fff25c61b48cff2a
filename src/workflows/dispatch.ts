import { spawn } from 'node:child_process';
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import type { SandboxPolicy } from '../sandbox/policy.js';
import { runDir } from '../worker/runs.js';
import type { Workspace } from '../workspace.js';
import { addTask } from './add-task.js';

export interface DispatchRequest {
  prompt: string;
  agent?: string;
  role?: string;
  /** `--sandbox`, passed on to the background `crew work`. */
  sandbox?: SandboxPolicy;
  /** The command that runs crewtree: [node, crew.js]. */
  crewCommand: [string, string];
}

/** A title from the prompt's first line, short enough for a branch and a board. */
export function titleFromPrompt(prompt: string): string {
  const first = prompt.trim().split('\n')[0]?.trim() ?? 'Ad hoc task';
  return first.length > 72 ? `${first.slice(0, 69).trimEnd()}...` : first || 'Ad hoc task';
}

/** Creates a task from a prompt and starts `crew work --task ID` detached; returns at once. */
export async function dispatch(ws: Workspace, request: DispatchRequest): Promise<{ id: string; pid: number; log: string }> {
  const added = await addTask(ws, {
    title: titleFromPrompt(request.prompt),
    body: request.prompt,
    priority: 'high',
    type: 'feat',
    role: request.role ?? 'developer',
    dependsOn: [],
    paths: [],
    worker: 'dispatch',
  });
  await mkdir(runDir(ws, added.id), { recursive: true });
  const log = join(runDir(ws, added.id), 'dispatch.log');
  const file = await open(log, 'a');
  const args = [request.crewCommand[1], 'work', '--task', added.id, '--worker', `dispatch-${added.id}`];
  if (request.agent) args.push('--agent', request.agent);
  if (request.sandbox) args.push('--sandbox', request.sandbox);
  const child = spawn(request.crewCommand[0], args, { cwd: ws.root, detached: true, stdio: ['ignore', file.fd, file.fd], env: { ...process.env, ...ws.env } });
  child.unref();
  await file.close();
  return { id: added.id, pid: child.pid ?? 0, log };
}
