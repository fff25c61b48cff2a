import { describe, expect, it } from 'vitest';
import { notifyText } from '../../../src/notify/event.js';

describe('notifyText', () => {
  it('says what happened to which task on one line', () => {
    const base = { task: 'A1', title: 'Add the\nendpoint', branch: 'ai/w1/A1-add', summary: 'landed as 1a2b3c4d' };
    expect(notifyText({ ...base, status: 'done' })).toBe('A1 is done: Add the endpoint (ai/w1/A1-add) - landed as 1a2b3c4d');
    expect(notifyText({ ...base, status: 'review', summary: 'gate passed' })).toBe('A1 waits for review: Add the endpoint (ai/w1/A1-add) - gate passed');
    expect(notifyText({ ...base, status: 'blocked', summary: 'npm test\n exited with 1' })).toBe('A1 is blocked: Add the endpoint (ai/w1/A1-add) - npm test exited with 1');
  });
});
