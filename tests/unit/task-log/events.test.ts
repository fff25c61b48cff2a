import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appendTaskEvents, formatTaskEvent, parseTaskEvent, parseTaskLog, taskEventNames, type TaskEvent } from '../../../src/task-log/events.js';

const at = new Date('2025-12-02T11:03:23.456Z');

describe('formatTaskEvent: YYYY-MM-DD HH:MM:SS UTC | worker | ID | event | detail', () => {
  it('writes the line of design section 6', () => {
    expect(formatTaskEvent({ time: at, worker: 'codex-dev', task: 'A32', event: 'started', detail: 'picked from backlog' })).toBe(
      '2025-12-02 11:03:23 UTC | codex-dev | A32 | started | picked from backlog',
    );
  });

  it('keeps one event on one line: newlines become spaces, a | in a field becomes /', () => {
    expect(formatTaskEvent({ time: at, worker: 'a|b', task: 'A1', event: 'blocked', detail: 'gate failed:\nnpm test | exit 1\r\n' })).toBe(
      '2025-12-02 11:03:23 UTC | a/b | A1 | blocked | gate failed: npm test / exit 1',
    );
  });

  it('writes - for a missing worker and an empty detail as nothing', () => {
    expect(formatTaskEvent({ time: at, worker: '', task: 'A1', event: 'released', detail: '' })).toBe('2025-12-02 11:03:23 UTC | - | A1 | released | ');
  });
});

describe('parseTaskEvent and parseTaskLog', () => {
  it('reads back what it wrote, to the second', () => {
    const line = '2025-12-02 11:03:23 UTC | codex-dev | A32 | swept | heartbeat unchanged for 3 min (lease 2 min)';
    expect(parseTaskEvent(line)).toEqual({
      time: new Date('2025-12-02T11:03:23Z'),
      worker: 'codex-dev',
      task: 'A32',
      event: 'swept',
      detail: 'heartbeat unchanged for 3 min (lease 2 min)',
    });
  });

  it('reads a line whose trailing space after an empty detail was trimmed by an editor', () => {
    expect(parseTaskEvent('2025-12-02 11:03:23 UTC | - | A1 | released |')).toEqual({ time: new Date('2025-12-02T11:03:23Z'), worker: '-', task: 'A1', event: 'released', detail: '' });
  });

  it('skips blank and foreign lines in a log (a conflict marker, a hand-written comment)', () => {
    const log = [
      '2025-12-02 11:03:23 UTC | w1 | A1 | started | picked from backlog',
      '',
      '<<<<<<< HEAD',
      'not a log line',
      '2025-12-02 11:04:00 UTC | w1 | A1 | released | ',
    ].join('\n');
    expect(parseTaskLog(log).map((e) => `${e.task} ${e.event}`)).toEqual(['A1 started', 'A1 released']);
  });

  it('round-trips any event (300 random ones)', () => {
    const field = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.replace(/[\r\n|]/g, '').trim() !== '');
    fc.assert(
      fc.property(
        fc.record({
          time: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }),
          worker: field,
          task: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,10}$/),
          event: fc.constantFrom(...taskEventNames),
          detail: fc.string({ maxLength: 60 }),
        }),
        (event: TaskEvent) => {
          const parsed = parseTaskEvent(formatTaskEvent(event));
          const clean = (text: string) => text.replace(/[\r\n]+/g, ' ').replace(/\|/g, '/').trim();
          expect(parsed).toEqual({
            time: new Date(Math.floor(event.time.getTime() / 1000) * 1000),
            worker: clean(event.worker),
            task: event.task,
            event: event.event,
            detail: clean(event.detail),
          });
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe('appendTaskEvents', () => {
  const event: TaskEvent = { time: at, worker: 'w', task: 'A1', event: 'done', detail: 'Title' };

  it('appends one line per event and leaves the log alone without events', () => {
    expect(appendTaskEvents('', [event, { ...event, event: 'merged' }])).toBe(
      '2025-12-02 11:03:23 UTC | w | A1 | done | Title\n2025-12-02 11:03:23 UTC | w | A1 | merged | Title\n',
    );
    expect(appendTaskEvents('kept as is', [])).toBe('kept as is');
  });

  it('never glues a line onto a last line that lacks its newline', () => {
    expect(appendTaskEvents('old line', [event])).toBe('old line\n2025-12-02 11:03:23 UTC | w | A1 | done | Title\n');
  });
});
