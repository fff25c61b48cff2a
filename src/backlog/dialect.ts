// Which tool's conventions a backlog follows. A `config.yml` in the backlog folder is Backlog.md's
// (`backlog init` writes it); its statuses, task types, task prefix and id padding then decide how
// crewtree reads and writes the task files, so that both tools can work on one backlog.
import type { Problem } from '../errors.js';
import { normalizeStatus } from './task-schema.js';
import type { TaskStatus } from './task.js';
import { isMap, isScalar, isSeq, parseYaml } from '../yaml/yaml.js';

export interface BacklogDialect {
  kind: 'crewtree' | 'backlog.md';
  /** Backlog.md's statuses in board order (empty for crewtree). */
  statuses: string[];
  /** The word each of our statuses is written as in this backlog's files. */
  statusWords: Readonly<Record<TaskStatus, string>>;
  /** What each of this backlog's status words means to crewtree (lowercase keys). */
  statusMeaning: ReadonlyMap<string, TaskStatus>;
  /** Extra task types the backlog's config allows (lowercase). */
  customTypes: ReadonlySet<string>;
  /** Backlog.md's `task_prefix` (`task`), lowercase; its task files are named `<prefix>-<n> - <Title>.md`. */
  taskPrefix: string;
  /** Backlog.md's `zero_padded_ids` (0: none). */
  idPadding: number;
}

const crewtreeWords: Record<TaskStatus, string> = { todo: 'todo', 'in-progress': 'in-progress', review: 'review', done: 'done', blocked: 'blocked' };

export const CREWTREE_DIALECT: BacklogDialect = {
  kind: 'crewtree',
  statuses: [],
  statusWords: crewtreeWords,
  statusMeaning: new Map(),
  customTypes: new Set(),
  taskPrefix: 'task',
  idPadding: 0,
};

export function configPath(backlogDir: string): string {
  return `${backlogDir}/config.yml`;
}

function texts(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item) => typeof item === 'string' || typeof item === 'number').map(String);
  if (typeof value === 'string') return value.split(',').map((item) => item.trim()).filter(Boolean);
  return [];
}

/**
 * What each configured status means: the default (or first) is todo, names we
 * know (`In Progress`, `Review`, `Blocked`) keep their meaning, and any other custom status is a
 * state crewtree neither picks nor counts as done (shown as written, treated as blocked), except
 * the last one, which Backlog.md treats as the finished state.
 */
function meanings(statuses: readonly string[], defaultStatus: string | undefined): Map<string, TaskStatus> {
  const meaning = new Map<string, TaskStatus>();
  statuses.forEach((status, index) => {
    const known = normalizeStatus(status);
    const isLast = index === statuses.length - 1 && statuses.length > 1;
    const isDefault = status === defaultStatus || (defaultStatus === undefined && index === 0);
    meaning.set(status.toLowerCase(), isDefault ? 'todo' : (known ?? (isLast ? 'done' : 'blocked')));
  });
  return meaning;
}

function wordsFor(statuses: readonly string[], meaning: ReadonlyMap<string, TaskStatus>): Record<TaskStatus, string> {
  const words: Record<TaskStatus, string> = { todo: 'To Do', 'in-progress': 'In Progress', review: 'Review', done: 'Done', blocked: 'Blocked' };
  // NOTE: the first status with each meaning wins (several custom statuses may mean blocked).
  for (const status of [...statuses].reverse()) {
    const ours = meaning.get(status.toLowerCase());
    if (ours && (ours !== 'blocked' || normalizeStatus(status) === 'blocked')) words[ours] = status;
  }
  return words;
}

/**
 * The dialect of a backlog from the text of its `config.yml` (undefined: no such file, crewtree's
 * own). A config that does not parse still means Backlog.md; its problems are returned, and
 * Backlog.md's defaults stand in for what could not be read.
 */
export function detectDialect(configText: string | undefined, file = 'backlog/config.yml'): { dialect: BacklogDialect; problems: Problem[] } {
  if (configText === undefined) return { dialect: CREWTREE_DIALECT, problems: [] };
  const { doc, lines } = parseYaml(configText);
  const problems: Problem[] = doc.errors.map((error) => ({
    path: file,
    line: lines.linePos(error.pos[0]).line,
    message: `invalid YAML: ${error.message.split('\n')[0] ?? ''} (expected Backlog.md's key: value lines)`,
  }));
  const raw: Record<string, unknown> = {};
  if (problems.length === 0 && isMap(doc.contents)) {
    for (const pair of doc.contents.items) {
      if (!isScalar(pair.key)) continue;
      const value = pair.value;
      raw[String(pair.key.value)] = isScalar(value) ? value.value : isSeq(value) ? value.items.map((item) => (isScalar(item) ? item.value : undefined)) : undefined;
    }
  }
  const statuses = texts(raw.statuses);
  const effective = statuses.length > 0 ? statuses : ['To Do', 'In Progress', 'Done'];
  const defaultStatus = typeof raw.default_status === 'string' && effective.includes(raw.default_status) ? raw.default_status : undefined;
  const meaning = meanings(effective, defaultStatus);
  const prefix = typeof raw.task_prefix === 'string' && /^[A-Za-z]+$/.test(raw.task_prefix) ? raw.task_prefix.toLowerCase() : 'task';
  const padding = typeof raw.zero_padded_ids === 'number' && raw.zero_padded_ids > 0 && raw.zero_padded_ids < 12 ? raw.zero_padded_ids : 0;
  return {
    dialect: {
      kind: 'backlog.md',
      statuses: effective,
      statusWords: wordsFor(effective, meaning),
      statusMeaning: meaning,
      customTypes: new Set(texts(raw.types).map((type) => type.toLowerCase())),
      taskPrefix: prefix,
      idPadding: padding,
    },
    problems,
  };
}

/** The meaning of a status word in this dialect, or undefined when it is not one of its statuses. */
export function statusOf(dialect: BacklogDialect, word: string): TaskStatus | undefined {
  return dialect.statusMeaning.get(word.trim().toLowerCase()) ?? normalizeStatus(word);
}

/** Whether a file in `tasks/` is one of this backlog's task files (Backlog.md reads only `<prefix>-*.md`). */
export function isDialectTaskFile(dialect: BacklogDialect, fileName: string): boolean {
  if (!fileName.endsWith('.md')) return false;
  if (dialect.kind === 'crewtree') return true;
  return fileName.toLowerCase().startsWith(`${dialect.taskPrefix}-`);
}
