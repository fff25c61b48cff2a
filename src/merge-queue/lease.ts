import { readBlobs, writeBlob } from '../git/objects.js';
import { isProcessAlive } from '../process/alive.js';
import type { Workspace } from '../workspace.js';
import { judgeLease, type LeaseSighting, type LeaseVerdict } from './lease-staleness.js';
import { leaseSchema, parseRecord, type LeaseRecord } from './records.js';
import { ZERO_OID, readRef, updateRefs } from '../git/refs.js';
import { LEASE_REF } from './refs.js';

export interface CurrentLease {
  oid: string | undefined;
  lease: LeaseRecord | undefined;
}

export async function readLease(ws: Workspace): Promise<CurrentLease> {
  const oid = await readRef(ws.git, LEASE_REF);
  if (!oid) return { oid: undefined, lease: undefined };
  return { oid, lease: parseRecord(leaseSchema, (await readBlobs(ws.git, [oid])).get(oid) ?? '') };
}

/** Watches the lease from outside, remembering its sightings, to judge when it may be taken. */
export class LeaseWatcher {
  private sighting: LeaseSighting | undefined;
  /** Why the lease was or was not free at the last check. */
  lastReason = '';

  constructor(
    private readonly ws: Workspace,
    private readonly isAlive: (pid: number) => boolean = isProcessAlive,
  ) {}

  async check(): Promise<LeaseVerdict & CurrentLease> {
    const current = await readLease(this.ws);
    const verdict = judgeLease({ ...current, now: this.ws.clock.now().getTime(), previous: this.sighting, host: this.ws.host, leaseMs: this.ws.config.lease, isAlive: this.isAlive });
    this.sighting = verdict.sighting;
    this.lastReason = verdict.reason;
    return { ...verdict, ...current };
  }

  /** Takes the lease if it is free now; undefined when someone else holds it (or won the race). */
  async tryAcquire(runner: string): Promise<HeldLease | undefined> {
    const verdict = await this.check();
    if (!verdict.free) return undefined;
    const record: LeaseRecord = { runner, host: this.ws.host, pid: process.pid, since: this.ws.clock.now().toISOString(), beat: 0 };
    const oid = await writeBlob(this.ws.git, JSON.stringify(record));
    const taken = await updateRefs(this.ws.git, [{ ref: LEASE_REF, to: oid, from: verdict.oid ?? ZERO_OID }], `queue lease taken by ${runner}`);
    return taken ? new HeldLease(this.ws, oid, record, verdict.oid ? verdict.reason : undefined) : undefined;
  }
}

/**
 * The lease while this process holds it: renewed on a timer (every quarter lease) so watchers
 * see it change; `signal` aborts when another process took it over, and the holder stops.
 */
export class HeldLease {
  private readonly controller = new AbortController();
  private chain: Promise<unknown> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly ws: Workspace,
    private oid: string,
    private record: LeaseRecord,
    /** Why the previous holder's lease was taken over, if there was one. */
    readonly tookOver: string | undefined,
  ) {
    this.timer = setInterval(() => void this.renew().catch(() => undefined), Math.max(200, Math.floor(ws.config.lease / 4)));
    this.timer.unref();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get lost(): boolean {
    return this.controller.signal.aborted;
  }

  /** Renews (optionally saying what is being gated); false once the lease is lost. */
  renew(gating?: LeaseRecord['gating'] | null): Promise<boolean> {
    const next = this.chain.then(() => this.swap(gating));
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async swap(gating: LeaseRecord['gating'] | null | undefined): Promise<boolean> {
    if (this.lost) return false;
    const record: LeaseRecord = { ...this.record, beat: this.record.beat + 1 };
    if (gating === null) delete record.gating;
    else if (gating) record.gating = gating;
    const oid = await writeBlob(this.ws.git, JSON.stringify(record));
    if (await updateRefs(this.ws.git, [{ ref: LEASE_REF, to: oid, from: this.oid }], `queue lease renewed by ${record.runner}`)) {
      this.oid = oid;
      this.record = record;
      return true;
    }
    // NOTE: a failed swap can be lock contention with a would-be taker; only a changed ref means lost.
    if ((await readRef(this.ws.git, LEASE_REF)) !== this.oid) {
      this.controller.abort(new Error('the merge queue lease was taken over by another runner'));
      return false;
    }
    return true;
  }

  async release(): Promise<void> {
    clearInterval(this.timer);
    await this.chain;
    if (!this.lost) await updateRefs(this.ws.git, [{ ref: LEASE_REF, delete: true, from: this.oid }], `queue lease released by ${this.record.runner}`);
    this.controller.abort(new Error('the merge queue lease was released'));
  }
}
