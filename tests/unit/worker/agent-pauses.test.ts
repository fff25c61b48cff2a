import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
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

describe('AgentPauses shared through a file', () => {
  it('pauses the workers of another crewtree process of the same repository, and only that agent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crewtree-pauses-'));
    try {
      const file = join(dir, 'agent-pauses.json');
      const first = new AgentPauses(file);
      const second = new AgentPauses(file);
      const now = new Date('2026-11-27T14:00:00Z');
      first.pause('claude', new Date('2026-11-27T14:05:00Z'));
      await vi.waitFor(() => expect(existsSync(file)).toBe(true));
      expect(second.pausedUntil('claude', now)?.toISOString()).toBe('2026-11-27T14:05:00.000Z');
      expect(second.pausedUntil('codex', now)).toBeUndefined();
      // An earlier pause told to the second process does not shorten the first one's.
      second.pause('claude', new Date('2026-11-27T14:01:00Z'));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(new AgentPauses(file).pausedUntil('claude', now)?.toISOString()).toBe('2026-11-27T14:05:00.000Z');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a missing or garbled file as no pause', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crewtree-pauses-'));
    try {
      const file = join(dir, 'agent-pauses.json');
      expect(new AgentPauses(file).pausedUntil('claude', new Date())).toBeUndefined();
      writeFileSync(file, '{"claude": "soon"');
      expect(new AgentPauses(file).pausedUntil('claude', new Date())).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
