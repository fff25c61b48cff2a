import { describe, expect, it } from 'vitest';
import { markStateOnly } from '../../../src/state/transaction.js';
import { parseJournalLine, pendingEvents, type JournalEntry } from '../../../src/task-log/journal.js';
import { formatTaskEvent, type TaskEvent } from '../../../src/task-log/events.js';
import { checkoutCheck } from '../../../src/views/checkout-check.js';

const event = (second: number, name: TaskEvent['event'], task = 'A1'): TaskEvent => ({ time: new Date(Date.UTC(2026, 10, 27, 12, 0, second)), worker: 'w1', task, event: name, detail: `at ${second}` });

describe('markStateOnly', () => {
  it('ends the subject with the marker and keeps the body', () => {
    expect(markStateOnly('chore(backlog): A1 claimed by w1', '[skip ci]')).toBe('chore(backlog): A1 claimed by w1 [skip ci]');
    expect(markStateOnly('subject\n\nbody\n', '[ci skip]')).toBe('subject [ci skip]\n\nbody\n');
  });
  it('adds nothing when the marker is empty or already there', () => {
    expect(markStateOnly('subject', '')).toBe('subject');
    expect(markStateOnly('subject [skip ci]', '[skip ci]')).toBe('subject [skip ci]');
  });
});

describe('the event journal', () => {
  it('puts waiting events in time order, keeping the order of equal times, and leaves out lines already logged', () => {
    const entries: JournalEntry[] = [
      { file: 'b', events: [event(5, 'committed'), event(5, 'queued')] },
      { file: 'a', events: [event(1, 'setup'), event(3, 'gate-passed')] },
    ];
    const logged = new Set([formatTaskEvent(event(3, 'gate-passed'))]);
    expect(pendingEvents(entries, (e) => logged.has(formatTaskEvent(e))).map((e) => e.event)).toEqual(['setup', 'committed', 'queued']);
  });
  it('skips a torn or foreign line rather than guessing', () => {
    expect(parseJournalLine('{"time":"2026-11-27T12:00:00.000Z","worker":"w","task":"A1","event":"setup","detail":""}')).toMatchObject({ event: 'setup', task: 'A1' });
    expect(parseJournalLine('{"time":"2026-11-27T12:00:00.000Z","worker":"w","task":"A1","event":"setu')).toBeUndefined();
    expect(parseJournalLine('{"time":"yesterday","worker":"w","task":"A1","event":"setup","detail":""}')).toBeUndefined();
    expect(parseJournalLine('{"time":"2026-11-27T12:00:00.000Z","worker":"w","task":"A1","event":"rm -rf","detail":""}')).toBeUndefined();
  });
});

describe('crew doctor: the checkout check', () => {
  const to = 'c0ffee'.padEnd(40, '0');
  it('is quiet when the checkout is in step', () => {
    expect(checkoutCheck({ base: 'main', checkouts: [{ path: '/repo', indexLock: undefined }], interrupted: undefined })).toMatchObject({ summary: '1 checkout of main, in step', problems: [] });
  });
  it('names a move a crash interrupted and the index.lock its killed git child left', () => {
    const check = checkoutCheck({ base: 'main', checkouts: [{ path: '/repo', indexLock: '/repo/.git/index.lock' }], interrupted: { pid: 4242, to, checkouts: ['/repo'] } });
    expect(check.problems.map((p) => p.message)).toEqual([
      'a crewtree process (pid 4242, gone) was killed while moving main to c0ffee00; /repo may be behind main',
      "/repo/.git/index.lock was left by crewtree's git child, killed with its process",
    ]);
    expect(check.problems[0]?.fix).toMatch(/finishes the move by itself and keeps your own edits/);
  });
  it('does not blame crewtree for an index.lock it did not leave', () => {
    const check = checkoutCheck({ base: 'main', checkouts: [{ path: '/repo', indexLock: '/repo/.git/index.lock' }], interrupted: undefined });
    expect(check.problems).toEqual([
      { message: '/repo/.git/index.lock exists: a git command is running in /repo, or one was killed; crewtree did not leave it', fix: 'If no git command is running there, remove it: rm /repo/.git/index.lock' },
    ]);
  });
});
