import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { endProcessesIn, processesIn } from '../../../src/process/processes-in.js';
import { isRunning, waitFor } from './process-tree.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

it('ends what an earlier run left working in a worktree, and never a process crewtree did not start', async () => {
  const worktree = mkdtempSync(join(tmpdir(), 'crewtree-leftover-'));
  dirs.push(worktree);
  // A leftover agent (it carries crewtree's variables, in its own group) and a user's shell that cd'ed there.
  const agent = spawn('sh', ['-c', 'sleep 100 & sleep 100'], { cwd: worktree, detached: true, stdio: 'ignore', env: { ...process.env, CREWTREE_TASK_ID: 'T1' } });
  const user = spawn('sleep', ['100'], { cwd: worktree, detached: true, stdio: 'ignore', env: { PATH: process.env.PATH ?? '' } });
  try {
    expect(await waitFor(() => isRunning(agent.pid!), 2000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const found = await processesIn(worktree);
    expect(found.map((entry) => entry.group)).toContain(agent.pid);
    expect(found.map((entry) => entry.pid)).not.toContain(user.pid);
    expect(await endProcessesIn(worktree)).toBe(found.length);
    expect(await processesIn(worktree)).toEqual([]);
    expect(isRunning(agent.pid!)).toBe(false);
    expect(isRunning(user.pid!)).toBe(true);
  } finally {
    user.kill('SIGKILL');
    try {
      process.kill(-agent.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});
