import type { Backlog } from '../backlog/backlog.js';
import { isDialectTaskFile } from '../backlog/dialect.js';
import { statusUnder } from '../git/checkout.js';
import type { Git } from '../git/git.js';
import type { BacklogMemo } from '../state/backlog-memo.js';
import { openStateMemo, stateMemo } from '../state/state-memo.js';
import { readSnapshot, type StateSnapshot } from '../state/snapshot.js';
import { readBase } from '../state/transaction.js';
import type { Workspace } from '../workspace.js';

/**
 * Task files in the checkout at `root` that differ from what is committed (edited by hand, not
 * yet committed): crewtree reads the base branch, so they do not count yet. One `git status`
 * limited to the tasks folder.
 */
export async function uncommittedTaskFiles(git: Git, backlog: Pick<Backlog, 'dialect'>, backlogDir: string): Promise<string[]> {
  const entries = (await statusUnder(git, `${backlogDir}/tasks`)) ?? [];
  return entries.map((entry) => entry.path).filter((path) => isDialectTaskFile(backlog.dialect, path.slice(path.lastIndexOf('/') + 1))).sort();
}

export interface ReadBacklog extends Backlog {
  snapshot: StateSnapshot;
  /** Task files changed in the user's checkout but not committed: not part of what was read. */
  uncommitted: string[];
}

/**
 * The backlog as workers see it: the task files on the base branch. Tolerant: files with
 * problems are quarantined and listed in `problems`, everything else is there to use.
 */
export async function readBacklog(ws: Workspace): Promise<ReadBacklog> {
  const snapshot = await readCachedSnapshot(ws);
  const uncommitted = await uncommittedTaskFiles(ws.git, snapshot.backlog, ws.config.backlog);
  return { ...snapshot.backlog, snapshot, uncommitted };
}

/** The state at `commit` (default: the base), reading only the files the memo has not seen. */
export async function readCachedSnapshot(ws: Workspace, commit?: string): Promise<StateSnapshot> {
  const memo = await stateMemo(ws);
  const snapshot = await readSnapshot(ws.git, commit ?? (await readBase(ws)), ws.config.backlog, memo);
  await memo.save();
  return snapshot;
}

/**
 * Snapshots for a long-lived reader (the dashboard): one memo for every read, so a read after a
 * claim fetches and parses only the files that changed. The memo on disk is written when it
 * has drifted far from what was read (see BacklogMemo.save).
 */
export function snapshotReader(ws: Workspace): (commit: string) => Promise<StateSnapshot> {
  let memo: Promise<BacklogMemo> | undefined;
  return async (commit) => {
    memo ??= openStateMemo(ws.commonDir, ws.config.backlog);
    const memory = await memo;
    const snapshot = await readSnapshot(ws.git, commit, ws.config.backlog, memory);
    await memory.save();
    return snapshot;
  };
}
