// The merge queue's refs: entries, results and the runner's lease live under refs/crewtree/
// (not in files) so the queue can later travel with the repository to other machines.
import type { Git } from '../git/git.js';

export const ZERO_OID = '0'.repeat(40);
export const QUEUE_PREFIX = 'refs/crewtree/queue/';
export const RESULT_PREFIX = 'refs/crewtree/queue-results/';
export const LEASE_REF = 'refs/crewtree/queue-lease';

export function entryRef(taskId: string): string {
  return `${QUEUE_PREFIX}${taskId}`;
}

export function resultRef(taskId: string): string {
  return `${RESULT_PREFIX}${taskId}`;
}

/** `name -> oid` for every ref under `prefix`, in one git call. */
export async function listRefs(git: Git, prefix: string): Promise<Map<string, string>> {
  const out = (await git.run(['for-each-ref', '--format=%(objectname) %(refname)', prefix])).stdout;
  const refs = new Map<string, string>();
  for (const line of out.split('\n')) {
    const space = line.indexOf(' ');
    if (space > 0) refs.set(line.slice(space + 1 + prefix.length), line.slice(0, space));
  }
  return refs;
}

export async function readRef(git: Git, ref: string): Promise<string | undefined> {
  const result = await git.run(['rev-parse', '--verify', '--quiet', ref], { okExitCodes: [0, 1, 128] });
  return result.exitCode === 0 ? result.stdout.trim() || undefined : undefined;
}

export type RefUpdate = { ref: string; to: string; from?: string } | { ref: string; delete: true; from: string };

/**
 * Several ref changes as one all-or-nothing transaction (`git update-ref --stdin`); each
 * `from` is the compare-and-swap expectation (ZERO_OID: the ref must not exist yet).
 * Returns false when any expectation failed or another process held a ref's lock.
 */
export async function updateRefs(git: Git, updates: readonly RefUpdate[], message: string): Promise<boolean> {
  const lines = updates.map((u) => ('delete' in u ? `delete ${u.ref} ${u.from}` : `update ${u.ref} ${u.to}${u.from ? ` ${u.from}` : ''}`));
  const result = await git.run(['update-ref', '-m', `crewtree: ${message}`, '--stdin'], { input: lines.join('\n') + '\n', okExitCodes: [0, 1, 128] });
  return result.exitCode === 0;
}
