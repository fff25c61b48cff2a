// The backlog of the base branch as last read, remembered by the id of its tasks tree. A read
// whose tree is the remembered one parses nothing; one whose tree moved (a claim by another
// process) asks git which files changed (`diff-tree` of the two trees) and reads only those.
// Kept under <git-common-dir>/crewtree/cache/ (memo-store.ts), never committed, without the
// files' texts: a text is read from git when asked for. The memo is only an accelerator: a
// missing, stale or unreadable one means "read everything", never a wrong answer.
import { assembleBacklog, naturalCompare, readTaskFile, type Backlog, type BacklogContext, type ParseTaskFile, type TaskFileRead, type TaskTexts } from '../backlog/backlog.js';
import { CREWTREE_DIALECT, configPath } from '../backlog/dialect.js';
import { backlogContext } from '../backlog/layout.js';
import { parseTask } from '../backlog/parse-task.js';
import { diffTrees, listFolder, listTree, readBlobSync, readBlobs } from '../git/objects.js';
import type { Git } from '../git/git.js';
import { taskLogPath } from '../task-log/rotation.js';
import type { BacklogFile, MemoKey, MemoStore, StoredMemo } from './memo-store.js';

export type { BacklogFile, MemoKey };

interface MemoState {
  key: MemoKey;
  /** Every file of tasks/, in natural path order. */
  files: readonly BacklogFile[];
  context: BacklogContext;
  configText: string | undefined;
  donePaths: string[];
  backlog?: Backlog;
}

export interface BacklogRead {
  files: readonly BacklogFile[];
  backlog: Backlog;
  context: BacklogContext;
  taskLog: string;
}

/** Files read since the memo on disk was written after which a read writes it again (its cost grows with the backlog). */
const SAVE_AFTER = 32;
/** Blob texts kept in memory at most (a long-running dashboard or worker). */
const TEXTS_KEPT = 4096;

export function isTaskFile(path: string, backlogDir: string): boolean {
  const prefix = `${backlogDir}/tasks/`;
  return path.startsWith(prefix) && path.endsWith('.md') && !path.slice(prefix.length).includes('/');
}

/** The first index in `files` whose path is not before `path`. */
function positionOf(files: readonly BacklogFile[], path: string): number {
  let low = 0;
  let high = files.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (naturalCompare(files[mid]?.path ?? '', path) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * `files` with some replaced (text), added or removed (null), each new one read in the
 * backlog's dialect; the rest are the same objects. Pure.
 */
export function applyTaskFiles(
  files: readonly BacklogFile[],
  changes: Iterable<{ path: string; oid?: string; text: string | null }>,
  context: BacklogContext,
  parse: ParseTaskFile = parseTask,
): BacklogFile[] {
  const next = files.slice();
  const dialect = context.dialect ?? CREWTREE_DIALECT;
  for (const change of changes) {
    const at = positionOf(next, change.path);
    const found = next[at]?.path === change.path;
    if (change.text === null) {
      if (found) next.splice(at, 1);
      continue;
    }
    const file: BacklogFile = { path: change.path, ...(change.oid ? { oid: change.oid } : { text: change.text }), read: readTaskFile(change.path, change.text, dialect, at, parse, change.oid) };
    if (found) next[at] = file;
    else next.splice(at, 0, file);
  }
  return next;
}

/** The texts of a backlog's task files by id, each looked up when asked for: the first file declaring the id wins. */
class LazyTexts implements TaskTexts {
  constructor(
    private readonly files: readonly BacklogFile[],
    private readonly blobText: (oid: string) => string,
  ) {}

  get(id: string): string | undefined {
    const file = this.files.find((candidate) => candidate.read.task?.id === id);
    if (!file) return undefined;
    return file.text ?? (file.oid ? this.blobText(file.oid) : undefined);
  }
}

/** The backlog made of `files`, its texts read from git by `memo` when asked for. */
export function backlogOf(files: readonly BacklogFile[], context: BacklogContext, blobText: (oid: string) => string): Backlog {
  return assembleBacklog(files, context, new LazyTexts(files, blobText));
}

export class BacklogMemo {
  private state: MemoState | undefined;
  private loading: Promise<void> | undefined;
  /** Files read (not found in the memo) since the memo on disk was written or loaded. */
  private pending = 0;
  private readonly texts = new Map<string, string>();

  constructor(private readonly store?: MemoStore) {}

  /** The memo on disk, read once however many reads start at the same time. */
  private load(backlogDir: string): Promise<void> {
    this.loading ??= this.loadStored(backlogDir);
    return this.loading;
  }

  private async loadStored(backlogDir: string): Promise<void> {
    const stored = await this.store?.load();
    if (!stored) return;
    const context = backlogContext(backlogDir, stored.donePaths, stored.configText);
    this.state = { key: stored.key, files: stored.files, context, configText: stored.configText, donePaths: stored.donePaths };
  }

  /** A blob's text: from this process's reads, else one `git cat-file`. */
  blobText(git: Git, oid: string): string {
    let text = this.texts.get(oid);
    if (text === undefined) {
      text = readBlobSync(git, oid);
      this.remember(oid, text);
    }
    return text;
  }

  private remember(oid: string, text: string): void {
    if (this.texts.size >= TEXTS_KEPT) this.texts.clear();
    this.texts.set(oid, text);
  }

  /** The texts of these blobs (kept for later lookups too, up to TEXTS_KEPT). */
  private async readBlobs(git: Git, oids: readonly string[]): Promise<Map<string, string>> {
    const texts = new Map<string, string>();
    const missing: string[] = [];
    for (const oid of new Set(oids)) {
      const text = this.texts.get(oid);
      if (text === undefined) missing.push(oid);
      else texts.set(oid, text);
    }
    for (const [oid, text] of await readBlobs(git, missing)) {
      texts.set(oid, text);
      this.remember(oid, text);
    }
    return texts;
  }

  /**
   * The backlog at `commit`. Git calls: one `ls-tree` of the backlog folder (not recursive);
   * when the tasks tree is not the remembered one, a `diff-tree` against it (or, with nothing
   * remembered, an `ls-tree -r` of tasks/); one `cat-file --batch` for the changed files and
   * the task log.
   */
  async read(git: Git, commit: string, backlogDir: string): Promise<BacklogRead> {
    await this.load(backlogDir);
    const entries = await listFolder(git, commit, backlogDir);
    const entry = (path: string, type: string) => entries.find((candidate) => candidate.path === path && candidate.type === type)?.oid;
    const key: MemoKey = {
      tasks: entry(`${backlogDir}/tasks`, 'tree'),
      config: entry(configPath(backlogDir), 'blob'),
      done: [entry(`${backlogDir}/completed`, 'tree') ?? '', entry(`${backlogDir}/archive`, 'tree') ?? ''].join(' '),
    };
    const logOid = entry(taskLogPath(backlogDir), 'blob');
    const known = this.state;
    let state: MemoState;
    if (known && sameKey(known.key, key)) state = known;
    else if (known && known.key.tasks && key.tasks && known.key.config === key.config && known.key.done === key.done) {
      // NOTE: the memo's tree may be gone (main rewritten, then git gc): then everything is read.
      const diff = await diffTrees(git, known.key.tasks, key.tasks).catch(() => undefined);
      if (!diff) return this.readFresh(git, commit, backlogDir, key, logOid);
      const changes = diff
        .map((change) => ({ path: `${backlogDir}/tasks/${change.path}`, oid: change.oid }))
        .filter((change) => isTaskFile(change.path, backlogDir));
      const blobs = await this.readBlobs(git, [...changes.flatMap((change) => (change.oid ? [change.oid] : [])), ...(logOid ? [logOid] : [])]);
      const files = applyTaskFiles(known.files, changes.map((change) => ({ path: change.path, ...(change.oid ? { oid: change.oid } : {}), text: change.oid ? (blobs.get(change.oid) ?? '') : null })), known.context);
      this.pending += changes.length;
      state = { ...known, key, files, backlog: undefined };
    } else return this.readFresh(git, commit, backlogDir, key, logOid);
    return this.settle(git, state, logOid);
  }

  private async readFresh(git: Git, commit: string, backlogDir: string, key: MemoKey, logOid: string | undefined): Promise<BacklogRead> {
    return this.settle(git, await this.readAll(git, commit, backlogDir, key, logOid), logOid);
  }

  private async settle(git: Git, state: MemoState, logOid: string | undefined): Promise<BacklogRead> {
    this.state = state;
    const taskLog = logOid ? ((await this.readBlobs(git, [logOid])).get(logOid) ?? '') : '';
    state.backlog ??= backlogOf(state.files, state.context, (oid) => this.blobText(git, oid));
    return { files: state.files, backlog: state.backlog, context: state.context, taskLog };
  }

  /** Every file read and parsed: nothing remembered, or the config or done folders changed. */
  private async readAll(git: Git, commit: string, backlogDir: string, key: MemoKey, logOid: string | undefined): Promise<MemoState> {
    const folders = [`${backlogDir}/tasks`, ...(key.done.trim() ? [`${backlogDir}/completed`, `${backlogDir}/archive/tasks`] : [])];
    const listed = key.tasks || key.done.trim() ? (await listTree(git, commit, folders)).filter((e) => e.type === 'blob') : [];
    const taskEntries = listed.filter((e) => isTaskFile(e.path, backlogDir)).sort((a, b) => naturalCompare(a.path, b.path));
    const donePaths = listed.filter((e) => !isTaskFile(e.path, backlogDir)).map((e) => e.path);
    const configOid = key.config;
    // NOTE: texts of a whole backlog are read once, parsed, and not kept (10,000 files).
    const blobs = await readBlobs(git, [...taskEntries.map((e) => e.oid), ...(configOid ? [configOid] : []), ...(logOid ? [logOid] : [])]);
    const configText = configOid ? blobs.get(configOid) : undefined;
    const context = backlogContext(backlogDir, donePaths, configText);
    const dialect = context.dialect ?? CREWTREE_DIALECT;
    let order = 0;
    const files = taskEntries.map((e) => {
      const read = readTaskFile(e.path, blobs.get(e.oid) ?? '', dialect, order);
      if (!read.ignored) order++;
      return { path: e.path, oid: e.oid, read };
    });
    if (logOid) this.remember(logOid, blobs.get(logOid) ?? '');
    this.pending += files.length + SAVE_AFTER;
    return { key, files, context, configText, donePaths };
  }

  /** Writes the memo to disk when it has drifted far enough from the one there. */
  async save(): Promise<void> {
    if (!this.store || !this.state || this.pending < SAVE_AFTER) return;
    this.pending = 0;
    const { key, files, configText, donePaths } = this.state;
    const stored: StoredMemo = { key, files, configText, donePaths };
    // NOTE: a memo that cannot be written (read-only .git) only costs time next run.
    await this.store.save(stored).catch(() => undefined);
  }
}

function sameKey(a: MemoKey, b: MemoKey): boolean {
  return a.tasks === b.tasks && a.config === b.config && a.done === b.done;
}
