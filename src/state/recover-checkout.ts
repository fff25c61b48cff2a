// Finishing a base move that a crash interrupted (see move-journal.ts). NOTE: a move swaps the
// ref first and then updates each checkout, so after a crash a checkout holds, path by path,
// the state before the move, after it, or a file git was writing when it died. Every path the
// move touched whose file and index entry are one of those states is brought to the base as it
// is now; any other content is the user's, and stays.
import { stat, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { checkoutIndexPaths, hashFiles, headRef, indexEntries, setIndexEntries } from '../git/checkout.js';
import { Git } from '../git/git.js';
import { changedPaths, listTree, resolveCommit } from '../git/objects.js';
import { indexLockPath } from '../git/worktrees.js';
import type { Workspace } from '../workspace.js';
import { isProcessAlive } from '../process/alive.js';
import { clearMoveRecord, readMoveRecord, type MoveRecord } from './move-journal.js';

export interface Recovery {
  record: MoveRecord;
  /** Lock files a killed git child of the move left, removed. */
  staleLocks: string[];
  /** Paths brought to the base, per checkout. */
  fixed: Map<string, string[]>;
  /** Paths left alone because their content is the user's, per checkout. */
  kept: Map<string, string[]>;
}

/** Whether a move record is a crash's leftover: its process is gone (a live one is mid-move). */
export function isAbandoned(record: MoveRecord, host: string): boolean {
  return record.host !== host || record.pid === process.pid || !isProcessAlive(record.pid);
}

/** A lock file that a git child of the move created (not before the move started) and left. */
async function removeIfLeftByMove(path: string, since: number): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  // NOTE: mtimes are wall-clock; the record's `at` is too. A second of slack for coarse mtimes.
  if (!info || info.mtimeMs < since - 1000) return false;
  await rm(path, { force: true });
  return true;
}

const NONE = 'none';

async function blobsAt(checkout: Git, commit: string, paths: readonly string[]): Promise<Map<string, { mode: string; oid: string }>> {
  const entries = await listTree(checkout, commit, paths, { literal: true });
  return new Map(entries.map((entry) => [entry.path, { mode: entry.mode, oid: entry.oid }]));
}

/** Brings the paths where `known` commits and `target` differ to `target` in `checkout`, where the content is crewtree's. */
export async function bringCheckoutTo(checkout: Git, known: readonly string[], target: string): Promise<{ fixed: string[]; kept: string[] }> {
  const cwd = checkout.cwd;
  const changed = new Set<string>();
  for (const commit of known) {
    if (commit === target) continue;
    for (const path of await changedPaths(checkout, commit, target)) changed.add(path);
  }
  const paths = [...changed];
  if (paths.length === 0) return { fixed: [], kept: [] };
  const states = await Promise.all([...known, target].map((commit) => blobsAt(checkout, commit, paths)));
  const wanted = states[states.length - 1] ?? new Map();
  const index = await indexEntries(checkout, paths);
  const present = (await Promise.all(paths.map(async (path) => ((await stat(join(cwd, path)).catch(() => undefined))?.isFile() ? path : undefined)))).filter(
    (path): path is string => path !== undefined,
  );
  const hashed = await hashFiles(checkout, present);
  const onDisk = new Map(present.map((path, i) => [path, hashed[i] ?? '']));
  const fixed: string[] = [];
  const kept: string[] = [];
  for (const path of paths) {
    const allowed = new Set(states.map((state) => state.get(path)?.oid ?? NONE));
    const ours = allowed.has(onDisk.get(path) ?? NONE) && allowed.has(index.get(path) ?? NONE);
    (ours ? fixed : kept).push(path);
  }
  if (fixed.length === 0) return { fixed, kept };
  await setIndexEntries(checkout, new Map(fixed.map((path) => [path, wanted.get(path) ?? null])));
  await checkoutIndexPaths(checkout, fixed.filter((path) => wanted.has(path)));
  for (const path of fixed.filter((path) => !wanted.has(path))) await rm(join(cwd, path), { force: true });
  return { fixed, kept };
}

/**
 * Finishes a move a crash left: removes the lock files its killed git child left, brings each
 * checkout to where the base is now, and clears the record. Runs inside the local state lock.
 */
export async function recoverInterruptedMove(ws: Workspace): Promise<Recovery | undefined> {
  const record = await readMoveRecord(ws.commonDir);
  if (!record || !isAbandoned(record, ws.host)) return undefined;
  const recovery: Recovery = { record, staleLocks: [], fixed: new Map(), kept: new Map() };
  const refLock = join(ws.commonDir, `${record.ref}.lock`);
  if (await removeIfLeftByMove(refLock, record.at)) recovery.staleLocks.push(refLock);
  const current = (await resolveCommit(ws.git, record.ref)) ?? record.from;
  for (const checkout of record.checkouts) {
    const checkoutGit = new Git(checkout);
    if ((await headRef(checkoutGit)) !== record.ref) continue; // gone, or the user switched branches
    const indexLock = await indexLockPath(ws.git, checkout);
    if (await removeIfLeftByMove(indexLock, record.at)) recovery.staleLocks.push(indexLock);
    const { fixed, kept } = await bringCheckoutTo(checkoutGit, [record.from, record.to], current);
    recovery.fixed.set(checkout, fixed);
    if (kept.length) recovery.kept.set(checkout, kept);
  }
  await clearMoveRecord(ws.commonDir);
  return recovery;
}
