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

it('no agent outlives crewtree: exiting kills the agent and the children it started', async () => {
  const script = join(projectRoot, 'tests', 'integration', 'agents', 'exit-while-running.ts');
  execFileSync(process.execPath, ['--import', 'tsx', script, repo.dir, scratch], { cwd: projectRoot, stdio: 'ignore', timeout: 30_000 });
  const agent = await pidFrom(join(scratch, 'agent.pid'));
  const child = await pidFrom(join(scratch, 'child.pid'));
  expect(await waitFor(() => !isRunning(agent) && !isRunning(child), 2000)).toBe(true);
});
