import { describe, expect, it } from 'vitest';
import { mentionsPath, namedByOutput } from '../../../src/merge-queue/blame.js';

describe('mentionsPath', () => {
  it('finds a path as a whole word, also at the end of an absolute path or before a :line', () => {
    expect(mentionsPath('src/api/users.ts(12,3): error TS2322', 'src/api/users.ts')).toBe(true);
    expect(mentionsPath('at /home/ci/.git/crewtree/queue/checkouts/h-1/src/a.js:10:5', 'src/a.js')).toBe(true);
    expect(mentionsPath('found BAD-T7: this change breaks the build', 'BAD-T7')).toBe(true);
    expect(mentionsPath('FAIL test/users.test.ts.', 'test/users.test.ts')).toBe(true);
  });

  it('does not match inside a longer name', () => {
    expect(mentionsPath('src/api/users.tsx failed', 'src/api/users.ts')).toBe(false);
    expect(mentionsPath('mysrc/a.js failed', 'src/a.js')).toBe(false);
    expect(mentionsPath('BAD-T70 found', 'BAD-T7')).toBe(false);
  });
});

describe('namedByOutput', () => {
  it('names the entries whose changed files the output mentions, ignoring the backlog folder', () => {
    const changed = new Map([
      ['e1', ['src/a.ts', 'backlog/tasks/T1.md']],
      ['e2', ['src/b.ts']],
      ['e3', ['backlog/tasks/T3.md']],
    ]);
    expect(namedByOutput('src/b.ts(3,1): error; see backlog/tasks/T3.md', changed, 'backlog')).toEqual(['e2']);
    expect(namedByOutput('1 test failed', changed, 'backlog')).toEqual([]);
  });
});
