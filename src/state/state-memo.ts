import type { Workspace } from '../workspace.js';
import { BacklogMemo } from './backlog-memo.js';
import { MemoStore } from './memo-store.js';

const memos = new WeakMap<Workspace, Promise<BacklogMemo>>();

/**
 * One memo per workspace, backed by the one on disk: a command that reads the state several
 * times reads each changed file once, and a new process starts from the last one's memo.
 */
export function stateMemo(ws: Workspace): Promise<BacklogMemo> {
  let memo = memos.get(ws);
  if (!memo) memos.set(ws, (memo = openStateMemo(ws.commonDir, ws.config.backlog)));
  return memo;
}

/** A memo of its own backed by the one on disk (a long-lived reader such as the dashboard). */
export async function openStateMemo(commonDir: string, backlogDir: string): Promise<BacklogMemo> {
  return new BacklogMemo(await MemoStore.open(commonDir, backlogDir));
}
