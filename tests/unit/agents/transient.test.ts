import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseClaudeOutput } from '../../../src/agents/claude.js';
import { parseCodexOutput } from '../../../src/agents/codex.js';
import { decideOutcome } from '../../../src/agents/outcome.js';
import { backoffDelay, classifyApiError, describeTransient, retryTimeIn } from '../../../src/agents/transient.js';

const sample = (name: string) => readFileSync(join(import.meta.dirname, 'samples', name), 'utf8').split('\n');
const now = new Date('2026-11-27T14:00:00Z');
const failedRun = (exitCode: number | null, stoppedBy?: 'idle' | 'timeout') => ({ exitCode, exitSignal: null, durationMs: 1000, ...(stoppedBy ? { stoppedBy } : {}) });

describe('classifyApiError', () => {
  it.each([
    ['Rate limited by the scripted model server', 429, 'rate-limit'],
    ['Overloaded', 529, 'overloaded'],
    // codex 0.169 after its retries of a 500
    ['We’re currently experiencing high demand, which may cause temporary errors.', undefined, 'overloaded'],
    ['Internal server error', 500, 'server-error'],
    ['exceeded retry limit, last status: 503 Service Unavailable', undefined, 'server-error'],
    ['API Error: Connection refused (ECONNREFUSED)', undefined, 'unreachable'],
    ['Claude AI usage limit reached|1795788000', undefined, 'usage-limit'],
    ['[API Error: 429 Too Many Requests] RESOURCE_EXHAUSTED', undefined, 'usage-limit'],
  ] as const)('%s (%s) is %s', (text, status, kind) => {
    expect(classifyApiError(text, now, status)?.kind).toBe(kind);
  });

  it.each([
    ['API Error: 400 prompt is too long', 400],
    ['tests failed: expected 500 to be 501', undefined],
    ['SyntaxError: unexpected token', undefined],
  ] as const)('%s (%s) is the agent\'s own failure', (text, status) => {
    expect(classifyApiError(text, now, status)).toBeUndefined();
  });
});

describe('retryTimeIn', () => {
  it('reads an epoch reset, a clock reset, a retry-after and a try-again-in', () => {
    expect(retryTimeIn('usage limit reached|1795788000', now)?.toISOString()).toBe(new Date(1795788000 * 1000).toISOString());
    expect(retryTimeIn("You've hit your limit · resets 3pm (UTC)", now)?.toISOString()).toBe('2026-11-27T15:00:00.000Z');
    expect(retryTimeIn('limit reached, resets at 13:30', now)?.toISOString()).toBe('2026-11-28T13:30:00.000Z');
    expect(retryTimeIn('retry-after: 30', now)?.toISOString()).toBe('2026-11-27T14:00:30.000Z');
    expect(retryTimeIn('Please try again in 5 minutes.', now)?.toISOString()).toBe('2026-11-27T14:05:00.000Z');
    expect(retryTimeIn('no time here', now)).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  it('doubles from the base up to the cap, waits for a reset when given, and adds up to a quarter of jitter', () => {
    const limit = { kind: 'rate-limit' as const, detail: '' };
    const policy = { baseMs: 1000, maxMs: 5000 };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(limit, n, now, 0, policy))).toEqual([1000, 2000, 4000, 5000, 5000]);
    expect(backoffDelay(limit, 1, now, 1, policy)).toBe(1250);
    expect(backoffDelay({ ...limit, retryAt: new Date('2026-11-27T14:05:00Z') }, 1, now, 0, policy)).toBe(300_000);
  });

  it('says what it waits for as a user reads it', () => {
    expect(describeTransient({ kind: 'rate-limit' }, new Date('2026-11-27T14:05:00Z'))).toBe('rate limited until 14:05');
    expect(describeTransient({ kind: 'unreachable' })).toBe('API unreachable');
  });
});

describe('the real CLIs\' API failures are transient, their own are not', () => {
  const outcome = (parsed: ReturnType<typeof parseClaudeOutput>, exitCode: number | null, stoppedBy?: 'idle' | 'timeout') =>
    decideOutcome({ agent: 'x', command: 'x', run: failedRun(exitCode, stoppedBy), parsed, timeoutMs: 60_000, idleMs: 30_000, tail: '', now });

  it('claude rate limited after its own retries', () => {
    const result = outcome(parseClaudeOutput(sample('claude-rate-limited.jsonl'), 1), 1);
    expect(result.failure).toBe('transient');
    expect(result.transient?.kind).toBe('rate-limit');
    expect(result.reason).toMatch(/^rate limited: /);
  });

  it('claude unable to connect', () => {
    expect(outcome(parseClaudeOutput(sample('claude-unreachable.jsonl'), 1), 1).transient?.kind).toBe('unreachable');
  });

  it('claude answered 400 is not transient', () => {
    expect(outcome(parseClaudeOutput(sample('claude-api-400.jsonl'), 1), 1).failure).toBe('agent-error');
  });

  it('codex rate limited after its own retries', () => {
    const result = outcome(parseCodexOutput(sample('codex-rate-limited.jsonl'), 1), 1);
    expect(result.failure).toBe('transient');
    expect(result.transient?.kind).toBe('rate-limit');
  });

  it('codex reconnecting until crewtree stopped it', () => {
    expect(outcome(parseCodexOutput(sample('codex-unreachable.jsonl'), null), null, 'timeout').transient?.kind).toBe('unreachable');
  });

  it('codex without its key is not transient', () => {
    expect(outcome(parseCodexOutput(sample('codex-turn-failed.jsonl'), 1), 1).failure).toBe('agent-error');
  });
});
