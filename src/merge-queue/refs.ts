// The merge queue's refs: entries, results and the runner's lease live under refs/crewtree/
// (not in files) so the queue can later travel with the repository to other machines.

export const QUEUE_PREFIX = 'refs/crewtree/queue/';
export const RESULT_PREFIX = 'refs/crewtree/queue-results/';
export const LEASE_REF = 'refs/crewtree/queue-lease';

export function entryRef(taskId: string): string {
  return `${QUEUE_PREFIX}${taskId}`;
}

export function resultRef(taskId: string): string {
  return `${RESULT_PREFIX}${taskId}`;
}
