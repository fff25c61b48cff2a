// Kills `crew merge` at every git call of a landing (a wrapper named `git` first on PATH, one run
// per crash point: after each call, and during each call that holds a lock file). After each, the
// next `crew merge` lands the task exactly once, the user's checkout is clean but for the user's
// own edits, and at the end every commit main went through passes the gate.
import { afterEach, describe, expect, it } from 'vitest';
import { enqueue } from '../../../src/merge-queue/index.js';
import { crashingGitBin, crashingRun, crashPoints } from '../../helpers/crash-git.js';
import { runCrew } from '../../helpers/temp-repo.js';
import { checkInvariants, claimAndCommit, firstParentHistory, queueRefs, queueRepo, statusOnMain, type QueueRepo, type TaskBranch } from './fixture.js';

const bin = crashingGitBin();
const ids = Array.from({ length: 60 }, (_, index) => `T${index + 1}`);

let q: QueueRepo | undefined;
afterEach(() => q?.cleanup());

/** The next task claimed, its work committed on its branch, and queued for landing. */
async function queueNext(repo: QueueRepo, made: TaskBranch[]): Promise<TaskBranch> {
  const id = ids[made.length] ?? '';
  const branch = await claimAndCommit(repo, id, { [`src/${id.toLowerCase()}.txt`]: `work of ${id}\n` });
  await enqueue(repo.ws, { task: { id, title: branch.title }, lock: { token: branch.token, branch: branch.branch, worker: branch.worker }, tip: branch.tip, gateCommands: repo.ws.config.gate });
  made.push(branch);
  return branch;
}

/** What a user checks after each round: the task landed once, nothing waits, the checkout is main with only the user's edits. */
function expectLandedOnce(repo: QueueRepo, branch: TaskBranch, context: string): void {
  expect(statusOnMain(repo, branch.id), context).toBe('done');
  expect(firstParentHistory(repo).filter((c) => c.parents.slice(1).includes(branch.tip)), context).toHaveLength(1);
  expect(queueRefs(repo), context).toEqual([]);
  expect(repo.repo.git('show', `main:src/${branch.id.toLowerCase()}.txt`), context).toBe(`work of ${branch.id}`);
  expect(repo.repo.git('symbolic-ref', 'HEAD'), context).toBe('refs/heads/main');
  expect(repo.repo.git('status', '--porcelain').split('\n').map((line) => line.trim()).sort(), context).toEqual(['?? notes.txt', 'M shared.txt']);
  expect(repo.repo.read('shared.txt'), context).toBe('my uncommitted edit\n');
  expect(repo.repo.git('diff', '--cached', '--name-only'), context).toBe('');
  expect(repo.repo.git('worktree', 'list'), context).not.toContain('prunable');
}

describe('a crash at any git call of a landing leaves nothing the next crew merge cannot finish', () => {
  it('crew merge: killed after and during each git call, the next crew merge lands the task once and the checkout is clean', async () => {
    q = await queueRepo(ids);
    q.repo.write('shared.txt', 'my uncommitted edit\n');
    q.repo.write('notes.txt', 'untracked scratch\n');
    const made: TaskBranch[] = [];
    const first = await queueNext(q, made);
    const whole = crashingRun(bin, q.repo, ['merge'], 0, 'after');
    expect(whole.code, whole.stderr).toBe(0);
    expectLandedOnce(q, first, 'uncrashed');
    expect(whole.commands).toContain('update-ref');
    for (const { at, mode } of crashPoints(whole.commands)) {
      const context = `crew merge killed ${mode} git call ${at} of ${whole.calls} (${whole.commands[at - 1]})`;
      const branch = await queueNext(q, made);
      const crashed = crashingRun(bin, q.repo, ['merge'], at, mode);
      expect(crashed.code, context).not.toBe(0);
      const next = runCrew(q.repo.dir, ['merge']);
      // NOTE: exit 3 ("nothing waits") when the crash came after the landing was settled.
      expect([0, 3], `${context}: ${next.stderr}`).toContain(next.code);
      expectLandedOnce(q, branch, context);
    }
    // NOTE: once at the end: it re-runs the gate on every commit main went through.
    expect(checkInvariants(q, made)).toEqual([]);
  }, 900_000);
});
