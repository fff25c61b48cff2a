import { describe, expect, it } from 'vitest';
import type { TaskLock } from '../../../src/backlog/task.js';
import type { Heartbeat } from '../../../src/claims/heartbeat.js';
import { findStaleLocks, type Observation, type StaleInput } from '../../../src/sweeper/stale.js';

const LEASE = 120_000;
const T0 = Date.parse('2025-12-02T11:00:00Z');
const HERE = 'laptop';

function lock(overrides: Partial<TaskLock> = {}): TaskLock {
  return {
    worker: 'codex-dev',
    token: 'tok-a',
    branch: 'ai/codex-dev/A32-x',
    worktree: '.worktrees/ai/codex-dev/A32-x',
    host: HERE,
    pid: 4242,
    since: '2025-12-02T11:00:00Z',
    ...overrides,
  };
}

/**
 * A sweeper that keeps its observations between runs, like `crew sweep` does in its file,
 * with a clock and a view of the heartbeat refs the test moves by hand.
 */
class FakeSweeper {
  now = T0;
  observations: Record<string, Observation> = {};
  heartbeats = new Map<string, Heartbeat>();
  alive = new Set<number>([4242]);

  beat(id: string, oid: string, token = 'tok-a'): void {
    this.heartbeats.set(id, { oid, token });
  }

  run(locks: StaleInput['locks']): string[] {
    const result = findStaleLocks({
      locks,
      heartbeats: this.heartbeats,
      observations: this.observations,
      now: this.now,
      host: HERE,
      leaseMs: LEASE,
      isAlive: (pid) => this.alive.has(pid),
    });
    this.observations = result.observations;
    return result.stale.map((s) => `${s.id} ${s.token}: ${s.reason}`);
  }
}

describe('findStaleLocks: the sweeper judges heartbeats only by what it saw, on its own clock', () => {
  it('never sweeps a lock with a heartbeat on first sight, however old its recorded since is', () => {
    const sweeper = new FakeSweeper();
    sweeper.beat('A32', 'beat-1');
    expect(sweeper.run([{ id: 'A32', lock: lock({ since: '2001-01-01T00:00:00Z' }) }])).toEqual([]);
    expect(sweeper.observations).toEqual({ A32: { token: 'tok-a', heartbeat: 'beat-1', firstSeen: T0 } });
  });

  it('keeps a lock whose heartbeat has been unchanged for less than the lease, sweeps it at the lease', () => {
    const sweeper = new FakeSweeper();
    sweeper.beat('A32', 'beat-1');
    const locks = [{ id: 'A32', lock: lock() }];
    sweeper.run(locks);
    sweeper.now = T0 + LEASE - 1;
    expect(sweeper.run(locks)).toEqual([]);
    sweeper.now = T0 + LEASE;
    expect(sweeper.run(locks)).toEqual(['A32 tok-a: heartbeat unchanged for 2 min (lease 2 min)']);
  });

  it('restarts the count whenever the heartbeat changes', () => {
    const sweeper = new FakeSweeper();
    const locks = [{ id: 'A32', lock: lock() }];
    sweeper.beat('A32', 'beat-1');
    sweeper.run(locks);
    sweeper.now = T0 + LEASE - 1000;
    sweeper.beat('A32', 'beat-2');
    expect(sweeper.run(locks)).toEqual([]);
    sweeper.now = T0 + LEASE + 5000;
    expect(sweeper.run(locks)).toEqual([]);
    expect(sweeper.observations.A32?.firstSeen).toBe(T0 + LEASE - 1000);
    sweeper.now = T0 + 2 * LEASE - 1000;
    expect(sweeper.run(locks)).toEqual(['A32 tok-a: heartbeat unchanged for 2 min (lease 2 min)']);
  });

  it('restarts the count when the lock changes hands (a new token), even with the same heartbeat ref', () => {
    const sweeper = new FakeSweeper();
    sweeper.beat('A32', 'beat-1', 'tok-a');
    sweeper.run([{ id: 'A32', lock: lock({ token: 'tok-a' }) }]);
    sweeper.now = T0 + LEASE + 1;
    sweeper.beat('A32', 'beat-1', 'tok-b');
    const next = [{ id: 'A32', lock: lock({ token: 'tok-b' }) }];
    expect(sweeper.run(next)).toEqual([]);
    expect(sweeper.observations.A32).toEqual({ token: 'tok-b', heartbeat: 'beat-1', firstSeen: T0 + LEASE + 1 });
  });

  it("does not count an old holder's heartbeat (another token) as the new holder's", () => {
    const sweeper = new FakeSweeper();
    sweeper.alive.clear();
    const remote = [{ id: 'A32', lock: lock({ token: 'tok-new', host: 'other-machine' }) }];
    sweeper.beat('A32', 'old-beat-1', 'tok-old');
    sweeper.run(remote);
    sweeper.now = T0 + LEASE / 2;
    sweeper.beat('A32', 'old-beat-2', 'tok-old');
    expect(sweeper.run(remote)).toEqual([]);
    sweeper.now = T0 + LEASE;
    sweeper.beat('A32', 'old-beat-3', 'tok-old');
    expect(sweeper.run(remote)).toEqual(['A32 tok-new: no heartbeat seen for 2 min (lease 2 min)']);
  });

  it('keeps a live local holder that has no heartbeat at all: its pid is the signal', () => {
    const sweeper = new FakeSweeper();
    const locks = [{ id: 'A32', lock: lock({ pid: 4242 }) }];
    expect(sweeper.run(locks)).toEqual([]);
    sweeper.now = T0 + 100 * LEASE;
    expect(sweeper.run(locks)).toEqual([]);
  });

  it('sweeps a local holder whose pid is gone at once, heartbeat or not', () => {
    const sweeper = new FakeSweeper();
    sweeper.beat('A1', 'fresh-beat');
    const locks = [
      { id: 'A1', lock: lock({ pid: 111 }) },
      { id: 'A2', lock: lock({ pid: 222, token: 'tok-2' }) },
    ];
    expect(sweeper.run(locks)).toEqual(['A1 tok-a: its process 111 on laptop is gone', 'A2 tok-2: its process 222 on laptop is gone']);
  });

  it('never asks about the pid of a holder on another host; without a heartbeat it is swept only after a lease of watching', () => {
    const sweeper = new FakeSweeper();
    const asked: number[] = [];
    const remote = [{ id: 'B7', lock: lock({ host: 'build-box', pid: 999 }) }];
    const run = () =>
      findStaleLocks({ locks: remote, heartbeats: new Map(), observations: sweeper.observations, now: sweeper.now, host: HERE, leaseMs: LEASE, isAlive: (pid) => (asked.push(pid), false) });
    let result = run();
    sweeper.observations = result.observations;
    expect(result.stale).toEqual([]);
    sweeper.now = T0 + LEASE - 1;
    result = run();
    sweeper.observations = result.observations;
    expect(result.stale).toEqual([]);
    sweeper.now = T0 + LEASE;
    expect(run().stale).toEqual([{ id: 'B7', token: 'tok-a', reason: 'no heartbeat seen for 2 min (lease 2 min)' }]);
    expect(asked).toEqual([]);
  });

  it('ignores the times a holder recorded: since shifted an hour either way changes nothing', () => {
    for (const shift of [-3_600_000, 3_600_000]) {
      const sweeper = new FakeSweeper();
      const since = new Date(T0 + shift).toISOString().replace(/\.\d+Z$/, 'Z');
      const locks = [
        { id: 'A1', lock: lock({ since }) },
        { id: 'B1', lock: lock({ since, host: 'other-machine', token: 'tok-b' }) },
      ];
      for (let step = 0; step < 10; step++) {
        sweeper.beat('A1', `a-${step}`);
        sweeper.beat('B1', `b-${step}`, 'tok-b');
        expect(sweeper.run(locks), `shift ${shift} step ${step}`).toEqual([]);
        sweeper.now += LEASE / 2;
      }
    }
  });

  it('does not sweep when its own clock goes backwards', () => {
    const sweeper = new FakeSweeper();
    const locks = [{ id: 'A32', lock: lock({ host: 'other-machine' }) }];
    sweeper.beat('A32', 'beat-1');
    sweeper.run(locks);
    sweeper.now = T0 - 3_600_000;
    expect(sweeper.run(locks)).toEqual([]);
  });

  it('forgets locks that are gone and judges each lock on its own', () => {
    const sweeper = new FakeSweeper();
    sweeper.beat('A1', 'a');
    sweeper.beat('A2', 'b', 'tok-2');
    sweeper.run([
      { id: 'A1', lock: lock() },
      { id: 'A2', lock: lock({ token: 'tok-2' }) },
    ]);
    sweeper.now = T0 + LEASE;
    sweeper.beat('A2', 'b2', 'tok-2');
    expect(sweeper.run([{ id: 'A2', lock: lock({ token: 'tok-2' }) }])).toEqual([]);
    expect(Object.keys(sweeper.observations)).toEqual(['A2']);
    expect(
      sweeper.run([
        { id: 'A1', lock: lock() },
        { id: 'A2', lock: lock({ token: 'tok-2' }) },
      ]),
    ).toEqual([]);
    expect(sweeper.observations.A1?.firstSeen).toBe(T0 + LEASE);
  });

  it('says how long in seconds under two minutes', () => {
    const locks = [{ id: 'A32', lock: lock({ host: 'other-machine' }) }];
    const result = (now: number, observations: Record<string, Observation>) =>
      findStaleLocks({ locks, heartbeats: new Map([['A32', { oid: 'x', token: 'tok-a' }]]), observations, now, host: HERE, leaseMs: 2000, isAlive: () => true });
    const first = result(T0, {});
    expect(result(T0 + 2500, first.observations).stale.map((s) => s.reason)).toEqual(['heartbeat unchanged for 3 s (lease 2 s)']);
  });
});
