import { describe, expect, it } from 'vitest';
import type { Task } from '../../../src/backlog/task.js';
import { batchGate, batchMessage, classifyEntry, queuedDetail, unloggedEntries } from '../../../src/merge-queue/plan.js';
import { entry } from './queue-entry.js';

function task(id: string, extra: Partial<Task> = {}): Task {
  return {
    id,
    title: `Task ${id}`,
    status: 'in-progress',
    priority: 'medium',
    type: 'feat',
    epic: undefined,
    role: 'developer',
    dependsOn: [],
    paths: [],
    labels: [],
    review: false,
    lock: { worker: 'w', token: `tok-${id}`, branch: `ai/w/${id}-task`, worktree: '.worktrees/x', host: 'h', pid: 1, since: '2025-01-01T00:00:00Z' },
    file: `backlog/tasks/${id}.md`,
    order: 0,
    dialect: 'crewtree',
    lines: {},
    ...extra,
  };
}

describe('classifyEntry', () => {
  it('keeps an entry whose task still carries its token waiting (in progress or at review)', () => {
    expect(classifyEntry(entry('A1'), task('A1'))).toEqual({ kind: 'waiting' });
    expect(classifyEntry(entry('A1'), task('A1', { status: 'review' }))).toEqual({ kind: 'waiting' });
  });

  it('fences an entry whose task was swept or re-claimed, naming the new holder', () => {
    const swept = classifyEntry(entry('A1'), task('A1', { status: 'todo', lock: undefined }));
    expect(swept).toEqual({ kind: 'fenced', message: 'Refused to land A1: the lock it was queued with is gone; it is no longer locked (todo). ai/w/A1-task keeps the work.' });
    const other = task('A1');
    other.lock = { ...other.lock!, token: 'new', worker: 'codex-2', pid: 77, host: 'laptop' };
    expect(classifyEntry(entry('A1'), other)).toEqual({
      kind: 'fenced',
      message: 'Refused to land A1: the lock it was queued with is gone; it is now locked by codex-2 (pid 77 on laptop). ai/w/A1-task keeps the work.',
    });
  });

  it('asks whether a done task without the lock was landed already (a crash after landing)', () => {
    expect(classifyEntry(entry('A1'), task('A1', { status: 'done', lock: undefined }))).toEqual({ kind: 'maybe-landed' });
  });

  it('fences an entry whose task left the backlog', () => {
    expect(classifyEntry(entry('A1'), undefined)).toEqual({ kind: 'fenced', message: 'A1 is no longer in the backlog; ai/w/A1-task was not landed.' });
  });
});

describe('batchGate and batchMessage', () => {
  it('runs every command any task of the batch requires, each once', () => {
    expect(batchGate([{ gate: ['npm test'] }, { gate: ['npm test', 'npm run lint'] }, { gate: [] }])).toEqual(['npm test', 'npm run lint']);
  });

  it('names one branch like the serial lander, and several with a Task trailer each', () => {
    expect(batchMessage([{ id: 'A1', title: 'Add  the\nlist', branch: 'ai/w/A1-add' }])).toBe('Merge ai/w/A1-add (A1: Add the list)\n\nTask: A1\n');
    expect(batchMessage([{ id: 'A1', title: 'One', branch: 'ai/w/A1-one' }, { id: 'B2', title: 'Two', branch: 'ai/x/B2-two' }])).toBe(
      'Merge 2 branches: A1, B2\n\n- ai/w/A1-one (A1: One)\n- ai/x/B2-two (B2: Two)\n\nTask: A1\nTask: B2\n',
    );
  });
});

describe('unloggedEntries', () => {
  it('finds entries without a queued line naming them, so a later runner never logs one twice', () => {
    const a = entry('A1', { tip: 'a'.repeat(40), entry: '1'.repeat(40) });
    const b = entry('B2', { tip: 'b'.repeat(40), entry: '2'.repeat(40) });
    expect(queuedDetail(a)).toBe('ai/w/A1-task at aaaaaaaa, entry 11111111');
    const log = [
      `2025-01-01 00:00:00 UTC | w | A1 | queued | ${queuedDetail(a)}`,
      `2025-01-01 00:00:01 UTC | w | B2 | queued | ${queuedDetail({ ...b, entry: '3'.repeat(40) })}`,
      `2025-01-01 00:00:02 UTC | w | B2 | started | picked from backlog`,
    ].join('\n');
    expect(unloggedEntries([a, b], log).map((e) => e.id)).toEqual(['B2']);
    expect(unloggedEntries([a, b], '')).toHaveLength(2);
  });
});
