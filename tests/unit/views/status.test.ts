import { describe, expect, it } from 'vitest';
import { parseBacklog } from '../../../src/backlog/backlog.js';
import { renderQueue } from '../../../src/views/status.js';
import { staleLocksOf, workerViews } from '../../../src/views/status-model.js';
import { formatElapsed } from '../../../src/terminal/duration-text.js';
import { renderTable } from '../../../src/views/table.js';
import { taskFile } from '../../integration/views/fixed-backlog.js';

const lock = (pid: number, host: string) => ({ worker: 'w', host, pid, since: '2025-12-02T11:00:00Z', token: 't0k3n' });

describe('formatElapsed', () => {
  it.each([
    [0, '0s'],
    [59_999, '59s'],
    [65_000, '1m 05s'],
    [3_600_000 + 180_000, '1h 03m'],
    [26 * 3_600_000, '1d 02h'],
    [-5_000, '0s'],
  ])('%i ms is %s', (ms, text) => expect(formatElapsed(ms)).toBe(text));
  it('leaves out the space when compact, as the live view shows it', () => {
    expect([5_000, 65_000, 3_780_000].map((ms) => formatElapsed(ms, { compact: true }))).toEqual(['5s', '1m05s', '1h03m']);
  });
});

describe('renderTable', () => {
  it('pads each column to its widest cell and trims line ends', () => {
    expect(renderTable(['A', 'LONG'], [['xyz', ''], ['x', 'y']])).toEqual(['  A    LONG', '  xyz', '  x    y']);
  });
});

describe('staleLocksOf (the sweeper rule, dry run)', () => {
  const backlog = parseBacklog([
    { path: 'backlog/tasks/A1-a.md', text: taskFile({ id: 'A1', title: 'a', status: 'in-progress', lock: lock(111, 'here') }) },
    { path: 'backlog/tasks/A2-b.md', text: taskFile({ id: 'A2', title: 'b', status: 'review', lock: lock(111, 'here') }) },
    { path: 'backlog/tasks/A3-c.md', text: taskFile({ id: 'A3', title: 'c', status: 'in-progress', lock: lock(222, 'here') }) },
    { path: 'backlog/tasks/A4-d.md', text: taskFile({ id: 'A4', title: 'd', status: 'in-progress', lock: lock(111, 'elsewhere') }) },
  ]);
  const input = { tasks: backlog.tasks, heartbeats: new Map(), observations: {}, now: 1_000_000, host: 'here', leaseMs: 60_000, isAlive: (pid: number) => pid === 222 };

  it('names a local lock whose process is gone, but not a task waiting in review or a live holder', () => {
    expect(backlog.problems).toEqual([]);
    expect(staleLocksOf(input)).toEqual([{ task: 'A1', worker: 'w', reason: 'its process 111 on here is gone' }]);
  });

  it('names a remote lock only once the sweeper has seen no heartbeat for the whole lease', () => {
    const observations = { A4: { token: 't0k3n', heartbeat: null, firstSeen: 1_000_000 - 61_000 } };
    expect(staleLocksOf({ ...input, observations }).map((s) => [s.task, s.reason])).toEqual([
      ['A1', 'its process 111 on here is gone'],
      ['A4', 'no heartbeat seen for 61 s (lease 60 s)'],
    ]);
  });
});

describe('workerViews', () => {
  const base = { title: null, detail: null, attempt: null, phase: 'idle' as const, task: null, updatedAt: '2025-12-02T11:00:00Z', phaseSince: '2025-12-02T11:00:00Z' };
  it('checks the pid only for workers on this host', () => {
    const views = workerViews(
      [
        { ...base, worker: 'a', pid: 1, host: 'here' },
        { ...base, worker: 'b', pid: 2, host: 'there' },
      ],
      new Date('2025-12-02T11:00:42Z'),
      'here',
      () => false,
    );
    expect(views.map((v) => [v.worker, v.alive, v.elapsedMs])).toEqual([
      ['a', false, 42_000],
      ['b', null, 42_000],
    ]);
  });
});

describe('renderQueue', () => {
  it('shows the runner, what waits and what happened lately', () => {
    expect(
      renderQueue({
        runner: { worker: 'dev-1', pid: 42, host: 'laptop', since: '2025-12-02T11:00:00Z', gating: ['A1', 'A2'], alive: null },
        waiting: [{ task: 'A3', title: 'x', branch: 'ai/dev-2/A3-x', worker: 'dev-2', since: null }],
        recent: [{ task: 'A1', outcome: 'landed', at: '2025-12-02T10:59:00Z', detail: 'abc12345' }],
      }),
    ).toEqual([
      '  running: dev-1 (pid 42 on laptop) since 2025-12-02 11:00:00 UTC, gating A1 A2',
      '  waiting: A3 ai/dev-2/A3-x (dev-2)',
      '  landed: A1 at 2025-12-02 10:59:00 UTC (abc12345)',
    ]);
    expect(renderQueue({ runner: null, waiting: [], recent: [] })).toEqual([]);
  });
});
