import { findTask } from '../backlog/backlog.js';
import { isValidId, nextTaskId, renderTaskFile, taskFileName, type NewTask } from '../backlog/new-task.js';
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
    throw new CrewError('usage', `"${input.id}" is not a valid task id.`, { hint: 'Use a letter then letters, digits, - or _ (e.g. A32).' });
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
    const tasks = snapshot.backlog.tasks;
    if (snapshot.backlog.problems.length > 0) {
      throw new CrewError('backlog-invalid', `The backlog on ${ws.config.base} has problems; no task was added.`, {
        details: snapshot.backlog.problems.map((p) => `${p.path}:${p.line}: ${p.message}`),
      });
    }
    if (input.id !== undefined && tasks.some((task) => task.id.toLowerCase() === input.id?.toLowerCase())) {
      const existing = findTask(snapshot.backlog, input.id);
      throw new CrewError('task-exists', `A task with id ${existing.id} already exists (${existing.file}).`, {
        hint: 'Pick another id, or leave --id out to get the next free one.',
      });
    }
    const unknown = input.dependsOn.filter((dependency) => !tasks.some((task) => task.id === dependency));
    if (unknown.length > 0) {
      throw new CrewError('usage', `--depends ${unknown.join(', ')}: no such task in the backlog on ${ws.config.base}; no task was added.`, {
        hint: 'See the ids with `crew task list`.',
      });
    }
    const id = input.id ?? nextTaskId(tasks);
    const file = `${ws.config.backlog}/tasks/${taskFileName(id, input.title)}`;
    const text = renderTaskFile({ ...input, id });
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
