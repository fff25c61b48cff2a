import { createCommit, emptyTree, readBlobs } from '../git/objects.js';
import type { Git } from '../git/git.js';
import { entrySchema, parseRecord, type EntryRecord, type QueueEntry } from './records.js';
import { listRefs, readRef, updateRefs } from '../git/refs.js';
import { QUEUE_PREFIX, entryRef } from './refs.js';

export interface ListedEntries {
  /** Valid entries in queue order: oldest first, then by id. */
  entries: QueueEntry[];
  /** Refs under refs/crewtree/queue/ that do not hold a readable entry: `id -> oid`. */
  broken: Map<string, string>;
}

/**
 * Puts a branch tip in the queue: a commit (empty tree, the tip as its parent, the record as
 * its message) under refs/crewtree/queue/<ID>. The parent keeps the tip reachable for as long
 * as it waits. A newer entry of the same task replaces an older one.
 */
export async function writeEntry(git: Git, record: EntryRecord): Promise<QueueEntry> {
  const entry = await createCommit(git, await emptyTree(git), [record.tip], JSON.stringify(record));
  const written = await updateRefs(git, [{ ref: entryRef(record.id), to: entry }], `queue ${record.id}`);
  if (!written) throw new Error(`could not write ${entryRef(record.id)}`);
  return { ...record, entry };
}

/** The record in an entry commit's raw text, if it is one and its parent is the recorded tip. */
export function parseEntryCommit(raw: string): EntryRecord | undefined {
  const split = raw.indexOf('\n\n');
  if (split < 0) return undefined;
  const record = parseRecord(entrySchema, raw.slice(split + 2));
  const parents = raw
    .slice(0, split)
    .split('\n')
    .filter((line) => line.startsWith('parent '))
    .map((line) => line.slice('parent '.length));
  return record && parents.length === 1 && parents[0] === record.tip ? record : undefined;
}

export function queueOrder(a: EntryRecord, b: EntryRecord): number {
  return a.since < b.since ? -1 : a.since > b.since ? 1 : a.id.localeCompare(b.id);
}

/** Entry records by entry commit: a commit never changes, so a runner reads each one once. */
export type EntryCache = Map<string, EntryRecord | undefined>;

export async function listEntries(git: Git, cache: EntryCache = new Map()): Promise<ListedEntries> {
  const refs = await listRefs(git, QUEUE_PREFIX);
  const unread = [...new Set(refs.values())].filter((oid) => !cache.has(oid));
  for (const [oid, text] of await readBlobs(git, unread)) cache.set(oid, parseEntryCommit(text));
  const entries: QueueEntry[] = [];
  const broken = new Map<string, string>();
  for (const [id, oid] of refs) {
    const record = cache.get(oid);
    if (record && record.id === id) entries.push({ ...record, entry: oid });
    else broken.set(id, oid);
  }
  return { entries: entries.sort(queueOrder), broken };
}

export async function readEntryOid(git: Git, taskId: string): Promise<string | undefined> {
  return readRef(git, entryRef(taskId));
}
