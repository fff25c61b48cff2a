import { assertValid, type Backlog } from '../backlog/backlog.js';
import { ParseCache } from '../backlog/parse-cache.js';
import { parseTask, type ParsedTask } from '../backlog/parse-task.js';
import type { Git } from '../git/git.js';
import { readSnapshot, SnapshotCache, type StateSnapshot } from '../state/snapshot.js';
import { readBase } from '../state/transaction.js';
import type { Workspace } from '../workspace.js';

/**
 * A snapshot cache backed by the parse cache on disk: blobs seen in an earlier run are neither
 * read from git nor parsed again (10,000 tasks: one `ls-tree` instead of a parse of every file).
 */
class PersistentSnapshotCache extends SnapshotCache {
  private readonly oidOfText = new Map<string, string>();

  constructor(private readonly stored: ParseCache) {
    super();
  }

  override async readBlobs(git: Git, oids: readonly string[]): Promise<Map<string, string>> {
    const known = new Map<string, string>();
    for (const oid of oids) {
      const text = this.stored.text(oid);
      if (text !== undefined) known.set(oid, text);
    }
    const blobs = await super.readBlobs(
      git,
      oids.filter((oid) => !known.has(oid)),
    );
    for (const [oid, text] of known) blobs.set(oid, text);
    for (const oid of oids) this.oidOfText.set(blobs.get(oid) ?? '', oid);
    return blobs;
  }

  override readonly parse = (path: string, text: string, order: number): ParsedTask => {
    const oid = this.oidOfText.get(text);
    const remembered = oid === undefined ? undefined : this.stored.parsed(oid, path, order);
    if (remembered) return remembered;
    const parsed = parseTask(path, text, order);
    if (oid !== undefined) this.stored.remember(oid, path, text, parsed);
    return parsed;
  };
}

/** The backlog as workers see it: the task files on the base branch, validated. */
export async function readBacklog(ws: Workspace): Promise<Backlog & { snapshot: StateSnapshot }> {
  const stored = await ParseCache.open(ws.commonDir, ws.config.backlog);
  const snapshot = await readSnapshot(ws.git, await readBase(ws), ws.config.backlog, new PersistentSnapshotCache(stored));
  // NOTE: a cache that cannot be written (read-only .git) only costs time next run.
  await stored.save().catch(() => undefined);
  return { ...assertValid(snapshot.backlog), snapshot };
}
