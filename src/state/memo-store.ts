// The backlog memo on disk: one JSON file per backlog folder under <git-common-dir>/crewtree/
// cache/, holding what reading each task file gave (no texts), for one tasks tree. A memo
// written by other parser code (another crewtree version) is not used.
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TaskFileRead } from '../backlog/backlog.js';
import type { Task } from '../backlog/task.js';
import type { Problem } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic.js';

/** One task file of a backlog: its blob (none for a file a change is writing: its text instead) and what reading it gave. */
export interface BacklogFile {
  path: string;
  oid?: string;
  text?: string;
  read: TaskFileRead;
}

/** Which version of the backlog a memo holds: the tasks tree, the config blob and the done folders' trees. */
export interface MemoKey {
  tasks: string | undefined;
  config: string | undefined;
  done: string;
}

export interface StoredMemo {
  key: MemoKey;
  files: readonly BacklogFile[];
  configText: string | undefined;
  donePaths: string[];
}

/**
 * A file as stored, in rows of plain values (JSON.parse reads arrays of 10,000 files several
 * times faster than objects): [name in tasks/, blob, 0] for a file that is not this dialect's
 * task file, [name, blob, 1, problems or 0, declared id or 0] for one that gave no task,
 * [name, blob, 2, problems or 0, ...the task's fields (taskRow)] for a task. Absent values are 0.
 */
type Row = (string | number | null | object)[];

interface StoredDocument {
  version: string;
  key: MemoKey;
  configText: string | null;
  donePaths: string[];
  /** The key lists of the tasks' `lines` (most tasks share a few), indexed from the rows. */
  lineKeys: string[][];
  rows: Row[];
}

const orZero = <T>(value: T | undefined): T | 0 => (value === undefined ? 0 : value);
const listOrZero = (list: readonly unknown[]) => (list.length > 0 ? list : 0);

function taskRow(task: Task, lineKeys: Map<string, number>): Row {
  const keys = Object.keys(task.lines);
  const signature = keys.join('\n');
  let keysAt = lineKeys.get(signature);
  if (keysAt === undefined) lineKeys.set(signature, (keysAt = lineKeys.size));
  return [
    task.id,
    task.title,
    task.status,
    task.statusName === task.status ? 0 : orZero(task.statusName),
    task.priority,
    task.priorityGiven ? 1 : 0,
    task.type,
    orZero(task.typeName),
    orZero(task.parent),
    task.ordinal ?? null,
    orZero(task.epic),
    task.role,
    listOrZero(task.dependsOn),
    listOrZero(task.paths),
    listOrZero(task.labels),
    task.review ? 1 : 0,
    orZero(task.lock),
    task.dialect === 'crewtree' ? 0 : 1,
    orZero(task.statusWords),
    keysAt,
    keys.map((key) => task.lines[key] ?? 0),
  ];
}

const text = (value: unknown) => (value === 0 ? undefined : (value as string));
const list = (value: unknown) => (value === 0 ? [] : (value as string[]));

/** A task from its row (from index 5). NOTE: spelled out: the compiler points here when Task gains a key. */
function restoreTask(row: Row, file: string, order: number, lineKeys: readonly string[][]): Task {
  const keys = lineKeys[row[24] as number] ?? [];
  const numbers = row[25] as number[];
  const lines: Record<string, number> = {};
  for (let i = 0; i < keys.length; i++) lines[keys[i] as string] = numbers[i] ?? 0;
  const status = row[7] as Task['status'];
  const statusWords = row[23] === 0 ? undefined : (row[23] as Task['statusWords']);
  return {
    id: row[5] as string,
    title: row[6] as string,
    status,
    statusName: row[8] === 0 ? status : (row[8] as string),
    priority: row[9] as Task['priority'],
    priorityGiven: row[10] === 1,
    type: row[11] as Task['type'],
    typeName: text(row[12]),
    parent: text(row[13]),
    ordinal: (row[14] as number | null) ?? undefined,
    epic: text(row[15]),
    role: row[16] as string,
    dependsOn: list(row[17]),
    paths: list(row[18]),
    labels: list(row[19]),
    review: row[20] === 1,
    lock: row[21] === 0 ? undefined : (row[21] as Task['lock']),
    file,
    order,
    dialect: row[22] === 0 ? 'crewtree' : 'backlog.md',
    ...(statusWords ? { statusWords } : {}),
    lines,
  };
}

function storeFile(file: BacklogFile, prefix: string, lineKeys: Map<string, number>): Row {
  const name = file.path.slice(prefix.length);
  const { read } = file;
  if (read.ignored) return [name, file.oid ?? '', 0];
  const problems = listOrZero(read.problems);
  if (!read.task) return [name, file.oid ?? '', 1, problems, orZero(read.declaredId)];
  return [name, file.oid ?? '', 2, problems, orZero(read.declaredId), ...taskRow(read.task, lineKeys)];
}

function restoreFiles(rows: readonly Row[], prefix: string, lineKeys: readonly string[][]): BacklogFile[] {
  let order = 0;
  const files: BacklogFile[] = [];
  for (const row of rows) {
    const path = prefix + (row[0] as string);
    const oid = row[1] as string;
    if (row[2] === 0) {
      files.push({ path, oid, read: { task: undefined, problems: [], declaredId: undefined, ignored: true } });
      continue;
    }
    const problems = row[3] === 0 ? [] : (row[3] as Problem[]);
    const declaredId = text(row[4]);
    const task = row[2] === 2 ? restoreTask(row, path, order, lineKeys) : undefined;
    order++;
    files.push({ path, oid, read: { task, problems, declaredId, ignored: false } });
  }
  return files;
}

const here = dirname(fileURLToPath(import.meta.url));
/** The modules whose code decides what reading a file returns, and this one; any change to them empties the memo. */
const readerModules = ['../backlog/parse-task.js', '../backlog/task-schema.js', '../backlog/front-matter.js', '../yaml/yaml.js', '../backlog/task.js', '../backlog/backlog.js', '../backlog/dialect.js', './memo-store.js', '../../package.json'];

async function memoVersion(): Promise<string> {
  const hash = createHash('sha1').update('backlog-memo-2');
  for (const module of readerModules) hash.update(await readFile(join(here, module)).catch(() => module));
  return hash.digest('hex');
}

export class MemoStore {
  private constructor(
    private readonly file: string,
    private readonly version: string,
    /** `<backlog>/tasks/`: the rows name files without it. */
    private readonly prefix: string,
  ) {}

  /** The store of one backlog folder of one repository. */
  static async open(commonDir: string, backlogDir: string): Promise<MemoStore> {
    const name = createHash('sha1').update(backlogDir).digest('hex').slice(0, 12);
    return new MemoStore(join(commonDir, 'crewtree', 'cache', `memo-${name}.json`), await memoVersion(), `${backlogDir}/tasks/`);
  }

  /** The stored memo; undefined when absent, unreadable or written by other code. */
  async load(): Promise<StoredMemo | undefined> {
    try {
      const stored = JSON.parse(await readFile(this.file, 'utf8')) as StoredDocument;
      if (stored.version !== this.version || !Array.isArray(stored.rows)) return undefined;
      return { key: stored.key, files: restoreFiles(stored.rows, this.prefix, stored.lineKeys), configText: stored.configText ?? undefined, donePaths: stored.donePaths };
    } catch {
      return undefined;
    }
  }

  async save(memo: StoredMemo): Promise<void> {
    const lineKeys = new Map<string, number>();
    const rows = memo.files.map((file) => storeFile(file, this.prefix, lineKeys));
    const keyLists = [...lineKeys.keys()].map((signature) => (signature === '' ? [] : signature.split('\n')));
    const document: StoredDocument = { version: this.version, key: memo.key, configText: memo.configText ?? null, donePaths: memo.donePaths, lineKeys: keyLists, rows };
    await mkdir(dirname(this.file), { recursive: true });
    await writeFileAtomic(this.file, JSON.stringify(document));
  }
}
