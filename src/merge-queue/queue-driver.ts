import type { Workspace } from '../workspace.js';
import { readBlobs } from '../git/objects.js';
import { listRefs } from '../git/refs.js';
import { sleep } from '../process/sleep.js';
import type { QueueEvent } from './events.js';
import { LeaseWatcher } from './lease.js';
import { parseRecord, resultSchema, type QueueEntry, type QueueResult } from './records.js';
import { DEFAULT_POLL_MS, drainWith, type DriveOptions } from './drive.js';

interface Waiter {
  entry: QueueEntry;
  options: DriveOptions;
  signal: AbortSignal | undefined;
  done(result: QueueResult | undefined): void;
  fail(error: unknown): void;
}

/**
 * What one process does for every entry its workers wait on. The first waiter starts a drive:
 * it takes the lease when it is free and drains the queue round after round while anyone here
 * still waits. A waiter's promise is resolved the moment the runner settles its entry (an
 * event, not a poll), so its worker cleans up and claims its next task while the drive lands
 * the neighbours' work. Only while another process holds the lease does the drive poll, once
 * per interval for all the waiters of this process together.
 */
export class QueueDriver {
  private readonly waiters = new Set<Waiter>();
  private readonly watcher: LeaseWatcher;
  private stop = new AbortController();
  private drive: Promise<void> | undefined;
  /** Result blobs read while polling, by oid: a blob never changes. */
  private readonly results = new Map<string, QueueResult | undefined>();

  constructor(
    private readonly ws: Workspace,
    private readonly only: string | undefined,
  ) {
    this.watcher = new LeaseWatcher(ws);
  }

  /** The entry's result once a runner settled it; undefined when `options.signal` aborted first. */
  wait(entry: QueueEntry, options: DriveOptions): Promise<QueueResult | undefined> {
    return new Promise((resolve, reject) => {
      if (options.signal?.aborted) return resolve(undefined);
      const onAbort = () => this.leave(waiter, undefined, 'aborted');
      const waiter: Waiter = {
        entry,
        options,
        signal: options.signal,
        done: (result) => {
          options.signal?.removeEventListener('abort', onAbort);
          resolve(result);
        },
        fail: (error) => {
          options.signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(waiter);
      this.start(options);
    });
  }

  private start(options: DriveOptions): void {
    if (this.drive) return;
    this.stop = new AbortController();
    this.drive = this.run(options).finally(() => {
      this.drive = undefined;
      // NOTE: a waiter that came between the drive's last look and its end starts the next one.
      const [next] = this.waiters;
      if (next) this.start(next.options);
    });
  }

  /** Resolves once no drive runs: a command waits for it before it exits, so the lease is given back. */
  async idle(): Promise<void> {
    while (this.drive) await this.drive.catch(() => undefined);
  }

  private leave(waiter: Waiter, result: QueueResult | undefined, how: 'settled' | 'aborted'): void {
    if (!this.waiters.delete(waiter)) return;
    waiter.done(result);
    // NOTE: the drive stops at once (gate and all) only when every waiter here gave up; when
    // they all got their result it stops after the round, with nothing half done.
    if (how === 'aborted' && [...this.waiters].every((w) => w.signal?.aborted)) this.stop.abort(waiter.signal?.reason);
  }

  private settled(result: QueueResult): void {
    for (const waiter of this.waiters) if (waiter.entry.entry === result.entry) this.leave(waiter, result, 'settled');
  }

  private async run(first: DriveOptions): Promise<void> {
    const onEvent = (event: QueueEvent) => {
      if (event.kind === 'settled') this.settled(event.result);
      first.onEvent?.(event);
    };
    const options: DriveOptions & { wanted: () => boolean } = { ...first, only: this.only, signal: this.stop.signal, onEvent, wanted: () => this.waiters.size > 0 };
    try {
      while (this.waiters.size > 0 && !this.stop.signal.aborted) {
        const drained = await drainWith(this.ws, this.watcher, options);
        if (this.waiters.size === 0) break;
        await this.collect();
        if (this.waiters.size === 0 || !('held' in drained)) continue;
        await sleep(first.pollMs ?? DEFAULT_POLL_MS, this.stop.signal);
      }
    } catch (error) {
      for (const waiter of [...this.waiters]) {
        this.waiters.delete(waiter);
        waiter.fail(error);
      }
    }
  }

  /**
   * Settles the waiters whose entry another runner settled, or whose place in the queue is gone
   * (replaced by a newer entry or removed): two git calls for every waiter of this process.
   */
  private async collect(): Promise<void> {
    const refs = await listRefs(this.ws.git, 'refs/crewtree/');
    const unread = [...this.waiters]
      .map((waiter) => refs.get(`queue-results/${waiter.entry.id}`))
      .filter((oid): oid is string => oid !== undefined && !this.results.has(oid));
    for (const [oid, text] of await readBlobs(this.ws.git, [...new Set(unread)])) this.results.set(oid, parseRecord(resultSchema, text));
    for (const waiter of [...this.waiters]) {
      const { entry } = waiter;
      const resultOid = refs.get(`queue-results/${entry.id}`);
      const result = resultOid ? this.results.get(resultOid) : undefined;
      if (result?.entry === entry.entry) {
        this.leave(waiter, result, 'settled');
      } else if (refs.get(`queue/${entry.id}`) !== entry.entry) {
        const message = `${entry.id}'s place in the merge queue was taken by a newer entry or removed; ${entry.branch} was not landed by this request.`;
        this.leave(waiter, { kind: 'fenced', message, id: entry.id, entry: entry.entry, tip: entry.tip, branch: entry.branch, at: this.ws.clock.now().toISOString() }, 'settled');
      }
    }
  }
}

const drivers = new WeakMap<Workspace, Map<string, QueueDriver>>();

/** The driver of `ws` in this process (one per `only`: `crew merge ID` drives that entry alone). */
export function queueDriver(ws: Workspace, only?: string): QueueDriver {
  let byOnly = drivers.get(ws);
  if (!byOnly) drivers.set(ws, (byOnly = new Map()));
  let driver = byOnly.get(only ?? '');
  if (!driver) byOnly.set(only ?? '', (driver = new QueueDriver(ws, only)));
  return driver;
}

/** Waits for every drive of `ws` in this process to end (and give the lease back). */
export async function queueDriversIdle(ws: Workspace): Promise<void> {
  for (const driver of drivers.get(ws)?.values() ?? []) await driver.idle();
}
