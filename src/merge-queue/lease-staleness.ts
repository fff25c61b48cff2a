import type { LeaseRecord } from './records.js';

/** When this process first saw the lease ref at its current value, on its own clock. */
export interface LeaseSighting {
  oid: string;
  firstSeen: number;
}

export interface LeaseCheck {
  lease: LeaseRecord | undefined;
  oid: string | undefined;
  /** Milliseconds on the checker's clock. */
  now: number;
  previous: LeaseSighting | undefined;
  host: string;
  leaseMs: number;
  isAlive: (pid: number) => boolean;
}

export type LeaseVerdict = { free: true; reason: string; sighting?: LeaseSighting } | { free: false; reason: string; sighting: LeaseSighting };

/**
 * Whether the queue lease may be taken. The holder's own times are never compared with this
 * clock: a lease counts as abandoned when its process is gone (same host) or when this process
 * has seen it unchanged for the whole lease, so clock skew never frees a live runner's lease.
 */
export function judgeLease(check: LeaseCheck): LeaseVerdict {
  if (check.oid === undefined) return { free: true, reason: 'nobody runs the queue' };
  const sighting = check.previous?.oid === check.oid ? check.previous : { oid: check.oid, firstSeen: check.now };
  const lease = check.lease;
  if (!lease) return { free: true, reason: 'the lease is unreadable', sighting };
  if (lease.host === check.host && !check.isAlive(lease.pid)) {
    return { free: true, reason: `its runner (pid ${lease.pid} on ${lease.host}) is gone`, sighting };
  }
  const unchanged = check.now - sighting.firstSeen;
  if (unchanged >= check.leaseMs) {
    return { free: true, reason: `its runner (pid ${lease.pid} on ${lease.host}) has not renewed it for ${Math.round(unchanged / 1000)} s`, sighting };
  }
  return { free: false, reason: `${lease.runner} (pid ${lease.pid} on ${lease.host}) runs the queue since ${lease.since}`, sighting };
}
