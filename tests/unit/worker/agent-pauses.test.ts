import { describe, expect, it } from 'vitest';
import { AgentPauses } from '../../../src/worker/agent-pauses.js';
import { runLogName } from '../../../src/worker/wait-out.js';

describe('AgentPauses', () => {
  it('pauses every worker of one agent until the latest time any of them was told, and no other agent', () => {
    const pauses = new AgentPauses();
    const now = new Date('2026-11-27T14:00:00Z');
    pauses.pause('claude', new Date('2026-11-27T14:05:00Z'));
    pauses.pause('claude', new Date('2026-11-27T14:02:00Z'));
    expect(pauses.pausedUntil('claude', now)?.toISOString()).toBe('2026-11-27T14:05:00.000Z');
    expect(pauses.pausedUntil('codex', now)).toBeUndefined();
    expect(pauses.pausedUntil('claude', new Date('2026-11-27T14:05:00Z'))).toBeUndefined();
  });

  it('makes a second worker wait, telling it once, and lets it go when the pause is over', async () => {
    const pauses = new AgentPauses();
    const until = new Date(Date.now() + 150);
    pauses.pause('claude', until);
    const told: Date[] = [];
    const started = Date.now();
    await pauses.wait('claude', () => new Date(), new AbortController().signal, (at) => told.push(at));
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(told).toEqual([until]);
  });

  it('stops waiting at once when the signal aborts', async () => {
    const pauses = new AgentPauses();
    pauses.pause('claude', new Date(Date.now() + 60_000));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    await pauses.wait('claude', () => new Date(), controller.signal, () => undefined);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('runLogName', () => {
  it('keeps every run of an attempt: the first as <attempt>.log, the ones after a wait numbered', () => {
    expect([runLogName(1, 1), runLogName(1, 2), runLogName(3, 4)]).toEqual(['1.log', '1-2.log', '3-4.log']);
  });
});
