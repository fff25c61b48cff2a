// A queue entry for pure tests: every field derived from the id.
import type { QueueEntry } from '../../../src/merge-queue/records.js';

export function entry(id: string, extra: Partial<QueueEntry> = {}): QueueEntry {
  return {
    id,
    title: `Task ${id}`,
    token: `tok-${id}`,
    branch: `ai/w/${id}-task`,
    worker: 'w',
    tip: id.toLowerCase().padEnd(40, '0').replace(/[^0-9a-f]/g, 'a'),
    gate: ['npm test'],
    since: '2025-01-01T00:00:00.000Z',
    entry: `e-${id}`,
    ...extra,
  };
}
