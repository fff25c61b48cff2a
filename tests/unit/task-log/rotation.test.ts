import { describe, expect, it } from 'vitest';
import { formatTaskEvent, type TaskEvent } from '../../../src/task-log/events.js';
import { archivePartPath, isArchivePart, LOG_PART_LIMIT, logFilesAfter } from '../../../src/task-log/rotation.js';

const now = new Date(Date.UTC(2026, 10, 27, 16, 30, 5, 123));
const event: TaskEvent = { time: now, worker: 'w1', task: 'A1', event: 'started', detail: 'picked from backlog' };
const line = formatTaskEvent(event) + '\n';

describe('the task log layout', () => {
  it('appends to task.log while it stays under the part limit', () => {
    expect(logFilesAfter('backlog', 'old\n', [event], now)).toEqual(new Map([['backlog/task.log', `old\n${line}`]]));
    expect(logFilesAfter('backlog', '', [event], now)).toEqual(new Map([['backlog/task.log', line]]));
  });

  it('moves task.log, unchanged, to an archived part once it would pass the limit, and starts it again', () => {
    const full = line.repeat(Math.ceil(LOG_PART_LIMIT / line.length));
    const files = logFilesAfter('backlog', full, [event], now);
    expect([...files.keys()]).toEqual(['backlog/log/2026-11-27-163005-123.log', 'backlog/task.log']);
    expect(files.get('backlog/log/2026-11-27-163005-123.log')).toBe(full);
    expect(files.get('backlog/task.log')).toBe(line);
  });

  it('names parts so that name order is time order, and knows them from other files', () => {
    const earlier = archivePartPath('backlog', new Date(Date.UTC(2026, 8, 1, 9, 5, 7, 4)));
    expect(earlier).toBe('backlog/log/2026-09-01-090507-004.log');
    expect(earlier < archivePartPath('backlog', now)).toBe(true);
    expect(isArchivePart(earlier, 'backlog')).toBe(true);
    expect(isArchivePart('backlog/log/sub/x.log', 'backlog')).toBe(false);
    expect(isArchivePart('backlog/task.log', 'backlog')).toBe(false);
  });
});
