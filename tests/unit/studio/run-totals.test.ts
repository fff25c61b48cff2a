import { describe, expect, it } from 'vitest';
import { addRunTotals, formatRunTotals } from '../../../src/studio/run-totals.js';
import type { TaskRuns } from '../../../src/worker/runs.js';

const runs = (attempts: TaskRuns['attempts']): TaskRuns => ({ attempts, totals: { inputTokens: 0, outputTokens: 0, costUsd: 0 } });
const attempt = (at: string, usage?: { inputTokens: number; outputTokens: number; costUsd?: number }) => ({ attempt: 1, worker: 'w', agent: 'a', ok: true, at, usage });

describe('crew run totals', () => {
  it('adds the tokens and cost of this run only', () => {
    const totals = addRunTotals(
      [runs([attempt('2026-11-27T10:00:00Z', { inputTokens: 999, outputTokens: 9, costUsd: 9 }), attempt('2026-11-27T12:00:00Z', { inputTokens: 12_000, outputTokens: 300, costUsd: 0.04 })]), runs([attempt('2026-11-27T12:01:00Z', { inputTokens: 400, outputTokens: 10, costUsd: 0.0021 })])],
      '2026-11-27T11:00:00Z',
    );
    expect(formatRunTotals(totals)).toBe('tokens: 12,400 in, 310 out; cost: $0.0421');
  });

  it('says "not reported" where no agent reported, never $0.0000', () => {
    expect(formatRunTotals(addRunTotals([runs([attempt('2026-11-27T12:00:00Z')])], '2026-11-27T11:00:00Z'))).toBe('tokens: not reported; cost: not reported');
    expect(formatRunTotals(addRunTotals([runs([attempt('2026-11-27T12:00:00Z', { inputTokens: 5, outputTokens: 1 })])], '2026-11-27T11:00:00Z'))).toBe('tokens: 5 in, 1 out; cost: not reported');
  });
});
