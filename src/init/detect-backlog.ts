// What `crew init` finds before it writes anything: a backlog kept with Backlog.md (its
// `config.yml`), so that crewtree adopts it as it is instead of scaffolding a second one.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { detectDialect, isDialectTaskFile, type BacklogDialect } from '../backlog/dialect.js';

export interface FoundBacklog {
  /** The backlog folder, relative to the repository. */
  dir: string;
  dialect: BacklogDialect;
  /** Task files in tasks/, finished ones in completed/ and archive/tasks/. */
  tasks: number;
  finished: number;
}

async function countTaskFiles(dir: string, dialect: BacklogDialect): Promise<number> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter((name) => isDialectTaskFile(dialect, name)).length;
}

/** Backlog.md's folder: `backlog/` (its default), `.backlog/`, or the one its root config names. */
async function candidateDirs(root: string, configured: string): Promise<string[]> {
  const rootConfig = await readFile(join(root, 'backlog.config.yml'), 'utf8').catch(() => '');
  const named = /^backlog_directory:\s*["']?([^"'\r\n]+?)["']?\s*$/m.exec(rootConfig)?.[1];
  return [...new Set([configured, ...(named ? [named] : []), 'backlog', '.backlog'])];
}

/** The Backlog.md backlog in this repository, if there is one; `configured` is looked at first. */
export async function findBacklogMd(root: string, configured: string): Promise<FoundBacklog | undefined> {
  for (const dir of await candidateDirs(root, configured)) {
    const text = await readFile(join(root, dir, 'config.yml'), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const { dialect } = detectDialect(text, `${dir}/config.yml`);
    const tasks = await countTaskFiles(join(root, dir, 'tasks'), dialect);
    const finished = (await countTaskFiles(join(root, dir, 'completed'), dialect)) + (await countTaskFiles(join(root, dir, 'archive', 'tasks'), dialect));
    return { dir, dialect, tasks, finished };
  }
  return undefined;
}

/** One line for the user: what was found and how crewtree will treat it. */
export function describeFoundBacklog(found: FoundBacklog): string {
  const { dialect } = found;
  return [
    `Found a Backlog.md backlog in ${found.dir}/: ${found.tasks} task${found.tasks === 1 ? '' : 's'}, ${found.finished} finished`,
    `(prefix ${dialect.taskPrefix.toUpperCase()}, statuses ${dialect.statuses.join(', ')}).`,
    'crewtree reads and writes it in Backlog.md\'s own format; Backlog.md keeps working on it.',
  ].join(' ');
}
