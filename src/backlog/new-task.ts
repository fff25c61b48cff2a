import type { BacklogDialect } from './dialect.js';
import { ID_PATTERN, type CommitType, type Priority, type Task } from './task.js';
import { renderKeyValue, renderYamlScalar } from '../yaml/yaml.js';

export interface NewTask {
  id: string;
  title: string;
  priority: Priority;
  type: CommitType;
  epic?: string;
  role: string;
  dependsOn: string[];
  paths: string[];
  review?: boolean;
  body?: string;
}

/** A file-name-safe slug: lowercase ASCII words joined by dashes, at most 48 characters. */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  return slug || 'task';
}

export function taskFileName(id: string, title: string): string {
  return `${id}-${slugify(title)}.md`;
}

const NUMBERED = /^([A-Za-z][A-Za-z_-]*?)(\d+)$/;

/**
 * The next free id: the prefix most ids already use (or `T`), one past its highest number.
 * Prefixes are compared ignoring case (Backlog.md wrote `task-7`, now writes `TASK-7`); the
 * spelling most ids use is kept.
 */
export function nextTaskId(tasks: readonly Pick<Task, 'id'>[]): string {
  const counts = new Map<string, { count: number; max: number; spellings: Map<string, number> }>();
  for (const { id } of tasks) {
    const match = NUMBERED.exec(id);
    if (!match?.[1] || !match[2]) continue;
    const key = match[1].toLowerCase();
    const entry = counts.get(key) ?? { count: 0, max: 0, spellings: new Map<string, number>() };
    entry.count++;
    entry.max = Math.max(entry.max, Number(match[2]));
    entry.spellings.set(match[1], (entry.spellings.get(match[1]) ?? 0) + 1);
    counts.set(key, entry);
  }
  let prefix = 'T';
  let best = { count: 0, max: 0 };
  for (const entry of counts.values()) {
    if (entry.count <= best.count) continue;
    best = entry;
    prefix = [...entry.spellings].reduce((most, next) => (next[1] > most[1] ? next : most))[0];
  }
  const taken = new Set(tasks.map((task) => task.id.toLowerCase()));
  let number = best.max + 1;
  while (taken.has(`${prefix}${number}`.toLowerCase())) number++;
  return `${prefix}${number}`;
}

export function isValidId(id: string): boolean {
  return ID_PATTERN.test(id);
}

export function renderTaskFile(task: NewTask): string {
  const keys: [string, unknown][] = [
    ['id', task.id],
    ['title', task.title],
    ['status', 'todo'],
    ['priority', task.priority],
    ['type', task.type],
  ];
  if (task.epic) keys.push(['epic', task.epic]);
  keys.push(['role', task.role]);
  if (task.dependsOn.length > 0) keys.push(['depends_on', task.dependsOn]);
  if (task.paths.length > 0) keys.push(['paths', task.paths]);
  if (task.review) keys.push(['review', true]);
  const front = keys.map(([key, value]) => renderKeyValue(key, value)).join('');
  const body = task.body?.trim() ? `${task.body.trim()}\n` : '## Acceptance criteria\n\n- [ ] \n';
  return `---\n${front}---\n# ${task.title.replace(/\s+/g, ' ')}\n\n${body}`;
}

/** Backlog.md's task types for our commit types, for the files crewtree writes in its dialect. */
const backlogMdTypeOf: Partial<Record<CommitType, string>> = { feat: 'feature', fix: 'bug', docs: 'docs', chore: 'chore' };

/**
 * A title as Backlog.md puts it in a file name: runs of anything but letters and digits become
 * one dash (`Set up db` -> `Set-up-db`), case kept.
 */
export function backlogMdSlug(title: string): string {
  const slug = title.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 100).replace(/-+$/, '');
  return slug || 'task';
}

/**
 * The next id in Backlog.md's sequence: its prefix upper-cased, one past the highest top-level
 * number in tasks/, completed/ and archive/ (Backlog.md itself looks only at the first two; an
 * archived id is not given again either), padded as its config says.
 */
export function nextBacklogMdId(dialect: Pick<BacklogDialect, 'taskPrefix' | 'idPadding'>, ids: Iterable<string>): string {
  const prefix = dialect.taskPrefix.toLowerCase();
  let max = 0;
  for (const id of ids) {
    const match = /^([A-Za-z]+)-(\d+)(?:\.|$)/.exec(id);
    if (match?.[1]?.toLowerCase() === prefix) max = Math.max(max, Number(match[2]));
  }
  return `${prefix.toUpperCase()}-${String(max + 1).padStart(dialect.idPadding, '0')}`;
}

export function backlogMdFileName(id: string, title: string): string {
  return `${id.toLowerCase()} - ${backlogMdSlug(title)}.md`;
}

/** `2026-11-27 16:07`, the way Backlog.md dates its files (UTC). */
export function backlogMdDate(date: Date): string {
  return date.toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * A new task file as `backlog task create` writes one, so Backlog.md lists, views and edits it;
 * crewtree's own keys (role, paths, epic, review) follow Backlog.md's, only when they say something.
 */
export function renderBacklogMdTaskFile(task: NewTask, dialect: Pick<BacklogDialect, 'statusWords'>, created: Date): string {
  const keys: [string, unknown][] = [
    ['id', task.id],
    ['title', task.title],
    ['status', dialect.statusWords.todo],
    ['assignee', []],
    ['created_date', backlogMdDate(created)],
    ['labels', []],
    ['dependencies', task.dependsOn],
    ['priority', task.priority],
    ['type', backlogMdTypeOf[task.type] ?? task.type],
  ];
  if (task.epic) keys.push(['epic', task.epic]);
  if (task.role !== 'developer') keys.push(['role', task.role]);
  if (task.paths.length > 0) keys.push(['paths', task.paths]);
  if (task.review) keys.push(['review', true]);
  const front = keys.map(([key, value]) => renderBacklogMdKey(key, value)).join('');
  const body = task.body?.trim() ? `\n## Description\n\n<!-- SECTION:DESCRIPTION:BEGIN -->\n${task.body.trim()}\n<!-- SECTION:DESCRIPTION:END -->\n` : '';
  return `---\n${front}---\n${body}`;
}

/** Lists as block sequences, dates quoted, as Backlog.md writes them. */
function renderBacklogMdKey(key: string, value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? `${key}: []\n` : `${key}:\n${value.map((item) => `  - ${renderYamlScalar(item)}\n`).join('')}`;
  if (key === 'created_date') return `${key}: '${String(value)}'\n`;
  return renderKeyValue(key, value);
}
