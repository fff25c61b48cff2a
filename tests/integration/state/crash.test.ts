import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { readHeartbeats } from '../../../src/claims/heartbeat.js';
import { sweep } from '../../../src/sweeper/sweep.js';
import { openWorkspace } from '../../../src/workflows/open-workspace.js';
import { runCrew, tempRepo, type TempRepo } from '../../helpers/temp-repo.js';
import { addedLogLines, lockAt, parseLogLine, seedTasks, sleep, startHolder, taskPath, type Holder } from './state-helpers.js';

const LEASE = { CREWTREE_LEASE: '2s' };
const ISO = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z';

let repo: TempRepo;
const holders: Holder[] = [];

function holder(env: Record<string, string>): Holder {
  const started = startHolder(repo.dir, { ...LEASE, ...env });
  holders.push(started);
  return started;
}

afterEach(async () => {
  for (const h of holders.splice(0)) {
    h.child.kill('SIGCONT');
    h.child.kill('SIGKILL');
    await h.exited;
  }
  repo?.cleanup();
});

const lockOf = (path: string) => lockAt(repo, 'main', path);

describe('crash: holders that die or stop are swept; a swept holder cannot land', () => {
  it('sweeps a holder killed with SIGKILL at once (same host, pid gone), keeping its branch', async () => {
    repo = tempRepo({ init: true });
    seedTasks(repo, 2);
    const h = holder({ HOLDER_TASK: 'T1', HOLDER_WORKER: 'holder' });
    const claimed = await h.next('claimed');
    h.child.kill('SIGKILL');
    expect((await h.exited).signal).toBe('SIGKILL');
    const before = repo.git('rev-parse', 'main');

    const dry = runCrew(repo.dir, ['sweep', '--dry-run'], LEASE);
    expect(dry).toMatchObject({ code: 0, stdout: `would sweep T1 (holder): its process ${h.pid} on ${hostname()} is gone; branch ai/holder/T1-task-t1 kept\n` });
    expect(repo.git('rev-parse', 'main')).toBe(before);

    const swept = runCrew(repo.dir, ['sweep'], LEASE);
    expect(swept).toMatchObject({ code: 0, stdout: `swept T1 (holder): its process ${h.pid} on ${hostname()} is gone; branch ai/holder/T1-task-t1 kept\n` });
    const commit = repo.git('rev-parse', 'main');
    expect(repo.git('log', '-1', '--format=%s', commit)).toBe('chore(backlog): sweep T1 [skip ci]');
    expect(repo.git('rev-parse', `${commit}~1`)).toBe(before);
    const task = repo.git('show', `main:${taskPath('T1')}`);
    expect(task).toMatch(/^status: todo$/m);
    expect(task).not.toMatch(/^lock:/m);
    expect(task).toMatch(
      new RegExp(`\\n## Notes\\n\\n- ${ISO} swept by sweeper: its process ${h.pid} on ${hostname()} is gone; branch ai/holder/T1-task-t1 and worktree \\.worktrees/ai/holder/T1-task-t1 kept$`),
    );
    expect(addedLogLines(repo, commit).map(parseLogLine)).toEqual([
      expect.objectContaining({ worker: 'holder', task: 'T1', event: 'swept', detail: `its process ${h.pid} on ${hostname()} is gone` }),
    ]);
    expect(repo.git('rev-parse', 'refs/heads/ai/holder/T1-task-t1')).toBe(claimed.commit);
    expect(runCrew(repo.dir, ['sweep'], LEASE)).toMatchObject({ code: 0, stdout: 'No stale locks.\n' });
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('sweeps a holder stopped (SIGSTOP) past its lease; continued, its landing is refused with exit 4 and main stays', async () => {
    repo = tempRepo({ init: true });
    seedTasks(repo, 2);
    const h = holder({ HOLDER_TASK: 'T1', HOLDER_WORKER: 'stopped' });
    const claimed = await h.next('claimed');
    await sleep(600);
    h.child.kill('SIGSTOP');

    expect(runCrew(repo.dir, ['sweep'], LEASE)).toMatchObject({ code: 0, stdout: 'No stale locks.\n' });
    await sleep(2300);
    const swept = runCrew(repo.dir, ['sweep'], LEASE);
    expect(swept.code).toBe(0);
    expect(swept.stdout).toMatch(/^swept T1 \(stopped\): heartbeat unchanged for \d+ s \(lease 2 s\); branch ai\/stopped\/T1-task-t1 kept\n$/);
    expect(lockOf(taskPath('T1'))).toBeUndefined();

    // Someone else takes the task, then the stopped worker wakes up and tries to land its work.
    const next = runCrew(repo.dir, ['claim', 'T1', '--worker', 'second']);
    expect(next.code, next.stderr).toBe(0);
    const before = repo.git('rev-parse', 'main');
    h.send('land');
    h.child.kill('SIGCONT');
    const refused = await h.next('refused');
    expect(refused).toMatchObject({ code: 'fenced', exitCode: 4 });
    expect(refused.message).toMatch(new RegExp(`^Refused to land T1: its lock is no longer this worker's \\(T1 is locked by second since .+\\)\\. main did not move\\.$`));
    expect((await h.exited).code).toBe(4);
    expect(repo.git('rev-parse', 'main')).toBe(before);
    expect(lockOf(taskPath('T1'))?.worker).toBe('second');
    expect(lockOf(taskPath('T1'))?.token).not.toBe(claimed.token);
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('refuses the landing of a swept holder even when nobody took the task since', async () => {
    repo = tempRepo({ init: true });
    seedTasks(repo, 1);
    const h = holder({ HOLDER_TASK: 'T1', HOLDER_WORKER: 'stopped' });
    await h.next('claimed');
    await sleep(600); // NOTE: a local holder with a live pid and no heartbeat yet is never swept
    h.child.kill('SIGSTOP');
    expect(runCrew(repo.dir, ['sweep'], LEASE).stdout).toBe('No stale locks.\n');
    await sleep(2300);
    expect(runCrew(repo.dir, ['sweep'], LEASE).stdout).toMatch(/^swept T1 /);
    const before = repo.git('rev-parse', 'main');
    h.send('land');
    h.child.kill('SIGCONT');
    expect(await h.next('refused')).toMatchObject({ code: 'fenced', exitCode: 4, message: "Refused to land T1: its lock is no longer this worker's (T1 is no longer locked). main did not move." });
    expect((await h.exited).code).toBe(4);
    expect(repo.git('rev-parse', 'main')).toBe(before);
  });

  it('does not sweep a holder stopped for less than its lease', async () => {
    repo = tempRepo({ init: true });
    seedTasks(repo, 1);
    const env = { CREWTREE_LEASE: '3s' };
    const h = holder({ ...env, HOLDER_TASK: 'T1', HOLDER_WORKER: 'paused' });
    const claimed = await h.next('claimed');
    const ws = await openWorkspace(repo.dir, { env });
    await sleep(900);
    h.child.kill('SIGSTOP');
    expect((await sweep(ws)).swept).toEqual([]);
    await sleep(1000);
    expect((await sweep(ws)).swept).toEqual([]);
    h.child.kill('SIGCONT');
    await sleep(1000);
    expect((await sweep(ws)).swept).toEqual([]);
    await sleep(1000);
    expect((await sweep(ws)).swept).toEqual([]);
    expect(lockOf(taskPath('T1'))?.token).toBe(claimed.token);
    h.send('land');
    expect(await h.next('landed')).toMatchObject({ step: 'landed' });
    expect((await h.exited).code).toBe(0);
    expect(repo.git('show', `main:${taskPath('T1')}`)).toMatch(/^status: done$/m);
  });
});

describe("the sweeper's clock: only its own observations count", () => {
  it('sweeps nothing live when holders recorded times an hour off either way, then sweeps them once they stop', async () => {
    repo = tempRepo({ init: true });
    seedTasks(repo, 3);
    const holdersByTask = [
      holder({ HOLDER_TASK: 'T1', HOLDER_WORKER: 'behind', HOLDER_CLOCK_SHIFT_MS: String(-3_600_000), CREWTREE_HOST: 'box-behind' }),
      holder({ HOLDER_TASK: 'T2', HOLDER_WORKER: 'ahead', HOLDER_CLOCK_SHIFT_MS: String(3_600_000), CREWTREE_HOST: 'box-ahead' }),
      holder({ HOLDER_TASK: 'T3', HOLDER_WORKER: 'local', HOLDER_CLOCK_SHIFT_MS: String(-3_600_000) }),
    ];
    const since = await Promise.all(holdersByTask.map(async (h) => String((await h.next('claimed')).since)));
    const now = Date.now();
    expect(Date.parse(since[0] ?? '') - now).toBeLessThan(-3_500_000);
    expect(Date.parse(since[1] ?? '') - now).toBeGreaterThan(3_500_000);

    // A fake clock for the sweeper, far from everybody's, moved a third of the lease per round.
    let fakeNow = Date.parse('2031-06-01T00:00:00Z');
    const ws = await openWorkspace(repo.dir, { env: LEASE, clock: { now: () => new Date(fakeNow) } });
    expect(ws.config.lease).toBe(2000);
    for (let round = 0; round < 8; round++) {
      expect((await sweep(ws)).swept, `round ${round}`).toEqual([]);
      await sleep(1200);
      fakeNow += 700;
    }
    expect((await readHeartbeats(ws.git)).size).toBe(3);

    // The same sweeper and clock do sweep them once their heartbeats stop: the check above could fail.
    for (const h of holdersByTask) h.child.kill('SIGSTOP');
    const swept: string[] = [];
    for (let round = 0; round < 5 && swept.length < 3; round++) {
      swept.push(...(await sweep(ws)).swept.map((s) => `${s.id}: ${s.reason}`));
      fakeNow += 700;
    }
    expect(swept.sort()).toEqual(['T1: heartbeat unchanged for 2 s (lease 2 s)', 'T2: heartbeat unchanged for 2 s (lease 2 s)', 'T3: heartbeat unchanged for 2 s (lease 2 s)']);
  });
});
