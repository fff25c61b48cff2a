import { describe, expect, it } from 'vitest';
import { endEvent, eventOfLine } from '../../../src/views/follow-log.js';
import { dispatchedWorkerGone } from '../../../src/workflows/dispatch.js';

const line = (event: string) => `2026-11-27 20:00:00 UTC | w1 | T1 | ${event} | detail | with bars`;

describe('following a task', () => {
  it('reads the event field of a task-log line', () => {
    expect(eventOfLine(line('gate-passed'))).toBe('gate-passed');
  });

  it('ends at the first end event among the new lines, and never without ends to look for', () => {
    const ends = ['done', 'review', 'blocked'];
    expect(endEvent([line('merged'), line('done')], ends)).toBe('done');
    expect(endEvent([line('released'), line('started')], ends)).toBeUndefined();
    expect(endEvent([line('done')], undefined)).toBeUndefined();
  });

  it("judges a dispatched worker gone only on its own host", () => {
    const record = { pid: 4242, host: 'laptop', log: 'x' };
    expect(dispatchedWorkerGone(record, 'laptop', () => false)).toBe(true);
    expect(dispatchedWorkerGone(record, 'laptop', () => true)).toBe(false);
    expect(dispatchedWorkerGone(record, 'server', () => false)).toBe(false);
  });
});
