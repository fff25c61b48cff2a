import { describe, expect, it } from 'vitest';
import { compareTasks, describeReason, pathsOverlap, selectNextTask, sortByRank } from '../../../src/backlog/select.js';
import { makeTask } from './task-builder.js';

const lock = { worker: 'codex-dev', token: 't', branch: 'b', worktree: 'w', host: 'laptop', pid: 4242, since: '2025-12-02T11:03:23Z' };

describe('selectNextTask', () => {
  it('ranks by priority, then file order, then id', () => {
    const tasks = [
      makeTask({ id: 'A3', priority: 'low', order: 0 }),
      makeTask({ id: 'A2', priority: 'medium', order: 1 }),
      makeTask({ id: 'A10', priority: 'high', order: 3 }),
      makeTask({ id: 'A9', priority: 'high', order: 2 }),
      makeTask({ id: 'B1', priority: 'high', order: 2 }),
    ];
    const selection = selectNextTask(tasks);
    expect(selection.eligible.map((t) => t.id)).toEqual(['A9', 'B1', 'A10', 'A2', 'A3']);
    expect(selection.pick?.id).toBe('A9');
    expect(selection.ineligible).toEqual([]);
  });

  it('gives every reason a task is not eligible: status, lock holder, unfinished dependencies, role, paths', () => {
    const tasks = [
      makeTask({ id: 'A1', status: 'done' }),
      makeTask({ id: 'A2', status: 'in-progress', lock }),
      makeTask({ id: 'A3', dependsOn: ['A1', 'A2', 'A4'] }),
      makeTask({ id: 'A4', role: 'architect', status: 'review' }),
      makeTask({ id: 'A5', paths: ['services/events/**'] }),
      makeTask({ id: 'A6', priority: 'low' }),
    ];
    const selection = selectNextTask(tasks, { role: 'developer', busyPaths: [{ id: 'A2', paths: ['services/**'] }] });
    expect(selection.pick?.id).toBe('A6');
    expect(selection.ineligible.map((c) => [c.task.id, c.reasons.map(describeReason)])).toEqual([
      ['A1', ['status is done']],
      ['A2', ['status is in-progress', 'locked by codex-dev since 2025-12-02T11:03:23Z (pid 4242 on laptop)']],
      ['A3', ['waiting on A2, A4']],
      ['A4', ['status is review', 'for role architect']],
      ['A5', ['paths overlap running A2']],
    ]);
  });

  it('without a role, a task of any role is eligible; with one, only that role', () => {
    const tasks = [makeTask({ id: 'A1', role: 'architect', priority: 'high' }), makeTask({ id: 'A2' })];
    expect(selectNextTask(tasks).pick?.id).toBe('A1');
    expect(selectNextTask(tasks, { role: 'developer' }).pick?.id).toBe('A2');
    expect(selectNextTask(tasks, { role: 'test-coverage' }).pick).toBeUndefined();
  });

  it('a todo task that still carries a lock is not eligible', () => {
    const selection = selectNextTask([makeTask({ id: 'A1', lock })]);
    expect(selection.pick).toBeUndefined();
    expect(selection.ineligible[0]?.reasons).toEqual([{ kind: 'locked', worker: 'codex-dev', host: 'laptop', pid: 4242, since: '2025-12-02T11:03:23Z' }]);
  });
});

describe('pathsOverlap', () => {
  it('compares the literal directories of globs, conservatively', () => {
    expect(pathsOverlap(['src/api/**'], ['src/api/users.ts'])).toBe(true);
    expect(pathsOverlap(['src/api/**'], ['src/**'])).toBe(true);
    expect(pathsOverlap(['src/*.ts'], ['src/*.md'])).toBe(true);
    expect(pathsOverlap(['src/api/**'], ['src/apiary/**'])).toBe(false);
    expect(pathsOverlap(['docs/**'], ['src/**'])).toBe(false);
    expect(pathsOverlap([], ['src/**'])).toBe(false);
  });
});

describe('sortByRank', () => {
  it('orders exactly as compareTasks does, with and without ordinals, in file order or not', () => {
    const priorities = ['high', 'medium', 'low'] as const;
    const tasks = Array.from({ length: 60 }, (_, n) => makeTask({ id: `R${n}`, order: n, priority: priorities[(n * 7) % 3] }));
    expect(sortByRank([...tasks])).toEqual([...tasks].sort(compareTasks));
    expect(sortByRank([...tasks].reverse())).toEqual([...tasks].sort(compareTasks));
    const ordinals = tasks.map((task, n) => (n % 5 === 0 ? { ...task, ordinal: 60 - n } : task));
    expect(sortByRank([...ordinals])).toEqual([...ordinals].sort(compareTasks));
    const unprioritized = tasks.map((task, n) => (n % 4 === 0 ? { ...task, priorityGiven: false, statusWords: { todo: 'To Do', 'in-progress': 'In Progress', review: 'Review', done: 'Done', blocked: 'Blocked' } } : task));
    expect(sortByRank([...unprioritized])).toEqual([...unprioritized].sort(compareTasks));
  });
});
