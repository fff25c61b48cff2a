import { describe, expect, it } from 'vitest';
import { judgeLease } from '../../../src/merge-queue/lease-staleness.js';
import type { LeaseRecord } from '../../../src/merge-queue/records.js';

const lease: LeaseRecord = { runner: 'crew merge', host: 'laptop', pid: 4242, since: '2025-01-01T10:00:00.000Z', beat: 3 };
const base = { lease, oid: 'a'.repeat(40), host: 'laptop', leaseMs: 60_000, isAlive: () => true };

describe('judgeLease', () => {
  it('is free when nobody holds the lease', () => {
    expect(judgeLease({ ...base, lease: undefined, oid: undefined, now: 0, previous: undefined })).toEqual({ free: true, reason: 'nobody runs the queue' });
  });

  it('is free at once when the holder is on this host and its process is gone', () => {
    const verdict = judgeLease({ ...base, now: 1000, previous: undefined, isAlive: (pid) => pid !== 4242 });
    expect(verdict).toMatchObject({ free: true, reason: 'its runner (pid 4242 on laptop) is gone' });
  });

  it('is held while the holder lives, counting from when this process first saw the value', () => {
    const first = judgeLease({ ...base, now: 5_000, previous: undefined });
    expect(first).toEqual({ free: false, reason: 'crew merge (pid 4242 on laptop) runs the queue since 2025-01-01T10:00:00.000Z', sighting: { oid: base.oid, firstSeen: 5_000 } });
    const later = judgeLease({ ...base, now: 64_999, previous: first.sighting });
    expect(later.free).toBe(false);
    const expired = judgeLease({ ...base, now: 65_000, previous: first.sighting });
    expect(expired).toMatchObject({ free: true, reason: 'its runner (pid 4242 on laptop) has not renewed it for 60 s' });
  });

  it('restarts the count when the lease changes (a renewal), whatever the holder\'s clock says', () => {
    const seen = { oid: base.oid, firstSeen: 0 };
    const renewed = judgeLease({ ...base, oid: 'b'.repeat(40), now: 100_000, previous: seen });
    expect(renewed).toMatchObject({ free: false, sighting: { oid: 'b'.repeat(40), firstSeen: 100_000 } });
  });

  it('judges another host\'s lease by the lease time only (its pid means nothing here)', () => {
    const remote = { ...lease, host: 'ci-runner' };
    const verdict = judgeLease({ ...base, lease: remote, now: 10, previous: undefined, isAlive: () => false });
    expect(verdict.free).toBe(false);
  });

  it('treats an unreadable lease as free', () => {
    expect(judgeLease({ ...base, lease: undefined, now: 0, previous: undefined })).toMatchObject({ free: true, reason: 'the lease is unreadable' });
  });
});
