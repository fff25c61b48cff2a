// What the merge queue keeps in refs, as zod schemas: refs may come from another crewtree
// version or another machine, so everything read back is validated before it is trusted.
import * as z from 'zod/mini';
import { ID_PATTERN } from '../backlog/task.js';

const oid = z.string().check(z.regex(/^[0-9a-f]{40}$/));
const taskId = z.string().check(z.regex(ID_PATTERN));

/** One branch waiting to land; stored as the message of a commit whose parent is the tip. */
export const entrySchema = z.object({
  id: taskId,
  title: z.string(),
  token: z.string().check(z.minLength(1)),
  branch: z.string().check(z.minLength(1)),
  worker: z.string(),
  tip: oid,
  /** The owner's gate commands for this task (config gate + its role's gate). */
  gate: z.array(z.string()),
  /** When it entered the queue (enqueuer's clock; orders the queue, never decides liveness). */
  since: z.string(),
});
export type EntryRecord = z.output<typeof entrySchema>;

/** An entry as read from its ref: the record plus the entry commit that identifies it. */
export interface QueueEntry extends EntryRecord {
  /** The entry commit; a result names it so a waiter never takes an older entry's result. */
  entry: string;
}

const outcome = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('landed'), commit: oid, regated: z.boolean(), batch: z.array(z.string()) }),
  z.object({ kind: z.literal('conflict'), files: z.array(z.string()) }),
  z.object({ kind: z.literal('gate-failed'), command: z.string(), tail: z.string(), batch: z.array(z.string()), log: z.optional(z.string()) }),
  z.object({ kind: z.literal('fenced'), message: z.string() }),
]);

export const resultSchema = z.intersection(
  outcome,
  z.object({ id: taskId, entry: oid, tip: oid, branch: z.string(), at: z.string() }),
);
export type QueueResult = z.output<typeof resultSchema>;
export type QueueOutcome = z.output<typeof outcome>;

/** The queue runner's lease: who drains the queue now, and what it is gating. */
export const leaseSchema = z.object({
  runner: z.string(),
  host: z.string(),
  pid: z.int(),
  since: z.string(),
  beat: z.int(),
  gating: z.optional(z.object({ ids: z.array(z.string()), commit: oid, since: z.string() })),
});
export type LeaseRecord = z.output<typeof leaseSchema>;

/** Parses JSON against a schema; undefined for anything malformed (treated as absent). */
export function parseRecord<S extends z.ZodMiniType>(schema: S, text: string): z.output<S> | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
