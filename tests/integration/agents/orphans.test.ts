import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { projectRoot, tempRepo, type TempRepo } from '../../helpers/temp-repo.js';
import { isRunning, pidFrom, waitFor } from './process-tree.js';

let repo: TempRepo;
let scratch: string;

beforeEach(() => {
  repo = tempRepo();
  scratch = mkdtempSync(join(tmpdir(), 'crewtree-orphans-'));
});

afterEach(() => {
  repo.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

function endWhileRunning(how: 'exit' | 'sigkill', what: 'agent' | 'gate'): void {
  const script = join(projectRoot, 'tests', 'integration', 'agents', 'exit-while-running.ts');
  try {
    execFileSync(process.execPath, ['--import', 'tsx', script, repo.dir, scratch, how, what], { cwd: projectRoot, stdio: 'ignore', timeout: 30_000 });
  } catch (error) {
    // `kill -9` of itself: the script ends by SIGKILL, as intended
    if ((error as { signal?: string }).signal !== 'SIGKILL' || how !== 'sigkill') throw error;
  }
}

it('no agent outlives crewtree: exiting kills the agent and the children it started', async () => {
  endWhileRunning('exit', 'agent');
  const agent = await pidFrom(join(scratch, 'agent.pid'));
  const child = await pidFrom(join(scratch, 'child.pid'));
  expect(await waitFor(() => !isRunning(agent) && !isRunning(child), 2000)).toBe(true);
});

it.each(['agent', 'gate'] as const)('a %s and its children die with crewtree even on kill -9 (no exit hook runs)', async (what) => {
  endWhileRunning('sigkill', what);
  const leader = await pidFrom(join(scratch, 'agent.pid'));
  const child = await pidFrom(join(scratch, 'child.pid'));
  expect(leader).toBeGreaterThan(0);
  expect(child).toBeGreaterThan(0);
  expect(await waitFor(() => !isRunning(leader) && !isRunning(child), 2000)).toBe(true);
});
