import { assertValid, type Backlog } from '../backlog/backlog.js';
import { readSnapshot, type StateSnapshot } from '../state/snapshot.js';
import { readBase } from '../state/transaction.js';
import type { Workspace } from '../workspace.js';

/** The backlog as workers see it: the task files on the base branch, validated. */
export async function readBacklog(ws: Workspace): Promise<Backlog & { snapshot: StateSnapshot }> {
  const snapshot = await readSnapshot(ws.git, await readBase(ws), ws.config.backlog);
  return { ...assertValid(snapshot.backlog), snapshot };
}
