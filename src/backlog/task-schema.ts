// Task front-matter schema with zod: chosen as the schema library for every boundary
// (tasks, config, agent events) because it reports every issue with its path at once.
// NOTE: zod/mini, the same package's functional API: its functions tree-shake, so the chunk every
// command loads carries 36 kB of zod instead of the classic API's 454 kB (issue 11, start-up).
import * as z from 'zod/mini';
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
const idText = z.string({ error: idMessage }).check(z.regex(ID_PATTERN, { error: idMessage }));
const id = z.pipe(z.pipe(z.union([z.string(), z.number()], { error: idMessage }), z.transform(String)), idText);

const text = (example: string) => z.string({ error: `a text (e.g. ${example})` }).check(z.minLength(1, { error: `a non-empty text (e.g. ${example})` }));

const stringList = (example: string) =>
  z.pipe(
    z.union([z.array(z.pipe(z.union([z.string(), z.number()], { error: `a text (e.g. ${example})` }), z.transform(String))), z.string(), z.null()], {
      error: `a list (e.g. ${example})`,
    }),
    z.transform((value: string[] | string | null) => (value === null ? [] : typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : value)),
  );

const relativeGlob = z.string().check(
  z.refine((glob) => !glob.startsWith('/') && !glob.split('/').includes('..'), {
    error: 'a glob relative to the repository, without .. (e.g. src/api/**)',
  }),
);

const lockMessage = 'a lock written by crewtree (worker, token, branch, worktree, host, pid, since), or no lock key';

export const lockSchema = z.object(
  {
    worker: text('codex-dev'),
    token: z.pipe(z.union([z.string(), z.number()], { error: 'a text (e.g. 5f1c9e2a)' }), z.transform(String)),
    branch: text('ai/codex-dev/A32-title'),
    worktree: text('.worktrees/ai/codex-dev/A32-title'),
    host: text('laptop'),
    pid: z.number({ error: 'a process id (e.g. 4242)' }).check(z.int({ error: 'a process id (e.g. 4242)' })),
    since: z.pipe(
      z.union([z.string(), z.date()], { error: 'a time (e.g. 2025-12-02T11:03:23Z)' }),
      z.transform((value: string | Date) => (value instanceof Date ? value.toISOString() : value)),
    ),
  },
  { error: lockMessage },
);

export const taskSchema = z.object({
  id,
  title: text('Add event registrations list endpoint'),
  // NOTE: any text here; whether it is a status of this backlog (Backlog.md's custom ones) is
  // decided by parseBacklog, which knows the dialect.
  status: z._default(z.string({ error: statusMessage }).check(z.minLength(1, { error: statusMessage })), 'todo'),
  priority: z.nullable(
    z.optional(
      z.pipe(
        z.pipe(z.string({ error: `one of ${priorities.join(', ')}` }), z.transform((value: string) => value.trim().toLowerCase())),
        z.enum(priorities, { error: `one of ${priorities.join(', ')}` }),
      ),
    ),
  ),
  // NOTE: any name here; custom Backlog.md types (config.yml `types:`) are checked by parseBacklog.
  type: z._default(z.string({ error: typeMessage }).check(z.regex(/^[A-Za-z][\w -]*$/, { error: typeMessage })), 'feat'),
  parent_task_id: z.nullable(z.optional(z.pipe(z.pipe(z.union([z.string(), z.number()], { error: idMessage }), z.transform(String)), idText))),
  ordinal: z.nullable(z.optional(z.number({ error: 'a number (e.g. 1000)' }))),
  epic: z.nullable(z.optional(z.pipe(z.union([z.string(), z.number()], { error: 'an epic name (e.g. Events)' }), z.transform(String)))),
  role: z._default(z.string({ error: 'a role name (e.g. developer)' }).check(z.regex(ID_PATTERN, { error: 'a role name (e.g. developer)' })), 'developer'),
  depends_on: z.optional(z.pipe(stringList('[A30, A31]'), z.array(idText))),
  dependencies: z.optional(z.pipe(stringList('[task-30, task-31]'), z.array(idText))),
  paths: z._default(z.pipe(stringList('[src/api/**]'), z.array(relativeGlob)), []),
  labels: z._default(stringList('[api, backend]'), []),
  review: z._default(z.boolean({ error: 'true or false' }), false),
  lock: z.optional(z.nullable(lockSchema)),
});

export type TaskFrontMatter = z.output<typeof taskSchema>;
