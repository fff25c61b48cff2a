import { CrewError, formatProblem, sortProblems, type Problem } from '../errors.js';
import { CREWTREE_DIALECT, isDialectTaskFile, statusOf, type BacklogDialect } from './dialect.js';
import { parseTask, type ParsedTask } from './parse-task.js';
import { commitTypeOf, statusMessage, typeMessage } from './task-schema.js';
import type { Task } from './task.js';
import { crossCheckTasks } from './validate.js';

export interface TaskFileText {
  path: string;
  text: string;
  /** Its blob id where known: a parse cache is keyed by it instead of the whole text. */
  oid?: string;
}

/** `parseTask`, or a cached equivalent that may use the blob id. */
export type ParseTaskFile = (path: string, text: string, order: number, oid?: string) => ParsedTask;

export interface Backlog {
  /** Every task that could be read, quarantined ones included. */
  tasks: Task[];
  /** Raw text of each task file by id, for surgical writes. */
  texts: TaskTexts;
  problems: Problem[];
  /** Files with a problem: not workable, and tasks that depend on them wait. */
  quarantined: ReadonlySet<string>;
  /** Tasks finished elsewhere (Backlog.md's completed/ and archive/), by lowercase id: done. */
  doneIds: ReadonlyMap<string, string>;
  dialect: BacklogDialect;
  /** Files in tasks/ that are not this backlog's task files (a readme.md in a Backlog.md backlog). */
  ignored: string[];
  /** The problems of the backlog's config.yml, kept to rebuild the backlog after a change. */
  configProblems: readonly Problem[];
}

export interface BacklogContext {
  dialect?: BacklogDialect;
  /** Task files outside tasks/ that count as done, by lowercase id. */
  doneIds?: ReadonlyMap<string, string>;
  /** Problems found outside task files (the backlog's config.yml). */
  problems?: readonly Problem[];
}

const isDigit = (code: number) => code >= 48 && code <= 57;
const lowerCode = (code: number) => (code >= 65 && code <= 90 ? code + 32 : code);

/**
 * Natural order of ids and file names: ignoring ASCII case, runs of digits compared as numbers
 * (`task-9` before `task-10`), then plain code-unit order so the result is total. NOTE: hand
 * written rather than `Intl.Collator`: sorting 10,000 paths took 85 ms with the collator.
 */
export function naturalCompare(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const left = a.charCodeAt(i);
    const right = b.charCodeAt(j);
    if (isDigit(left) && isDigit(right)) {
      while (i < a.length - 1 && a.charCodeAt(i) === 48 && isDigit(a.charCodeAt(i + 1))) i++;
      while (j < b.length - 1 && b.charCodeAt(j) === 48 && isDigit(b.charCodeAt(j + 1))) j++;
      let endA = i;
      let endB = j;
      while (endA < a.length && isDigit(a.charCodeAt(endA))) endA++;
      while (endB < b.length && isDigit(b.charCodeAt(endB))) endB++;
      if (endA - i !== endB - j) return endA - i - (endB - j);
      for (; i < endA; i++, j++) {
        const difference = a.charCodeAt(i) - b.charCodeAt(j);
        if (difference !== 0) return difference;
      }
      continue;
    }
    const difference = lowerCode(left) - lowerCode(right);
    if (difference !== 0) return difference;
    i++;
    j++;
  }
  return a.length - i - (b.length - j) || (a < b ? -1 : a > b ? 1 : 0);
}

/** The text of each task file by id: read when asked for (a cached backlog holds no texts). */
export interface TaskTexts {
  get(id: string): string | undefined;
}

/** What reading one task file gave, in its backlog's dialect; `ignored`: not a task file of this dialect. */
export interface TaskFileRead {
  task: Task | undefined;
  problems: Problem[];
  /** The id a file with problems declares (see ParsedTask.declaredId). */
  declaredId: string | undefined;
  ignored: boolean;
}

/** Reads one task file as its backlog's dialect does; `order` is its expected place (assembling corrects it). */
export function readTaskFile(path: string, text: string, dialect: BacklogDialect, order: number, parse: ParseTaskFile = parseTask, oid?: string): TaskFileRead {
  if (!isDialectTaskFile(dialect, path.slice(path.lastIndexOf('/') + 1))) return { task: undefined, problems: [], declaredId: undefined, ignored: true };
  const parsed = parse(path, text, order, oid);
  if (!parsed.task) return { task: undefined, problems: parsed.problems, declaredId: parsed.declaredId, ignored: false };
  const { task, problems } = inDialect(parsed.task, dialect);
  return { task, problems: problems.length > 0 ? [...parsed.problems, ...problems] : parsed.problems, declaredId: parsed.declaredId, ignored: false };
}

/**
 * The backlog from its task files already read, in natural path order: the cross-file checks
 * (duplicate ids, unknown dependencies, cycles) and every problem sorted. Each task's `order` is
 * its place among the files read.
 */
export function assembleBacklog(files: readonly { path: string; read: TaskFileRead }[], context: BacklogContext, texts: TaskTexts): Backlog {
  const dialect = context.dialect ?? CREWTREE_DIALECT;
  const doneIds = context.doneIds ?? new Map<string, string>();
  const ignored: string[] = [];
  const tasks: Task[] = [];
  const problems: Problem[] = [];
  const invalidIds = new Set<string>();
  let order = 0;
  for (const { path, read } of files) {
    if (read.ignored) {
      ignored.push(path);
      continue;
    }
    for (const problem of read.problems) problems.push(problem);
    const task = read.task;
    if (task) tasks.push(task.order === order ? task : { ...task, order });
    else if (read.declaredId !== undefined) invalidIds.add(read.declaredId);
    order++;
  }
  for (const id of doneIds.keys()) invalidIds.add(id);
  problems.push(...crossCheckTasks(tasks, invalidIds));
  const quarantined = new Set(problems.map((problem) => problem.path));
  problems.push(...(context.problems ?? []));
  return { tasks, texts, problems: sortProblems(problems), quarantined, doneIds, dialect, ignored: ignored.sort(naturalCompare), configProblems: context.problems ?? [] };
}

/**
 * Parses every task file and cross-checks them; every problem is collected, none thrown.
 * `parse` lets a caller reuse files it parsed before.
 */
export function parseBacklog(files: readonly TaskFileText[], parse: ParseTaskFile = parseTask, context: BacklogContext = {}): Backlog {
  const dialect = context.dialect ?? CREWTREE_DIALECT;
  const sorted = [...files].sort((a, b) => naturalCompare(a.path, b.path));
  let order = 0;
  const read = sorted.map((file) => {
    const read = readTaskFile(file.path, file.text, dialect, order, parse, file.oid);
    if (!read.ignored) order++;
    return { path: file.path, text: file.text, read };
  });
  const texts = new Map<string, string>();
  for (const file of read) if (file.read.task && !texts.has(file.read.task.id)) texts.set(file.read.task.id, file.text);
  return assembleBacklog(read, context, texts);
}

/**
 * A parsed task read in its backlog's dialect: the status by the backlog's own words (custom
 * Backlog.md statuses), custom task types, and the words to write statuses back with.
 */
function inDialect(task: Task, dialect: BacklogDialect): { task: Task; problems: Problem[] } {
  const problems: Problem[] = [];
  const statusName = task.statusName ?? task.status;
  const status = statusOf(dialect, statusName);
  if (status === undefined) {
    const expected = dialect.kind === 'backlog.md' ? `one of this backlog's statuses: ${dialect.statuses.join(', ')}` : statusMessage;
    problems.push({ path: task.file, line: task.lines.status ?? task.lines.id ?? 1, message: `status ${JSON.stringify(statusName)} is not valid (expected ${expected})` });
  }
  const customType = task.typeName !== undefined && commitTypeOf(task.typeName) === undefined;
  if (customType && !dialect.customTypes.has(task.typeName?.toLowerCase() ?? '')) {
    problems.push({ path: task.file, line: task.lines.type ?? task.lines.id ?? 1, message: `type ${JSON.stringify(task.typeName)} is not valid (expected ${typeMessage})` });
  }
  if (dialect.kind === 'crewtree') return { task: status === undefined || status === task.status ? task : { ...task, status }, problems };
  // NOTE: a file that spells its status the backlog's way is written back in the backlog's words;
  // one that says `todo` keeps its own spelling, so a claim and a release leave it as it was.
  const ownWords = dialect.statusMeaning.has(statusName.trim().toLowerCase()) || task.dialect === 'backlog.md';
  return { task: { ...task, status: status ?? task.status, ...(ownWords ? { dialect: 'backlog.md' as const, statusWords: dialect.statusWords } : {}) }, problems };
}

export function assertValid(backlog: Backlog): Backlog {
  if (backlog.problems.length === 0) return backlog;
  const count = backlog.problems.length;
  throw new CrewError('backlog-invalid', `The backlog has ${count} problem${count === 1 ? '' : 's'}; nothing was written.`, {
    details: backlog.problems.map(formatProblem),
    hint: 'Fix the files above and run the command again.',
  });
}

/** What `parseBacklog` needs to read a changed version of this backlog the same way. */
export function contextOf(backlog: Backlog): BacklogContext {
  return { dialect: backlog.dialect, doneIds: backlog.doneIds, problems: backlog.configProblems };
}

/** The problems of one task's file. */
export function problemsOf(backlog: Pick<Backlog, 'problems'>, task: Pick<Task, 'file'>): Problem[] {
  return backlog.problems.filter((problem) => problem.path === task.file);
}

export function findTask(backlog: Pick<Backlog, 'tasks'>, id: string): Task {
  const task = backlog.tasks.find((candidate) => candidate.id === id) ?? backlog.tasks.find((c) => c.id.toLowerCase() === id.toLowerCase());
  if (!task) {
    throw new CrewError('task-not-found', `There is no task ${id} in the backlog.`, { hint: 'See the ids with `crew task list`.' });
  }
  return task;
}
