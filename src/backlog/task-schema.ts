// Task front-matter schema with zod: chosen as the schema library for every boundary
// (tasks, config, agent events) because it reports every issue with its path at once.
import { z } from 'zod';
import { backlogMdTypes, commitTypes, ID_PATTERN, priorities, taskStatuses, type CommitType, type TaskStatus } from './task.js';

const statusAliases: Record<string, TaskStatus> = {
  todo: 'todo',
  'to do': 'todo',
  'to-do': 'todo',
  'in-progress': 'in-progress',
  'in progress': 'in-progress',
  doing: 'in-progress',
  review: 'review',
  'in review': 'review',
  done: 'done',
  blocked: 'blocked',
};

export function normalizeStatus(value: string): TaskStatus | undefined {
  return statusAliases[value.trim().toLowerCase()];
}

export const statusMessage = `one of ${taskStatuses.join(', ')} (Backlog.md's To Do, In Progress, Done too)`;
export const typeMessage = `a conventional-commit type: ${commitTypes.join(', ')}, or a Backlog.md type: ${Object.keys(backlogMdTypes).join(', ')}`;
const idMessage = 'an id of a letter then letters, digits, - or _, dots between parts for a sub-task, at most 64 characters (e.g. A32, BACK-12.3)';

/** The commit type a `type:` value stands for; undefined when it is neither ours nor Backlog.md's. */
export function commitTypeOf(value: string): CommitType | undefined {
  const lower = value.trim().toLowerCase();
  return (commitTypes as readonly string[]).includes(lower) ? (lower as CommitType) : backlogMdTypes[lower];
}
const idText = z.string({ error: idMessage }).regex(ID_PATTERN, { error: idMessage });
const id = z.union([z.string(), z.number()], { error: idMessage }).transform(String).pipe(idText);

const text = (example: string) => z.string({ error: `a text (e.g. ${example})` }).min(1, { error: `a non-empty text (e.g. ${example})` });

const stringList = (example: string) =>
  z
    .union([z.array(z.union([z.string(), z.number()], { error: `a text (e.g. ${example})` }).transform(String)), z.string(), z.null()], {
      error: `a list (e.g. ${example})`,
    })
    .transform((value) => (value === null ? [] : typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : value));

const relativeGlob = z.string().refine((glob) => !glob.startsWith('/') && !glob.split('/').includes('..'), {
  error: 'a glob relative to the repository, without .. (e.g. src/api/**)',
});

const lockMessage = 'a lock written by crewtree (worker, token, branch, worktree, host, pid, since), or no lock key';

export const lockSchema = z.object(
  {
    worker: text('codex-dev'),
    token: z.union([z.string(), z.number()], { error: 'a text (e.g. 5f1c9e2a)' }).transform(String),
    branch: text('ai/codex-dev/A32-title'),
    worktree: text('.worktrees/ai/codex-dev/A32-title'),
    host: text('laptop'),
    pid: z.number({ error: 'a process id (e.g. 4242)' }).int({ error: 'a process id (e.g. 4242)' }),
    since: z
      .union([z.string(), z.date()], { error: 'a time (e.g. 2025-12-02T11:03:23Z)' })
      .transform((value) => (value instanceof Date ? value.toISOString() : value)),
  },
  { error: lockMessage },
);

export const taskSchema = z.object({
  id,
  title: text('Add event registrations list endpoint'),
  // NOTE: any text here; whether it is a status of this backlog (Backlog.md's custom ones) is
  // decided by parseBacklog, which knows the dialect.
  status: z.string({ error: statusMessage }).min(1, { error: statusMessage }).default('todo'),
  priority: z
    .string({ error: `one of ${priorities.join(', ')}` })
    .transform((value) => value.trim().toLowerCase())
    .pipe(z.enum(priorities, { error: `one of ${priorities.join(', ')}` }))
    .optional()
    .nullable(),
  // NOTE: any name here; custom Backlog.md types (config.yml `types:`) are checked by parseBacklog.
  type: z.string({ error: typeMessage }).regex(/^[A-Za-z][\w -]*$/, { error: typeMessage }).default('feat'),
  parent_task_id: z.union([z.string(), z.number()], { error: idMessage }).transform(String).pipe(idText).optional().nullable(),
  ordinal: z.number({ error: 'a number (e.g. 1000)' }).optional().nullable(),
  epic: z.union([z.string(), z.number()], { error: 'an epic name (e.g. Events)' }).transform(String).optional().nullable(),
  role: z.string({ error: 'a role name (e.g. developer)' }).regex(ID_PATTERN, { error: 'a role name (e.g. developer)' }).default('developer'),
  depends_on: stringList('[A30, A31]').pipe(z.array(idText)).optional(),
  dependencies: stringList('[task-30, task-31]').pipe(z.array(idText)).optional(),
  paths: stringList('[src/api/**]').pipe(z.array(relativeGlob)).default([]),
  labels: stringList('[api, backend]').default([]),
  review: z.boolean({ error: 'true or false' }).default(false),
  lock: lockSchema.nullable().optional(),
});

export type TaskFrontMatter = z.output<typeof taskSchema>;
