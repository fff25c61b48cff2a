// proper-lockfile: chosen for a cross-process lock with stale detection (mtime refresh), so a
// crashed holder never blocks the repository for more than a few seconds.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { isProcessAlive } from '../process/alive.js';
import { waitForTurn } from './lock-queue.js';

/**
 * Runs `work` while holding a lock file under `<commonDir>/crewtree/`. It serialises state
 * commits of one machine so the user's checkout moves in step with the base branch; the
 * compare-and-swap on the ref stays the actual guarantee.
 */
export async function withLocalLock<T>(commonDir: string, name: string, work: () => Promise<T>): Promise<T> {
  const dir = join(commonDir, 'crewtree');
  await mkdir(dir, { recursive: true });
  // NOTE: waiters line up first (first come, first served); the lock file below stays the
  // mutual exclusion, and the way past a holder that crashed or stopped.
  const leaveQueue = await waitForTurn(join(dir, `${name}.queue`));
  try {
    return await holdingLockFile(dir, name, work);
  } finally {
    await leaveQueue();
  }
}

async function holdingLockFile<T>(dir: string, name: string, work: () => Promise<T>): Promise<T> {
  const lockPath = join(dir, `${name}.lock`);
  const ownerPath = `${lockPath}.pid`;
  await passOverDeadHolder(lockPath, ownerPath);
  const release = await lockfile.lock(dir, {
    lockfilePath: lockPath,
    realpath: false,
    stale: 5000,
    update: 1000,
    retries: { retries: 2000, minTimeout: 5, maxTimeout: 60, randomize: true },
    // NOTE: a compromised lock only costs ordering; the ref compare-and-swap still guards state.
    onCompromised: () => undefined,
  });
  await writeFile(ownerPath, `${process.pid}\n`).catch(() => undefined);
  try {
    return await work();
  } finally {
    await rm(ownerPath, { force: true });
    await release().catch(() => undefined);
  }
}

/**
 * A holder killed with the lock (SIGKILL, a crash) is passed over at once when its pid is gone,
 * not after proper-lockfile's `stale` time. NOTE: only the first in the queue gets here, so two
 * processes never pass over the same dead holder at once.
 */
async function passOverDeadHolder(lockPath: string, ownerPath: string): Promise<void> {
  const pid = Number((await readFile(ownerPath, 'utf8').catch(() => '')).trim());
  if (!Number.isInteger(pid) || pid <= 0 || isProcessAlive(pid)) return;
  await rm(lockPath, { recursive: true, force: true });
  await rm(ownerPath, { force: true });
}
