import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimTask, type Claim } from '../../../src/claims/claim.js';
import { isCrewError } from '../../../src/errors.js';
import { buildTree, createCommit } from '../../../src/git/objects.js';
import { land, type LandRequest } from '../../../src/state/land.js';
import { openWorkspace } from '../../../src/workflows/open-workspace.js';
import type { Workspace } from '../../../src/workspace.js';
import { tempRepo, type TempRepo } from '../../helpers/temp-repo.js';
import { addedLogLines, lockAt, parseLogLine, seedTasks, taskPath } from './state-helpers.js';

let repo: TempRepo;
let ws: Workspace;

beforeEach(async () => {
  repo = tempRepo({ init: true });
  seedTasks(repo, 3);
  ws = await openWorkspace(repo.dir, { env: {} });
});
afterEach(() => repo.cleanup());

/** The worker's commit on its branch, and that branch merged onto the base as it is now. */
async function mergedWork(claim: Claim, file: string, text: string): Promise<{ onto: string; merged: string; message: string; tip: string }> {
  const work = new Map([[file, text]]);
  const tip = await createCommit(ws.git, await buildTree(ws.git, claim.commit, work), [claim.commit], `feat(${claim.task.id}): work`);
  repo.git('update-ref', `refs/heads/${claim.lock.branch}`, tip);
  const onto = repo.git('rev-parse', 'main');
  const merged = await createCommit(ws.git, await buildTree(ws.git, onto, work), [onto, tip], `Merge ${claim.lock.branch}`);
  return { tip, onto, merged, message: `Merge ${claim.lock.branch}\n\nTask: ${claim.task.id}\n` };
}

async function refusal(promise: Promise<unknown>): Promise<{ code: string; exitCode: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (isCrewError(error)) return { code: error.code, exitCode: error.exitCode, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('land: the fenced compare-and-swap that closes a task', () => {
  it('moves main to a commit with the merged code and the task closed, in the same swap', async () => {
    const claim = await claimTask(ws, { id: 'T1', worker: 'w1', pid: process.pid });
    const work = await mergedWork(claim, 'src/feature.ts', 'export const feature = 1;\n');
    const landing = await land(ws, { ...work, tasks: [{ id: 'T1', token: claim.lock.token, tip: work.tip, branch: claim.lock.branch }], actor: 'w1' });

    expect(repo.git('rev-parse', 'main')).toBe(landing.commit);
    expect(landing.previous).toBe(work.onto);
    expect(repo.git('log', '-1', '--format=%P', landing.commit)).toBe(`${work.onto} ${work.tip}`);
    expect(repo.git('show', `${landing.commit}:src/feature.ts`)).toBe('export const feature = 1;');
    const task = repo.git('show', `${landing.commit}:${taskPath('T1')}`);
    expect(task).toMatch(/^status: done$/m);
    expect(task).not.toMatch(/^lock:/m);
    expect(addedLogLines(repo, landing.commit).map(parseLogLine)).toEqual([
      expect.objectContaining({ worker: 'w1', task: 'T1', event: 'merged', detail: `ai/w1/T1-task-t1 at ${work.tip.slice(0, 8)}` }),
      expect.objectContaining({ worker: 'w1', task: 'T1', event: 'done', detail: 'Task t1' }),
    ]);
    // The user's checkout came along: the code is there and nothing shows as changed.
    expect(repo.read('src/feature.ts')).toBe('export const feature = 1;\n');
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('refuses a stale token with exit 4 (fenced) and leaves main where it was', async () => {
    const claim = await claimTask(ws, { id: 'T1', worker: 'w1', pid: process.pid });
    const work = await mergedWork(claim, 'src/feature.ts', 'x\n');
    const before = repo.git('rev-parse', 'main');
    const refused = await refusal(land(ws, { ...work, tasks: [{ id: 'T1', token: 'deadbeef', tip: work.tip, branch: claim.lock.branch }], actor: 'w1' }));
    expect(refused).toEqual({
      code: 'fenced',
      exitCode: 4,
      message: `Refused to land T1: its lock is no longer this worker's (T1 is locked by w1 since ${claim.lock.since} (pid ${process.pid} on ${ws.host})). main did not move.`,
    });
    expect(repo.git('rev-parse', 'main')).toBe(before);
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('still lands when main moved meanwhile by a backlog-only state commit, keeping that commit', async () => {
    const claim = await claimTask(ws, { id: 'T1', worker: 'w1', pid: process.pid });
    const work = await mergedWork(claim, 'src/feature.ts', 'x\n');
    const other = await claimTask(ws, { id: 'T2', worker: 'w2', pid: process.pid });
    const landing = await land(ws, { ...work, tasks: [{ id: 'T1', token: claim.lock.token, tip: work.tip, branch: claim.lock.branch }], actor: 'w1' });
    expect(landing.previous).toBe(other.commit);
    expect(repo.git('show', `${landing.commit}:src/feature.ts`)).toBe('x');
    expect(repo.git('show', `${landing.commit}:${taskPath('T1')}`)).toMatch(/^status: done$/m);
    expect(lockAt(repo, landing.commit, taskPath('T2'))).toEqual(other.lock);
    const log = repo.git('show', `${landing.commit}:backlog/task.log`).split('\n').map(parseLogLine);
    expect(log.map((line) => `${line.task} ${line.event}`).slice(-4)).toEqual(['T1 started', 'T2 started', 'T1 merged', 'T1 done']);
  });

  it('refuses with base-moved when main moved by a code commit, and moves nothing', async () => {
    const claim = await claimTask(ws, { id: 'T1', worker: 'w1', pid: process.pid });
    const work = await mergedWork(claim, 'src/feature.ts', 'x\n');
    repo.write('README.md', '# changed by hand\n');
    const codeCommit = repo.commitAll('docs: change the readme');
    const refused = await refusal(land(ws, { ...work, tasks: [{ id: 'T1', token: claim.lock.token, tip: work.tip, branch: claim.lock.branch }], actor: 'w1' }));
    expect(refused).toEqual({
      code: 'base-moved',
      exitCode: 4,
      message: `main moved to ${codeCommit.slice(0, 8)} with changes outside backlog/ (README.md); the merge must be rebuilt and gated again.`,
    });
    expect(repo.git('rev-parse', 'main')).toBe(codeCommit);
    expect(lockAt(repo, 'main', taskPath('T1'))).toEqual(claim.lock);
  });
});
