import { clearHeartbeat, readHeartbeats, type Heartbeat, type PublishHeartbeat } from '../claims/heartbeat.js';
import { heartbeatRef } from '../claims/names.js';
import type { Workspace } from '../workspace.js';
import { RemoteGit } from './remote-git.js';

/** Where this clone keeps the heartbeats it fetched from the remote (its own beats stay under refs/crewtree/heartbeats/). */
export const REMOTE_HEARTBEATS = 'refs/crewtree/remote/heartbeats/';

/**
 * With a remote, each beat is also pushed there (forced: the ref is the holder's alone), so a
 * sweeper on another machine sees it change. A failed push is left to the next beat.
 */
export function heartbeatPublisher(ws: Workspace): PublishHeartbeat | undefined {
  const remote = ws.config.remote;
  if (!remote) return undefined;
  const remoteGit = new RemoteGit(ws, remote);
  return async (ref) => {
    await remoteGit.push([], [`+${ref}:${ref}`], { retry: false });
  };
}

/** Removes a task's heartbeat here and (best effort) on the remote. */
export async function clearHeartbeatEverywhere(ws: Workspace, taskId: string): Promise<void> {
  await clearHeartbeat(ws.git, taskId);
  if (!ws.config.remote) return;
  await new RemoteGit(ws, ws.config.remote).push([], [`:${heartbeatRef(taskId)}`], { retry: false }).catch(() => undefined);
}

/**
 * The heartbeats a sweeper judges: this clone's own refs, or with a remote every machine's
 * beats as the remote has them now (fetched, pruned). Only whether a beat changed counts; the
 * sweeper times that on its own clock (design section 4 rule 4).
 */
export async function heartbeatsForSweep(ws: Workspace): Promise<Map<string, Heartbeat>> {
  const remote = ws.config.remote;
  if (!remote) return readHeartbeats(ws.git);
  await new RemoteGit(ws, remote).fetch([`+refs/crewtree/heartbeats/*:${REMOTE_HEARTBEATS}*`], ['--prune']);
  return readHeartbeats(ws.git, REMOTE_HEARTBEATS);
}
