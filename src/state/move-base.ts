import type { WorktreeInfo } from '../git/parse.js';
import { swapRef } from '../git/refs.js';
import type { Workspace } from '../workspace.js';
import { moveCheckout } from './checkout.js';
import { clearMoveRecord, writeMoveRecord } from './move-journal.js';

/** `git update-ref ref new old`: moves the ref only if it still points at `expected`. */
export async function compareAndSwap(ws: Workspace, ref: string, next: string, expected: string, message: string): Promise<boolean> {
  return swapRef(ws.git, ref, next, expected, message.split('\n')[0] ?? '');
}

/**
 * Moves `ref` from `previous` to `next` by compare-and-swap, then brings each checkout of it
 * along (like git's `updateInstead`). Returns false when the swap lost.
 *
 * NOTE: the ref moves first and the checkouts follow, under a record (move-journal.ts) written
 * before and cleared after: a crash at any point leaves the checkouts at most behind the base,
 * and the next state change finishes the move. The other order left crewtree's change staged
 * in the user's checkout, and every later command refused it as the user's.
 */
export async function moveBase(ws: Workspace, ref: string, next: string, previous: string, message: string, checkouts: readonly WorktreeInfo[]): Promise<boolean> {
  // NOTE: wall-clock on purpose: recovery compares it with lock files' mtimes.
  await writeMoveRecord(ws.commonDir, { pid: process.pid, host: ws.host, ref, from: previous, to: next, checkouts: checkouts.map((c) => c.path), at: Date.now() });
  if (!(await compareAndSwap(ws, ref, next, previous, message))) {
    await clearMoveRecord(ws.commonDir);
    return false;
  }
  const moved: WorktreeInfo[] = [];
  try {
    for (const checkout of checkouts) {
      await moveCheckout(checkout, previous, next, ws.config.base);
      moved.push(checkout);
    }
  } catch (error) {
    // A checkout's uncommitted changes are in the way: nothing can have built on `next` while
    // the local lock is held, so the ref goes back, then the checkouts that already moved.
    if (await compareAndSwap(ws, ref, previous, next, `undo ${message}`)) {
      for (const checkout of moved) await moveCheckout(checkout, next, previous, ws.config.base).catch(() => undefined);
      await clearMoveRecord(ws.commonDir);
    }
    throw error;
  }
  await clearMoveRecord(ws.commonDir);
  return true;
}
