import { describe, expect, it } from 'vitest';
import { verdictName, wouldClaim } from '../../../src/workflows/base-gate.js';

describe('wouldClaim', () => {
  it('is any eligible task, or the asked one (ids ignore case)', () => {
    expect(wouldClaim([], undefined)).toBe(false);
    expect(wouldClaim([{ id: 'T1' }], undefined)).toBe(true);
    expect(wouldClaim([{ id: 'T1' }], 't1')).toBe(true);
    expect(wouldClaim([{ id: 'T1' }], 'T2')).toBe(false);
  });
});

describe('verdictName', () => {
  it('changes with the code and with the gate commands, and only with them', () => {
    const name = verdictName(['npm test'], 'tree-a');
    expect(name).toMatch(/^[0-9a-f]{32}\.green$/);
    expect(verdictName(['npm test'], 'tree-a')).toBe(name);
    expect(verdictName(['npm test'], 'tree-b')).not.toBe(name);
    expect(verdictName(['npm test', 'npm run lint'], 'tree-a')).not.toBe(name);
  });
});
