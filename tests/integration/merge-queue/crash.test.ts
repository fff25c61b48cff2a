import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { enqueue, readQueue, type QueueEvent } from '../../../src/merge-queue/index.js';
import { MergeQueueLander } from '../../../src/merge-queue/queue-lander.js';
import { readResult } from '../../../src/merge-queue/results.js';
import { sweep } from '../../../src/sweeper/sweep.js';
import {
  checkInvariants,
  claimAndCommit,
  commitCodeOnMain,
  firstParentHistory,
  logEvents,
  queueRefs,
  queueRepo,
  spawnRunner,
  statusOnMain,
  waitFor,
  type QueueRepo,
  type TaskBranch,
} from './fixture.js';

let q: QueueRepo | undefined;
afterEach(() => q?.cleanup());

const IDS = ['T1', 'T2', 'T3'];

async function threeQueued(repo: QueueRepo): Promise<TaskBranch[]> {
  const made: TaskBranch[] = [];
  for (const id of IDS) made.push(await claimAndCommit(repo, id, { [`src/${id}.txt`]: `work of ${id}\n` }));
  commitCodeOnMain(repo, 'moved.txt', 'main moved on\n');
  repo.start = repo.repo.git('rev-parse', 'main');
  for (const b of made) {
    await enqueue(repo.ws, { task: { id: b.id, title: b.title }, lock: { token: b.token, branch: b.branch, worker: b.worker }, tip: b.tip, gateCommands: repo.ws.config.gate });
  }
  return made;
}

function queueFile(repo: QueueRepo, name: string): string {
  return join(repo.ws.commonDir, 'crewtree', 'queue', name);
}

function parseEvents(stdout: string): QueueEvent[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{"event"'))
    .map((line) => (JSON.parse(line) as { event: QueueEvent }).event);
}

/** How many landing commits on main carry each task's tip. */
function landingsPerTask(repo: QueueRepo, made: TaskBranch[]): Record<string, number> {
  const history = firstParentHistory(repo);
  return Object.fromEntries(made.map((b) => [b.id, history.filter((c) => c.parents.slice(1).includes(b.tip)).length]));
}

describe('crash safety: the queue runner killed with SIGKILL at each step, then run again (3 tasks, 2 runner processes per step)', () => {
  for (const step of ['built', 'gating', 'gated', 'landed'] as const) {
    it(`killed ${step === 'gating' ? 'during the gate' : `at "${step}"`}: nothing half-landed, the next run lands every task exactly once`, async () => {
      q = await queueRepo(IDS);
      const made = await threeQueued(q);
      if (step === 'gating') q.hold();
      const first = spawnRunner(q, step === 'gating' ? {} : { CREWTREE_TEST_PAUSE_AT: step });
      if (step === 'gating') await waitFor(() => q!.isHolding(), 'the gate to start');
      else await waitFor(() => existsSync(queueFile(q!, 'paused')), `the runner to pause at ${step}`);
      first.child.kill('SIGKILL');
      const killed = await first.done;
      expect(killed.signal).toBe('SIGKILL');
      q.release();

      // Nothing half-landed: main is where it was, or (killed right after landing) at one complete landing.
      const afterKill = firstParentHistory(q).filter((c) => c.parents.length > 1);
      if (step === 'landed') {
        expect(afterKill).toHaveLength(1);
        expect(afterKill[0]!.parents.slice(1)).toEqual(made.map((b) => b.tip));
        for (const id of IDS) expect(statusOnMain(q, id)).toBe('done');
      } else {
        expect(afterKill).toEqual([]);
        for (const id of IDS) expect(statusOnMain(q, id)).toBe('in-progress');
      }
      expect(checkInvariants(q, made)).toEqual([]);
      // Every task is still in the queue: nothing was settled.
      expect(queueRefs(q)).toEqual(IDS.map((id) => `refs/crewtree/queue/${id}`));
      expect((await readQueue(q.ws)).runner).toMatchObject({ runner: 'test-runner', alive: false });

      const second = spawnRunner(q);
      const rerun = await second.done;
      expect(rerun.code, rerun.stderr).toBe(0);
      const events = parseEvents(rerun.stdout);
      expect(events[0]).toEqual({ kind: 'took-over', reason: `its runner (pid ${first.child.pid} on ${q.ws.host}) is gone` });
      expect(queueRefs(q)).toEqual([]);
      expect(landingsPerTask(q, made)).toEqual({ T1: 1, T2: 1, T3: 1 });
      for (const id of IDS) {
        expect(statusOnMain(q, id)).toBe('done');
        expect(logEvents(q, id)).toEqual(['started', 'queued', 'merged', 'done']);
        expect(await readResult(q.ws.git, id)).toMatchObject({ kind: 'landed' });
      }
      // Killed after landing: the rerun only settles (no second gate, no second landing).
      if (step === 'landed') expect(events.filter((e) => e.kind === 'gating')).toEqual([]);
      expect(checkInvariants(q, made)).toEqual([]);
      // The dead runner's integration checkout is gone and git no longer lists it.
      expect(readdirSync(join(q.ws.commonDir, 'crewtree', 'queue', 'checkouts'))).toEqual([]);
      expect(q.repo.git('worktree', 'list', '--porcelain')).not.toContain('checkouts');
      expect((await readQueue(q.ws)).runner).toBeUndefined();
    });
  }

  it('merge.strategy squash, killed at "landed": the next run settles each task with its own commit, and lands nothing twice', async () => {
    q = await queueRepo(IDS, { strategy: 'squash' });
    const made = await threeQueued(q);
    const first = spawnRunner(q, { CREWTREE_TEST_PAUSE_AT: 'landed' });
    await waitFor(() => existsSync(queueFile(q!, 'paused')), 'the runner to pause at landed');
    first.child.kill('SIGKILL');
    await first.done;
    const landed = firstParentHistory(q);
    expect(landed.map((c) => [c.subject, c.parents.length])).toEqual(IDS.map((id) => [`feat(${id}): Task ${id.toLowerCase()}`, 1]));
    expect(queueRefs(q)).toEqual(IDS.map((id) => `refs/crewtree/queue/${id}`));

    const rerun = await spawnRunner(q).done;
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(parseEvents(rerun.stdout).filter((e) => e.kind === 'gating' || e.kind === 'batch')).toEqual([]);
    expect(firstParentHistory(q)).toEqual(landed);
    for (const [index, id] of IDS.entries()) expect(await readResult(q.ws.git, id)).toMatchObject({ kind: 'landed', commit: landed[index]!.commit });
    expect(queueRefs(q)).toEqual([]);
    expect(checkInvariants(q, made)).toEqual([]);
  });

  it('a worker waiting for its result takes the lease over when the runner dies, and drains the whole queue', async () => {
    q = await queueRepo(IDS);
    const made = await threeQueued(q);
    const runner = spawnRunner(q, { CREWTREE_TEST_PAUSE_AT: 'built' });
    await waitFor(() => existsSync(queueFile(q!, 'paused')), 'the runner to pause');
    const pausedPid = Number(readFileSync(queueFile(q, 'paused'), 'utf8').split(' ')[1]);
    expect(pausedPid).toBe(runner.child.pid);
    // T3's worker asks to land again (the same tip): its new entry waits behind the live runner.
    const t3 = made[2]!;
    const events: QueueEvent[] = [];
    const lander = new MergeQueueLander(q.ws, { pollMs: 50, onEvent: (event) => events.push(event) });
    const landing = lander.land({
      task: { id: t3.id, title: t3.title } as never,
      lock: { worker: t3.worker, token: t3.token, branch: t3.branch, worktree: '', host: q.ws.host, pid: process.pid, since: '' },
      tip: t3.tip,
      env: {},
      gateCommands: q.ws.config.gate,
      runDir: q.side,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(events).toEqual([]);
    runner.child.kill('SIGKILL');
    await runner.done;
    expect(await landing).toMatchObject({ kind: 'landed' });
    expect(events[0]).toEqual({ kind: 'took-over', reason: `its runner (pid ${runner.child.pid} on ${q.ws.host}) is gone` });
    expect(queueRefs(q)).toEqual([]);
    expect(landingsPerTask(q, made)).toEqual({ T1: 1, T2: 1, T3: 1 });
    expect(checkInvariants(q, made)).toEqual([]);
  });
});

describe('fencing: a task whose lock was swept while its branch waited is not landed', () => {
  it('the swept task is settled as fenced with its branch kept; the others land', async () => {
    q = await queueRepo(['T1', 'T2']);
    const gone = execFileSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).trim();
    const t1 = await claimAndCommit(q, 'T1', { 'src/t1.txt': 'work of T1\n' }, Number(gone));
    const t2 = await claimAndCommit(q, 'T2', { 'src/t2.txt': 'work of T2\n' });
    commitCodeOnMain(q, 'moved.txt', 'main moved on\n');
    q.start = q.repo.git('rev-parse', 'main');
    for (const b of [t1, t2]) {
      await enqueue(q.ws, { task: { id: b.id, title: b.title }, lock: { token: b.token, branch: b.branch, worker: b.worker }, tip: b.tip, gateCommands: q.ws.config.gate });
    }
    const swept = await sweep(q.ws, { actor: 'test' });
    expect(swept.swept.map((s) => s.id)).toEqual(['T1']);
    const drained = spawnRunner(q);
    expect((await drained.done).code).toBe(0);
    expect(await readResult(q.ws.git, 'T1')).toMatchObject({
      kind: 'fenced',
      message: 'Refused to land T1: the lock it was queued with is gone; it is no longer locked (todo). ai/w-t1/T1-task-t1 keeps the work.',
    });
    expect(await readResult(q.ws.git, 'T2')).toMatchObject({ kind: 'landed' });
    expect(statusOnMain(q, 'T1')).toBe('todo');
    // Never taken in by a runner: no queued line, only the sweep.
    expect(logEvents(q, 'T1')).toEqual(['started', 'swept']);
    expect(q.repo.git('rev-parse', `refs/heads/${t1.branch}`)).toBe(t1.tip);
    expect(() => q!.repo.git('merge-base', '--is-ancestor', t1.tip, 'main')).toThrow();
    expect(checkInvariants(q, [t1, t2])).toEqual([]);
    writeFileSync(join(q.side, 'done'), '');
  });
});
