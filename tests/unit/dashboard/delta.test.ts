import { describe, expect, it } from 'vitest';
import { applyDashboardDelta, diffDashboardState } from '../../../src/dashboard/delta.js';
import type { BoardTask, DashboardState } from '../../../src/dashboard/state.js';
import { emptyQueue } from '../../../src/views/queue.js';

function task(id: string, fields: Partial<BoardTask> = {}): BoardTask {
  return { id, title: `Task ${id}`, status: 'todo', priority: 'medium', role: 'developer', epic: null, dependsOn: [], review: false, worker: null, lockSince: null, file: `backlog/tasks/${id}.md`, usage: null, ...fields };
}

function state(tasks: BoardTask[], fields: Partial<DashboardState> = {}): DashboardState {
  const counts = { todo: 0, 'in-progress': 0, review: 0, done: 0, blocked: 0 };
  for (const task of tasks) counts[task.status]++;
  return { base: 'main', commit: 'a'.repeat(40), now: '2026-11-27T10:00:00.000Z', tasks, counts, spentUsd: 0, workers: [], queue: emptyQueue, log: [], logTotal: 0, problems: [], ...fields };
}

const line = (n: number) => `2026-11-27 10:00:${String(n).padStart(2, '0')} UTC | w1 | T${n} | started | picked from backlog`;

describe('diffDashboardState', () => {
  it('a claim is one task, where it now sits, and one log line', () => {
    const before = state([task('T1'), task('T2'), task('T3')], { log: [line(1)], logTotal: 1 });
    const claimed = task('T2', { status: 'in-progress', worker: 'w1', lockSince: '2026-11-27T10:00:02Z' });
    const after = state([task('T1'), claimed, task('T3')], { commit: 'b'.repeat(40), now: '2026-11-27T10:00:03.000Z', log: [line(1), line(2)], logTotal: 2 });
    const delta = diffDashboardState(before, after);
    expect(delta).toEqual({
      commit: 'b'.repeat(40),
      now: '2026-11-27T10:00:03.000Z',
      tasks: { upsert: [{ task: claimed, after: 'T1' }], remove: [] },
      counts: { todo: 2, 'in-progress': 1, review: 0, done: 0, blocked: 0 },
      log: { append: [line(2)], keep: 2 },
      logTotal: 2,
    });
    expect(applyDashboardDelta(before, delta!)).toEqual(after);
  });

  it('nothing the page shows changed: no delta (the clock and elapsed times do not count)', () => {
    const worker = { worker: 'w1', pid: 1, host: 'h', task: 'T1', title: 'Task T1', phase: 'agent' as const, attempt: 1, detail: null, phaseSince: '2026-11-27T10:00:00Z', updatedAt: '2026-11-27T10:00:00Z', elapsedMs: 1000, alive: true };
    const before = state([task('T1')], { workers: [worker] });
    expect(diffDashboardState(before, { ...before, now: '2026-11-27T10:05:00.000Z', workers: [{ ...worker, elapsedMs: 300_000 }] })).toBeUndefined();
    const moved = { ...worker, phase: 'gate' as const };
    expect(diffDashboardState(before, state([task('T1')], { workers: [moved] }))).toEqual({ commit: before.commit, now: before.now, workers: [moved] });
  });

  it('removed and added tasks; a full log tail that shifted sends only the new lines', () => {
    const tail = Array.from({ length: 5 }, (_, n) => line(n));
    const before = state([task('T1'), task('T2')], { log: tail, logTotal: 40 });
    const after = state([task('T0', { priority: 'high' }), task('T1')], { log: [...tail.slice(3), line(5), line(6), line(7)], logTotal: 43 });
    const delta = diffDashboardState(before, after)!;
    expect(delta.tasks).toEqual({ upsert: [{ task: task('T0', { priority: 'high' }), after: null }], remove: ['T2'] });
    expect(delta.log).toEqual({ append: [line(5), line(6), line(7)], keep: 5 });
    expect(applyDashboardDelta(before, delta)).toEqual(after);
  });

  it('a log that did not just grow (rotated to a new part) is sent whole', () => {
    const before = state([], { log: [line(1), line(2)], logTotal: 2 });
    const after = state([], { log: [line(3)], logTotal: 1 });
    expect(diffDashboardState(before, after)?.log).toEqual({ replace: [line(3)] });
    expect(applyDashboardDelta(before, diffDashboardState(before, after)!)).toEqual(after);
  });

  it('an order no upsert can say (untouched tasks swapped) sends every task again, in order', () => {
    const before = state([task('T1'), task('T2'), task('T3')]);
    const after = state([task('T3'), task('T2'), task('T1')]);
    const delta = diffDashboardState(before, after)!;
    expect(delta.tasks?.upsert.map(({ task: t, after: a }) => [t.id, a])).toEqual([['T3', null], ['T2', 'T3'], ['T1', 'T2']]);
    expect(applyDashboardDelta(before, delta)).toEqual(after);
  });

  it('on 50,000 tasks a claim sends under 1 KiB', () => {
    const tasks = Array.from({ length: 50_000 }, (_, n) => task(`C${n}`));
    const before = state(tasks);
    const after = state(tasks.map((t) => (t.id === 'C25000' ? { ...t, status: 'in-progress' as const, worker: 'w1' } : t)), { log: [line(1)], logTotal: 1 });
    const delta = diffDashboardState(before, after)!;
    expect(Buffer.byteLength(JSON.stringify(delta))).toBeLessThan(1024);
    expect(applyDashboardDelta(before, delta)).toEqual(after);
  });
});
