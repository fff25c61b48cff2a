// The merge queue (design section 5): branches wait in refs, one runner at a time (a lease)
// merges them in batches onto the base, gates exactly that commit and lands it.
export { MergeQueueLander, outcomeOf, type QueueLanderOptions } from './queue-lander.js';
export { enqueue, type EnqueueRequest } from './enqueue.js';
export { runQueue, awaitEntry, type DriveOptions } from './run-queue.js';
export { queueDriversIdle } from './queue-driver.js';
export { drainQueue, type DrainSummary } from './drain.js';
export { readQueue, type QueueView } from './read-queue.js';
export { listEntries } from './entries.js';
export { readResult } from './results.js';
export type { QueueEvent, QueueEventSink } from './events.js';
export type { QueueEntry, QueueResult } from './records.js';
