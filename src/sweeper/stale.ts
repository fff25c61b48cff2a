import type { TaskLock } from '../backlog/task.js';
import type { Heartbeat } from '../claims/heartbeat.js';

/** What this sweeper last saw of a lock, timed on its own clock. */
export interface Observation {
  token: string;
  heartbeat: string | null;
  /** Milliseconds on the sweeper's clock when it first saw this (token, heartbeat) pair. */
  firstSeen: number;
}

export interface StaleLock {
  id: string;
  token: string;
  reason: string;
}

export interface StaleInput {
  locks: { id: string; lock: TaskLock }[];
  heartbeats: ReadonlyMap<string, Heartbeat>;
  observations: Readonly<Record<string, Observation>>;
  now: number;
  host: string;
  leaseMs: number;
  isAlive: (pid: number) => boolean;
}

function seconds(ms: number): string {
  return ms >= 120_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`;
}

/**
 * Which locks are stale. A lock's own times are never compared with this clock: a heartbeat
 * counts as stopped only when this sweeper has seen it unchanged for the whole lease.
 */
export function findStaleLocks(input: StaleInput): { stale: StaleLock[]; observations: Record<string, Observation> } {
  const observations: Record<string, Observation> = {};
  const stale: StaleLock[] = [];
  for (const { id, lock } of input.locks) {
    const beat = input.heartbeats.get(id);
    const heartbeat = beat && beat.token === lock.token ? beat.oid : null;
    const previous = input.observations[id];
    const observation =
      previous && previous.token === lock.token && previous.heartbeat === heartbeat ? previous : { token: lock.token, heartbeat, firstSeen: input.now };
    observations[id] = observation;
    const sameHost = lock.host === input.host;
    const unchangedFor = input.now - observation.firstSeen;
    if (sameHost && !input.isAlive(lock.pid)) {
      stale.push({ id, token: lock.token, reason: `its process ${lock.pid} on ${lock.host} is gone` });
    } else if (heartbeat === null && sameHost) {
      continue; // a live local holder that never promised heartbeats: its pid is the signal
    } else if (unchangedFor >= input.leaseMs) {
      const what = heartbeat === null ? 'no heartbeat seen' : 'heartbeat unchanged';
      stale.push({ id, token: lock.token, reason: `${what} for ${seconds(unchangedFor)} (lease ${seconds(input.leaseMs)})` });
    }
  }
  return { stale, observations };
}

