import { ParseCache } from '../backlog/parse-cache.js';
import type { ParseTaskFile } from '../backlog/backlog.js';
import { parseTask } from '../backlog/parse-task.js';
import type { Git } from '../git/git.js';
import type { Workspace } from '../workspace.js';
import { SnapshotCache } from './snapshot.js';

/** Fresh parses after which a state change saves the cache on disk (reads save it every time something changed). */
const SAVE_AFTER_PARSES = 64;

/**
 * A snapshot cache backed by the parse cache on disk: blobs seen in an earlier run are neither
 * read from git nor parsed again (10,000 tasks: one `ls-tree` instead of a parse of every file).
 */
export class PersistentSnapshotCache extends SnapshotCache {
  private freshParses = 0;

  constructor(private readonly stored: ParseCache) {
    super();
  }

  static async open(commonDir: string, backlogDir: string): Promise<PersistentSnapshotCache> {
    return new PersistentSnapshotCache(await ParseCache.open(commonDir, backlogDir));
  }

  override async readBlobs(git: Git, oids: readonly string[]): Promise<Map<string, string>> {
    const known = new Map<string, string>();
    const missing: string[] = [];
    for (const oid of oids) {
      const text = this.stored.text(oid);
      if (text === undefined) missing.push(oid);
      else known.set(oid, text);
    }
    const blobs = await super.readBlobs(git, missing);
    for (const [oid, text] of known) blobs.set(oid, text);
    return blobs;
  }

  override readonly parse: ParseTaskFile = (path, text, order, oid) => {
    if (oid === undefined) return parseTask(path, text, order);
    const remembered = this.stored.parsed(oid, path, order);
    if (remembered) return remembered;
    const parsed = parseTask(path, text, order);
    this.stored.remember(oid, path, text, parsed);
    this.freshParses++;
    return parsed;
  };

  override keepOnly(files: readonly { path: string; oid: string }[], logOid: string | undefined): void {
    super.keepOnly(files, logOid);
    this.stored.retain(files);
  }

  /** Writes what this process parsed to disk; `always` for reads, else only once enough was parsed to pay for the write. */
  async save(always: boolean): Promise<void> {
    if (!always && this.freshParses < SAVE_AFTER_PARSES) return;
    this.freshParses = 0;
    // NOTE: a cache that cannot be written (read-only .git) only costs time next run.
    await this.stored.save().catch(() => undefined);
  }
}

const caches = new WeakMap<Workspace, Promise<PersistentSnapshotCache>>();

/** One cache per workspace: a command that reads the state several times parses each file version once, and a new process starts from the last one's. */
export function stateCache(ws: Workspace): Promise<PersistentSnapshotCache> {
  let cache = caches.get(ws);
  if (!cache) caches.set(ws, (cache = PersistentSnapshotCache.open(ws.commonDir, ws.config.backlog)));
  return cache;
}
