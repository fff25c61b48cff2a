// `crew merge`, `crew merge ID`, `crew approve` and `crew reject` run as a user runs them: the
// built CLI in a real repository whose tasks were claimed and whose branches wait.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findTask } from '../../../src/backlog/backlog.js';
import { rewriteTask } from '../../../src/backlog/lock-text.js';
import { enqueue } from '../../../src/merge-queue/index.js';
import { readResult } from '../../../src/merge-queue/results.js';
import { commitState } from '../../../src/state/transaction.js';
import { runCrew } from '../../helpers/temp-repo.js';
import { spawnCrew } from '../state/state-helpers.js';
import { checkInvariants, claimAndCommit, commitCodeOnMain, firstParentHistory, logEvents, queueRefs, queueRepo, spawnRunner, statusOnMain, waitFor, type QueueRepo, type TaskBranch } from './fixture.js';

let q: QueueRepo | undefined;
afterEach(() => q?.cleanup());

beforeAll(() => {
  // NOTE: these tests run the built CLI; a stale dist/ would test old code.
  const build = runCrew(process.cwd(), ['--version']);
  if (build.code !== 0) throw new Error(`the built CLI does not start: ${build.stderr}`);
});

async function queued(repo: QueueRepo, specs: Record<string, Record<string, string>>): Promise<TaskBranch[]> {
  const made: TaskBranch[] = [];
  for (const [id, files] of Object.entries(specs)) made.push(await claimAndCommit(repo, id, files));
  commitCodeOnMain(repo, 'moved.txt', 'main moved on\n');
  repo.start = repo.repo.git('rev-parse', 'main');
  for (const b of made) {
    await enqueue(repo.ws, { task: { id: b.id, title: b.title }, lock: { token: b.token, branch: b.branch, worker: b.worker }, tip: b.tip, gateCommands: repo.ws.config.gate });
  }
  return made;
}

/** Claims a task, commits its work and parks it at review with its lock kept, as the worker loop does. */
async function inReview(repo: QueueRepo, id: string, files: Record<string, string>): Promise<TaskBranch> {
  const made = await claimAndCommit(repo, id, files);
  await commitState(repo.ws, (snapshot) => {
    const task = findTask(snapshot.backlog, id);
    const text = rewriteTask(snapshot.backlog.texts.get(id) ?? '', task, { status: 'review', lock: task.lock });
    return { change: { files: new Map([[task.file, text]]), events: [{ time: new Date(), worker: made.worker, task: id, event: 'review', detail: 'waits for crew approve' }], message: `chore(backlog): ${id} waits for review` }, value: undefined };
  });
  return made;
}

describe('crew merge', () => {
  it('drains the queue once: prints what it gates and each result, exits 5 when a branch failed the gate', async () => {
    q = await queueRepo(['T1', 'T2']);
    const made = await queued(q, { T1: { 'src/t1.txt': 'one\n' }, T2: { 'src/t2.txt': 'two\n', 'BAD-T2': 'broken\n' } });
    const run = runCrew(q.repo.dir, ['merge']);
    expect(run.code, run.stderr).toBe(5);
    const landed = firstParentHistory(q).find((c) => c.parents.includes(made[0]!.tip))!;
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^gating T1, T2 on main \([0-9a-f]{8}\)$/);
    expect(lines[1]).toMatch(/^gate failed: sh .*\/gate\.sh for T1, T2 \(\d+\.\d s\)$/);
    expect(lines).toContain(`T1 landed on main as ${landed.commit.slice(0, 8)}`);
    expect(lines).toContain(`T2 failed the gate on the merge with main: sh ${q.side}/gate.sh`);
    expect(lines[lines.length - 1]).toBe(`Merge queue drained: 2 settled, ${q.gateRuns().length} gate runs.`);
    expect(queueRefs(q)).toEqual([]);
    expect(checkInvariants(q, made)).toEqual([]);
  });

  it('says so and exits 3 when nothing waits; --json ends with the summary', async () => {
    q = await queueRepo(['T1']);
    expect(runCrew(q.repo.dir, ['merge'])).toEqual({ code: 3, stdout: 'Nothing waits in the merge queue.\n', stderr: '' });
    const json = runCrew(q.repo.dir, ['merge', '--json']);
    expect(json.code).toBe(3);
    expect(json.stdout.trim().split('\n').map((line) => JSON.parse(line))).toEqual([
      { type: 'finished', time: expect.any(String), command: 'merge', exitCode: 3, result: { results: [], gateRuns: 0, batches: 0 } },
    ]);
  });

  it('crew merge ID lands just that task; the others keep waiting', async () => {
    q = await queueRepo(['T1', 'T2']);
    const made = await queued(q, { T1: { 'src/t1.txt': 'one\n' }, T2: { 'src/t2.txt': 'two\n' } });
    const run = runCrew(q.repo.dir, ['merge', 'T2', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const landed = firstParentHistory(q).find((c) => c.parents.includes(made[1]!.tip))!;
    const events = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; event?: string; result?: unknown });
    expect(events.at(-1)?.result).toEqual({ id: 'T2', kind: 'landed', commit: landed.commit, regated: true });
    expect(events.filter((event) => event.type === 'task').map((event) => event.event)).toEqual(['queued', 'merged', 'done']);
    expect(landed.parents).toHaveLength(2);
    expect(queueRefs(q)).toEqual(['refs/crewtree/queue/T1']);
    expect(statusOnMain(q, 'T1')).toBe('in-progress');
    expect(statusOnMain(q, 'T2')).toBe('done');
  });

  it('waits for a live runner that holds the queue, then finds nothing left', async () => {
    q = await queueRepo(['T1']);
    const made = await queued(q, { T1: { 'src/t1.txt': 'one\n' } });
    const runner = spawnRunner(q, { CREWTREE_TEST_PAUSE_AT: 'built' });
    const paused = join(q.ws.commonDir, 'crewtree', 'queue', 'paused');
    await waitFor(() => existsSync(paused), 'the runner to pause');
    const merge = spawnCrew(q.repo.dir, ['merge']);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    writeFileSync(join(q.ws.commonDir, 'crewtree', 'queue', 'resume'), '');
    expect((await runner.done).code).toBe(0);
    const run = await merge;
    expect(run.code, run.stderr).toBe(3);
    expect(run.stdout).toMatch(new RegExp(`^waiting: test-runner \\(pid ${runner.child.pid} on ${q.ws.host}\\) runs the queue since \\S+; it drains the whole queue\nNothing waits in the merge queue\.\n$`));
    expect(statusOnMain(q, 'T1')).toBe('done');
    expect(checkInvariants(q, made)).toEqual([]);
  });

  it('crew merge ID refuses a task that neither waits in the queue nor at review (exit 2)', async () => {
    q = await queueRepo(['T1']);
    const run = runCrew(q.repo.dir, ['merge', 'T1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('T1 is todo and not in the merge queue; only a task waiting in the queue or at review can be merged.');
  });
});

describe('review mode through the queue', () => {
  it('crew approve ID queues the reviewed branch (lock kept as the fence), gates the merge and lands it', async () => {
    q = await queueRepo(['T1']);
    const made = await inReview(q, 'T1', { 'src/t1.txt': 'reviewed work\n' });
    commitCodeOnMain(q, 'moved.txt', 'main moved on\n');
    q.start = q.repo.git('rev-parse', 'main');
    const run = runCrew(q.repo.dir, ['approve', 'T1', '--worker', 'alice']);
    expect(run.code, run.stderr).toBe(0);
    const landed = firstParentHistory(q).find((c) => c.parents.includes(made.tip))!;
    expect(run.stdout).toBe(`T1 approved and landed (${landed.commit.slice(0, 8)})\n`);
    expect(q.gateRuns()).toHaveLength(1);
    expect(statusOnMain(q, 'T1')).toBe('done');
    expect(logEvents(q, 'T1')).toEqual(['started', 'review', 'approved', 'queued', 'merged', 'done']);
    expect(await readResult(q.ws.git, 'T1')).toMatchObject({ kind: 'landed', commit: landed.commit });
    expect(checkInvariants(q, [made])).toEqual([]);
  });

  it('crew merge ID on a task at review approves and lands it the same way', async () => {
    q = await queueRepo(['T1']);
    const made = await inReview(q, 'T1', { 'src/t1.txt': 'reviewed work\n' });
    const run = runCrew(q.repo.dir, ['merge', 'T1']);
    expect(run.code, run.stderr).toBe(0);
    expect(logEvents(q, 'T1')).toEqual(['started', 'review', 'approved', 'queued', 'merged', 'done']);
    expect(checkInvariants(q, [made])).toEqual([]);
  });

  it('crew approve of a branch that fails the gate on the merge blocks the task with the failure; nothing lands', async () => {
    q = await queueRepo(['T1']);
    const made = await inReview(q, 'T1', { 'src/t1.txt': 'reviewed work\n', 'BAD-T1': 'broken\n' });
    commitCodeOnMain(q, 'moved.txt', 'main moved on\n');
    q.start = q.repo.git('rev-parse', 'main');
    const run = runCrew(q.repo.dir, ['approve', 'T1']);
    expect(run.code).toBe(5);
    expect(run.stdout).toBe(`T1 approved but not landed: sh ${q.side}/gate.sh\n`);
    expect(statusOnMain(q, 'T1')).toBe('blocked');
    expect(logEvents(q, 'T1')).toEqual(['started', 'review', 'approved', 'queued', 'gate-failed', 'blocked']);
    expect(firstParentHistory(q).filter((c) => c.parents.length > 1)).toEqual([]);
    expect(checkInvariants(q, [made])).toEqual([]);
  });

  it('crew reject ID sends the task back to todo with the reason; its branch keeps the work, the queue is untouched', async () => {
    q = await queueRepo(['T1']);
    const made = await inReview(q, 'T1', { 'src/t1.txt': 'rejected work\n' });
    const run = runCrew(q.repo.dir, ['reject', 'T1', '-m', 'needs tests']);
    expect(run).toEqual({ code: 0, stdout: 'T1 rejected: back to todo\n', stderr: '' });
    expect(statusOnMain(q, 'T1')).toBe('todo');
    expect(logEvents(q, 'T1')).toEqual(['started', 'review', 'rejected']);
    expect(q.repo.git('show', 'main:backlog/tasks/T1-task-t1.md')).toContain('needs tests');
    expect(q.repo.git('rev-parse', `refs/heads/${made.branch}`)).toBe(made.tip);
    expect(queueRefs(q)).toEqual([]);
    expect(q.gateRuns()).toEqual([]);
  });
});
