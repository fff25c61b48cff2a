import { randomBytes } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { mkdir, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isProcessAlive as isAlive } from '../process/alive.js';
import { sleep } from '../process/sleep.js';

/** A ticket in the queue: its file name sorts by arrival; the pid says whose it is. */
export interface Ticket {
  name: string;
  pid: number;
  /** Milliseconds since its holder last showed it is still waiting. */
  age: number;
}

/** A waiter refreshes its ticket this often; one not refreshed for `STALE_MS` is passed over. */
const REFRESH_MS = 1000;
export const STALE_MS = 5000;
/** Waiters are woken by arrivals and departures; this poll only catches missed events and stale tickets. */
const POLL_MS = 500;
const POLL_UNWATCHED_MS = 50;

export function ticketName(now: number, pid: number, nonce: string): string {
  return `${String(now).padStart(15, '0')}-${nonce}-${pid}`;
}

export function parseTicket(name: string, mtimeMs: number, now: number): Ticket | undefined {
  const match = /^\d{15}-[0-9a-f]+-(\d+)$/.exec(name);
  return match ? { name, pid: Number(match[1]), age: now - mtimeMs } : undefined;
}

/**
 * Whether `mine` is next: every ticket that arrived earlier belongs to a process that is gone
 * or has stopped refreshing it (stopped or hung), so nobody waits behind it for ever.
 */
export function isMyTurn(tickets: readonly Ticket[], mine: string, isAlive: (pid: number) => boolean): boolean {
  return tickets.every((ticket) => ticket.name >= mine || ticket.age > STALE_MS || !isAlive(ticket.pid));
}


/** The tickets that arrived before `mine` (only those can make it wait). */
async function readEarlierTickets(dir: string, mine: string): Promise<Ticket[]> {
  const now = Date.now();
  const names = (await readdir(dir)).filter((name) => name < mine);
  const tickets = await Promise.all(
    names.map(async (name) => {
      const info = await stat(join(dir, name)).catch(() => undefined);
      return info ? parseTicket(name, info.mtimeMs, now) : undefined;
    }),
  );
  return tickets.filter((ticket): ticket is Ticket => ticket !== undefined);
}

/**
 * Queues this process in `dir` and resolves when it is first in line; the returned function
 * leaves the queue. NOTE: first come, first served: a plain lock file goes to whoever polls at
 * the right moment, and with many waiters some waited many times longer than the rest.
 */
export async function waitForTurn(dir: string): Promise<() => Promise<void>> {
  await mkdir(dir, { recursive: true });
  const name = ticketName(Date.now(), process.pid, randomBytes(4).toString('hex'));
  const path = join(dir, name);
  await writeFile(path, '');
  const refresh = setInterval(() => {
    const now = new Date();
    utimes(path, now, now).catch(() => undefined);
  }, REFRESH_MS);
  refresh.unref();
  const leave = async () => {
    clearInterval(refresh);
    await rm(path, { force: true });
  };
  let changed = false;
  let wake: () => void = () => undefined;
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dir, (event) => {
      if (event !== 'rename') return;
      changed = true;
      wake();
    });
  } catch {
    watcher = undefined;
  }
  try {
    for (;;) {
      changed = false;
      const tickets = await readEarlierTickets(dir, name);
      if (isMyTurn(tickets, name, isAlive)) return leave;
      for (const ticket of tickets) if (!isAlive(ticket.pid)) await rm(join(dir, ticket.name), { force: true });
      if (changed) continue;
      // NOTE: a change in the folder (a ticket gone) ends the wait early.
      const early = new AbortController();
      wake = () => early.abort();
      await sleep(watcher ? POLL_MS : POLL_UNWATCHED_MS, early.signal);
      wake = () => undefined;
    }
  } catch (error) {
    await leave();
    throw error;
  } finally {
    watcher?.close();
  }
}
