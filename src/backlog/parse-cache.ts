// Parsed task files remembered between runs, keyed by blob id and path: a file whose blob has
// not changed is neither read from git nor parsed again. Kept under <git-common-dir>/crewtree/
// cache/, never committed. The cache is only an accelerator: a missing, stale or unreadable
// file means "parse everything", never a wrong answer.
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../fs/atomic.js';
import type { ParsedTask } from './parse-task.js';
import type { Task } from './task.js';

/** A parsed file as stored: the task without its body (it is a suffix of the text). */
interface StoredEntry {
  text: string;
  bodyStart: number;
  task: Omit<Task, 'body'> | null;
  problems: ParsedTask['problems'];
  declaredId: string | null;
}

interface StoredCache {
  version: string;
  entries: Record<string, StoredEntry>;
}

const here = dirname(fileURLToPath(import.meta.url));
/** The modules whose code decides what a parse returns; any change to them empties the cache. */
const parserModules = ['parse-task.js', 'task-schema.js', 'front-matter.js', 'yaml.js', 'task.js', '../../package.json'];

async function cacheVersion(): Promise<string> {
  const hash = createHash('sha1').update('parse-cache-1');
  for (const module of parserModules) hash.update(await readFile(join(here, module)).catch(() => module));
  return hash.digest('hex');
}

const entryKey = (oid: string, path: string) => `${oid}\t${path}`;

/**
 * A task as the parser returns it, from its stored form. NOTE: spelled out rather than spread:
 * spreading 10,000 objects read by JSON.parse cost more than parsing the cache file, and the
 * compiler now points here when Task gains a key.
 */
function restoreTask(stored: Omit<Task, 'body'>, body: string, order: number): Task {
  return {
    id: stored.id,
    title: stored.title,
    status: stored.status,
    priority: stored.priority,
    priorityGiven: stored.priorityGiven,
    type: stored.type,
    typeName: stored.typeName ?? undefined,
    statusName: stored.statusName,
    parent: stored.parent ?? undefined,
    ordinal: stored.ordinal ?? undefined,
    epic: stored.epic ?? undefined,
    role: stored.role,
    dependsOn: stored.dependsOn,
    paths: stored.paths,
    labels: stored.labels,
    review: stored.review,
    lock: stored.lock ?? undefined,
    file: stored.file,
    order,
    dialect: stored.dialect,
    lines: stored.lines,
    body,
  };
}

export class ParseCache {
  private readonly entries: Map<string, StoredEntry>;
  private readonly texts = new Map<string, string>();
  private readonly used = new Set<string>();
  private changed = false;

  private constructor(
    private readonly file: string,
    private readonly version: string,
    entries: Record<string, StoredEntry>,
  ) {
    this.entries = new Map(Object.entries(entries));
    for (const [key, entry] of this.entries) this.texts.set(key.slice(0, key.indexOf('\t')), entry.text);
  }

  /** The cache for one backlog folder of one repository; empty when absent or unreadable. */
  static async open(commonDir: string, backlogDir: string): Promise<ParseCache> {
    const name = createHash('sha1').update(backlogDir).digest('hex').slice(0, 12);
    const file = join(commonDir, 'crewtree', 'cache', `backlog-${name}.json`);
    const version = await cacheVersion();
    try {
      const stored = JSON.parse(await readFile(file, 'utf8')) as StoredCache;
      return new ParseCache(file, version, stored.version === version && stored.entries ? stored.entries : {});
    } catch {
      return new ParseCache(file, version, {});
    }
  }

  /** The text of a blob seen before. */
  text(oid: string): string | undefined {
    return this.texts.get(oid);
  }

  /** The remembered parse of this blob at this path, at position `order` in the backlog. */
  parsed(oid: string, path: string, order: number): ParsedTask | undefined {
    const key = entryKey(oid, path);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.used.add(key);
    return { task: entry.task ? restoreTask(entry.task, entry.text.slice(entry.bodyStart), order) : undefined, problems: entry.problems, declaredId: entry.declaredId ?? undefined };
  }

  remember(oid: string, path: string, text: string, parsed: ParsedTask): void {
    const key = entryKey(oid, path);
    this.used.add(key);
    const body = parsed.task?.body ?? '';
    const task = parsed.task ? (({ body: _body, ...rest }) => rest)(parsed.task) : null;
    this.entries.set(key, { text, bodyStart: text.length - body.length, task, problems: parsed.problems, declaredId: parsed.declaredId ?? null });
    this.texts.set(oid, text);
    this.changed = true;
  }

  /** Forgets what other versions of the backlog's files were used: only these are saved. */
  retain(files: readonly { path: string; oid: string }[]): void {
    const keys = new Set(files.map((file) => entryKey(file.oid, file.path)));
    for (const key of this.used) {
      if (keys.has(key)) continue;
      this.used.delete(key);
      this.entries.delete(key);
      this.changed = true;
    }
  }

  /** Writes the entries used by this read (and only those) when anything changed. */
  async save(): Promise<void> {
    const stale = [...this.entries.keys()].some((key) => !this.used.has(key));
    if (!this.changed && !stale) return;
    const entries: Record<string, StoredEntry> = {};
    for (const key of this.used) {
      const entry = this.entries.get(key);
      if (entry) entries[key] = entry;
    }
    await mkdir(dirname(this.file), { recursive: true });
    await writeFileAtomic(this.file, JSON.stringify({ version: this.version, entries } satisfies StoredCache));
  }
}
