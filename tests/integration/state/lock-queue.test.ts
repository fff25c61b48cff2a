import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isMyTurn, STALE_MS, ticketName, type Ticket } from '../../../src/state/lock-queue.js';
import { projectRoot, tempRepo, type TempRepo } from '../../helpers/temp-repo.js';
import { sleep } from './state-helpers.js';

let repo: TempRepo;
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) {
    child.kill('SIGCONT');
    child.kill('SIGKILL');
  }
  await sleep(100);
  repo?.cleanup();
});

const logOf = () => (existsSync(join(repo.dir, 'lock.log')) ? readFileSync(join(repo.dir, 'lock.log'), 'utf8').split('\n').filter(Boolean) : []);
const queued = () => (existsSync(join(repo.dir, '.git/crewtree/state.queue')) ? readdirSync(join(repo.dir, '.git/crewtree/state.queue')).length : 0);

async function until(what: string, check: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; log: ${logOf().join(', ')}`);
    await sleep(20);
  }
}

function lockUser(label: string, env: Record<string, string> = {}): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [join(projectRoot, 'tests', 'fixtures', 'holders', 'lock-user.mjs')], {
    cwd: repo.dir,
    env: { ...process.env, LABEL: label, LOG: join(repo.dir, 'lock.log'), ...env },
    stdio: 'ignore',
  });
  children.push(child);
  return { child, exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
}

describe('isMyTurn', () => {
  const ticket = (at: number, pid: number, age = 0): Ticket => ({ name: ticketName(at, pid, 'ab'), pid, age });
  const alive = (pid: number) => pid !== 666;

  it('waits for every earlier live, fresh ticket', () => {
    const mine = ticket(2000, 2);
    expect(isMyTurn([ticket(1000, 1), mine, ticket(3000, 3)], mine.name, alive)).toBe(false);
    expect(isMyTurn([mine, ticket(3000, 3)], mine.name, alive)).toBe(true);
  });

  it('passes over earlier tickets of processes that are gone or stopped refreshing them', () => {
    const mine = ticket(2000, 2);
    expect(isMyTurn([ticket(1000, 666), mine], mine.name, alive)).toBe(true);
    expect(isMyTurn([ticket(1000, 1, STALE_MS + 1), mine], mine.name, alive)).toBe(true);
    expect(isMyTurn([ticket(1000, 1, STALE_MS - 1), mine], mine.name, alive)).toBe(false);
  });

  it('orders tickets by arrival across digit counts (names are zero-padded)', () => {
    expect(ticketName(999, 1, 'aa') < ticketName(1000, 1, 'aa')).toBe(true);
  });
});

describe('the local state lock serves waiters first come, first served', () => {
  it('lets 5 processes in one at a time, in the order they arrived', async () => {
    repo = tempRepo();
    const go = join(repo.dir, 'go');
    const runs = [lockUser('A', { HOLD_UNTIL: go })];
    await until('A inside', () => logOf().includes('A in'));
    for (const [index, label] of ['B', 'C', 'D', 'E'].entries()) {
      runs.push(lockUser(label));
      await until(`${label} queued`, () => queued() === index + 2);
    }
    writeFileSync(go, '');
    expect(await Promise.all(runs.map((run) => run.exited))).toEqual([0, 0, 0, 0, 0]);
    expect(logOf()).toEqual(['A in', 'A out', 'B in', 'B out', 'C in', 'C out', 'D in', 'D out', 'E in', 'E out']);
    expect(queued()).toBe(0);
  });

  it('passes over a waiter killed in the queue at once, and one stopped in it after a few seconds', async () => {
    repo = tempRepo();
    const go = join(repo.dir, 'go');
    const a = lockUser('A', { HOLD_UNTIL: go });
    await until('A inside', () => logOf().includes('A in'));
    const killed = lockUser('K');
    await until('K queued', () => queued() === 2);
    const stopped = lockUser('S');
    await until('S queued', () => queued() === 3);
    const c = lockUser('C');
    await until('C queued', () => queued() === 4);
    killed.child.kill('SIGKILL');
    stopped.child.kill('SIGSTOP');
    const released = Date.now();
    writeFileSync(go, '');
    await until('C inside', () => logOf().includes('C in'), STALE_MS + 10_000);
    const waited = Date.now() - released;
    expect(waited).toBeGreaterThan(STALE_MS - 2000);
    stopped.child.kill('SIGCONT');
    expect(await Promise.all([a.exited, c.exited, stopped.exited])).toEqual([0, 0, 0]);
    expect(logOf()).toEqual(['A in', 'A out', 'C in', 'C out', 'S in', 'S out']);
    expect(queued()).toBe(0);
  });
});

describe('a holder killed inside the local state lock', () => {
  it('is passed over at once by the next process, not after the lock file goes stale', async () => {
    repo = tempRepo();
    const a = lockUser('A', { HOLD_UNTIL: join(repo.dir, 'never') });
    await until('A inside', () => logOf().includes('A in'));
    a.child.kill('SIGKILL');
    await a.exited;
    expect(existsSync(join(repo.dir, '.git/crewtree/state.lock'))).toBe(true);
    const killed = Date.now();
    const b = lockUser('B');
    expect(await b.exited).toBe(0);
    // NOTE: proper-lockfile alone would wait out its 5 s `stale`; node's start-up is most of this.
    expect(Date.now() - killed).toBeLessThan(STALE_MS - 2000);
    expect(logOf()).toEqual(['A in', 'B in', 'B out']);
    expect(existsSync(join(repo.dir, '.git/crewtree/state.lock'))).toBe(false);
    expect(existsSync(join(repo.dir, '.git/crewtree/state.lock.pid'))).toBe(false);
  });
});
