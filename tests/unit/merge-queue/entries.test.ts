import { describe, expect, it } from 'vitest';
import { parseEntryCommit, queueOrder } from '../../../src/merge-queue/entries.js';
import type { EntryRecord } from '../../../src/merge-queue/records.js';

const tip = 'c'.repeat(40);
const record: EntryRecord = { id: 'A1', title: 'One', token: 'beef', branch: 'ai/w/A1-one', worker: 'w', tip, gate: ['npm test'], since: '2025-01-01T00:00:00.000Z' };

function commitText(parents: string[], message: string): string {
  return `tree ${'4b825dc642cb6eb9a060e54bf8d69288fbee4904'}\n${parents.map((p) => `parent ${p}\n`).join('')}author a <a@b> 0 +0000\ncommitter a <a@b> 0 +0000\n\n${message}`;
}

describe('parseEntryCommit', () => {
  it('reads the record of an entry commit whose parent is the recorded tip', () => {
    expect(parseEntryCommit(commitText([tip], JSON.stringify(record)))).toEqual(record);
  });

  it('rejects a commit whose parent is not the recorded tip, or whose message is not a record', () => {
    expect(parseEntryCommit(commitText(['d'.repeat(40)], JSON.stringify(record)))).toBeUndefined();
    expect(parseEntryCommit(commitText([tip], '{"id":"A1"}'))).toBeUndefined();
    expect(parseEntryCommit(commitText([tip], 'not json'))).toBeUndefined();
  });
});

describe('queueOrder', () => {
  it('orders by enqueue time, then by id', () => {
    const a = { ...record, id: 'B', since: '2025-01-01T00:00:01.000Z' };
    const b = { ...record, id: 'A', since: '2025-01-01T00:00:01.000Z' };
    const c = { ...record, id: 'Z', since: '2025-01-01T00:00:00.500Z' };
    expect([a, b, c].sort(queueOrder).map((e) => e.id)).toEqual(['Z', 'A', 'B']);
  });
});
