import type { Git } from '../git/git.js';
import { readBlobs, writeBlob } from '../git/objects.js';
import { deleteRef, listRefs, setRef } from '../git/refs.js';
import { heartbeatRef } from './names.js';

export interface Heartbeat {
  /** The object the ref points at: any change of it is a beat. */
  oid: string;
  token: string;
}

/** Sends a heartbeat ref where other machines see it (a push to the remote); see src/remote/heartbeats.ts. */
export type PublishHeartbeat = (ref: string) => Promise<void>;

/** One beat: points the task's heartbeat ref at a new blob naming the holder's token. */
export async function beat(git: Git, taskId: string, token: string, sequence: number, publish?: PublishHeartbeat): Promise<void> {
  const oid = await writeBlob(git, `${token}\n${sequence}\n${process.pid}\n${Date.now()}\n`);
  await setRef(git, heartbeatRef(taskId), oid);
  await publish?.(heartbeatRef(taskId));
}

export async function clearHeartbeat(git: Git, taskId: string): Promise<void> {
  await deleteRef(git, heartbeatRef(taskId), { bestEffort: true });
}

/** Every task's current heartbeat, read in two git calls. */
export async function readHeartbeats(git: Git, prefix = 'refs/crewtree/heartbeats/'): Promise<Map<string, Heartbeat>> {
  const refs = await listRefs(git, prefix);
  const blobs = await readBlobs(git, [...new Set(refs.values())]);
  return new Map([...refs].map(([id, oid]) => [id, { oid, token: (blobs.get(oid) ?? '').split('\n')[0] ?? '' }]));
}

/** Beats every `intervalMs` until stopped; a failed beat is retried at the next tick. */
export function startHeartbeat(git: Git, taskId: string, token: string, intervalMs: number, publish?: PublishHeartbeat): { stop(): Promise<void> } {
  let sequence = 0;
  let running: Promise<void> = beat(git, taskId, token, sequence++, publish).catch(() => undefined);
  const timer = setInterval(() => {
    running = running.then(() => beat(git, taskId, token, sequence++, publish)).catch(() => undefined);
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
