import { findTask } from '../backlog/backlog.js';
import {
  backlogMdFileName,
  isValidId,
  nextBacklogMdId,
  nextTaskId,
  renderBacklogMdTaskFile,
  renderTaskFile,
  taskFileName,
  type NewTask,
} from '../backlog/new-task.js';
import { idFromFileName } from '../backlog/layout.js';
import { ID_PATTERN } from '../backlog/task.js';
import { CrewError } from '../errors.js';
import { commitState } from '../state/transaction.js';
import type { Workspace } from '../workspace.js';

export type AddTaskInput = Omit<NewTask, 'id'> & { id?: string; worker?: string };

export interface AddedTask {
  id: string;
  file: string;
  commit: string;
}

/** Writes a new task file onto the base branch as one state commit; the id is picked inside the swap. */
export async function addTask(ws: Workspace, input: AddTaskInput): Promise<AddedTask> {
  if (input.id !== undefined && !isValidId(input.id)) {
    throw new CrewError('usage', `"${input.id}" is not a valid task id.`, { hint: 'Use a letter then letters, digits, - or _, at most 64 characters (e.g. A32).' });
  }
  if (input.title.trim() === '') throw new CrewError('usage', 'The task title is empty.', { hint: 'crew task add "Add login endpoint"' });
  if (!ID_PATTERN.test(input.role)) {
    throw new CrewError('usage', `--role "${input.role}" is not a valid role name.`, { hint: 'Use a letter then letters, digits, - or _ (e.g. developer).' });
  }
  const outside = input.paths.filter((glob) => glob.startsWith('/') || glob.split('/').includes('..'));
  if (outside.length > 0) {
    throw new CrewError('usage', `--paths ${outside.join(', ')} ${outside.length === 1 ? 'is' : 'are'} not inside the repository.`, {
      hint: 'Give globs relative to the repository root, without .. (e.g. src/api/**).',
    });
  }
  const result = await commitState(ws, (snapshot) => {
    // NOTE: other files' problems do not stop an add; the commit refuses only a change that adds one.
    const { tasks, dialect, doneIds } = snapshot.backlog;
    if (input.id !== undefined && tasks.some((task) => task.id.toLowerCase() === input.id?.toLowerCase())) {
      const existing = findTask(snapshot.backlog, input.id);
      throw new CrewError('task-exists', `A task with id ${existing.id} already exists (${existing.file}).`, {
        hint: 'Pick another id, or leave --id out to get the next free one.',
      });
    }
    const known = (id: string) => doneIds.has(id.toLowerCase()) || tasks.some((task) => task.id.toLowerCase() === id.toLowerCase());
    const unknown = input.dependsOn.filter((dependency) => !known(dependency));
    if (unknown.length > 0) {
      throw new CrewError('usage', `--depends ${unknown.join(', ')}: no such task in the backlog on ${ws.config.base}; no task was added.`, {
        hint: 'See the ids with `crew task list`.',
      });
    }
    const backlogMd = dialect.kind === 'backlog.md';
    // NOTE: in a Backlog.md backlog, its own sequence, file naming and file layout, so that
    // `backlog task list` shows the task and its next `task create` does not reuse the id.
    const allIds = () => [...tasks.map((task) => task.id), ...doneIds.keys(), ...snapshot.files.map((f) => idFromFileName(f.path.slice(f.path.lastIndexOf('/') + 1)))];
    const id = input.id ?? (backlogMd ? nextBacklogMdId(dialect, allIds()) : nextTaskId(tasks));
    const file = `${ws.config.backlog}/tasks/${backlogMd ? backlogMdFileName(id, input.title) : taskFileName(id, input.title)}`;
    const text = backlogMd ? renderBacklogMdTaskFile({ ...input, id }, dialect, ws.clock.now()) : renderTaskFile({ ...input, id });
    const lowerFile = file.toLowerCase();
    if (snapshot.files.some((existing) => existing.path.length === file.length && existing.path.toLowerCase() === lowerFile)) {
      throw new CrewError('task-exists', `${file} already exists; no task was added.`, { hint: 'Pick another --id or title.' });
    }
    return {
      change: {
        files: new Map([[file, text]]),
        events: [{ time: ws.clock.now(), worker: input.worker ?? 'user', task: id, event: 'created', detail: input.title }],
        message: `chore(backlog): add ${id} ${input.title.replace(/\s+/g, ' ')}`,
      },
      value: { id, file },
    };
  });
  return { ...result.value, commit: result.commit };
}
