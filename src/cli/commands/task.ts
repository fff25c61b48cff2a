import type { Command } from 'commander';
import { findTask, problemsOf } from '../../backlog/backlog.js';
import { bodyOf } from '../../backlog/parse-task.js';
import { ranksUnprioritizedLast } from '../../backlog/select.js';
import { taskToJson } from '../../backlog/task-json.js';
import { normalizeStatus } from '../../backlog/task-schema.js';
import { commitTypes, priorities, taskStatuses, type CommitType, type Priority, type Task } from '../../backlog/task.js';
import { CrewError, ExitCode, formatProblem } from '../../errors.js';
import { singleLine, stripControlSequences } from '../../terminal/safe-text.js';
import { printBacklogNotices } from '../backlog-notices.js';
import { addTask } from '../../workflows/add-task.js';
import { readBacklog } from '../../workflows/read-backlog.js';
import { action, splitList, workspaceFor } from '../action.js';
import type { CliState } from '../action.js';
import { printJson, type Io } from '../output.js';

interface AddOptions {
  id?: string;
  priority: string;
  type: string;
  epic?: string;
  role: string;
  depends?: string;
  paths?: string;
  review?: boolean;
  body?: string;
  json?: boolean;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  const normal = value.toLowerCase();
  if (!(allowed as readonly string[]).includes(normal)) {
    throw new CrewError('usage', `${flag} ${value} is not valid.`, { hint: `Use one of: ${allowed.join(', ')}.` });
  }
  return normal as T;
}

/** Our status word; a custom Backlog.md status (`QA`) as the file writes it. */
function shownStatus(task: Task): string {
  return task.statusName !== undefined && normalizeStatus(task.statusName) === undefined ? singleLine(task.statusName) : task.status;
}

/** A Backlog.md task without a priority shows none (it ranks after low). */
function shownPriority(task: Task): string {
  return ranksUnprioritizedLast(task) ? '-' : task.priority;
}

export function formatTaskLine(task: Task): string {
  const lock = task.lock ? `  [${task.lock.worker}]` : '';
  return `${task.id.padEnd(8)} ${shownStatus(task).padEnd(11)} ${shownPriority(task).padEnd(6)} ${task.role.padEnd(15)} ${task.title}${lock}`;
}

export function registerTask(program: Command, io: Io, state: CliState): void {
  const task = program.command('task').description('add, list and show backlog tasks');

  task
    .command('add <title>')
    .description('add a task file to the backlog on the base branch; prints its id')
    .option('--id <id>', 'task id (default: next free id)')
    .option('--priority <p>', `one of ${priorities.join(', ')}`, 'medium')
    .option('--type <t>', `conventional-commit type: ${commitTypes.join(', ')}`, 'feat')
    .option('--epic <epic>', 'epic name')
    .option('--role <role>', 'role that takes it', 'developer')
    .option('--depends <ids>', 'comma-separated ids it waits for')
    .option('--paths <globs>', 'comma-separated globs where the change should land')
    .option('--review', 'stop at review before landing')
    .option('--body <markdown>', 'task body (acceptance criteria, notes)')
    .option('--json', 'print the result as JSON')
    .action(
      action(state, async (title: string, options: AddOptions) => {
        const ws = await workspaceFor(io);
        const added = await addTask(ws, {
          id: options.id,
          title,
          priority: oneOf<Priority>(options.priority, priorities, '--priority'),
          type: oneOf<CommitType>(options.type, commitTypes, '--type'),
          epic: options.epic,
          role: options.role,
          dependsOn: splitList(options.depends),
          paths: splitList(options.paths),
          review: options.review,
          body: options.body,
        });
        if (options.json) printJson(io, added);
        else io.out(added.id);
      }),
    );

  task
    .command('list')
    .description('list tasks on the base branch')
    .option('--status <status>', 'only this status')
    .option('--role <role>', 'only this role')
    .option('--epic <epic>', 'only this epic')
    .option('--json', 'print JSON')
    .action(
      action(state, async (options: { status?: string; role?: string; epic?: string; json?: boolean }) => {
        const status = options.status === undefined ? undefined : normalizeStatus(options.status);
        if (options.status !== undefined && !status) {
          throw new CrewError('usage', `--status ${options.status} is not a status.`, { hint: `Use one of: ${taskStatuses.join(', ')}.` });
        }
        const ws = await workspaceFor(io);
        const backlog = await readBacklog(ws);
        printBacklogNotices(io, backlog, ws.config.base);
        const tasks = backlog.tasks.filter(
          (t) => (!status || t.status === status) && (!options.role || t.role === options.role) && (options.epic === undefined || t.epic === options.epic),
        );
        if (options.json) return printJson(io, tasks.map(taskToJson));
        if (tasks.length === 0) io.out('No tasks.');
        for (const t of tasks) io.out(formatTaskLine(t));
      }),
    );

  task
    .command('show <id>')
    .description('show one task: its front-matter and body')
    .option('--json', 'print JSON')
    .action(
      action(state, async (id: string, options: { json?: boolean }) => {
        const ws = await workspaceFor(io);
        const backlog = await readBacklog(ws);
        if (backlog.uncommitted.length > 0) printBacklogNotices(io, { ...backlog, problems: [] }, ws.config.base);
        let found;
        try {
          found = findTask(backlog, id);
        } catch (error) {
          // NOTE: the task may be in a file that could not be read at all; its problems say why.
          if (backlog.problems.length === 0 || !(error instanceof CrewError)) throw error;
          throw new CrewError(error.code, error.message, { hint: 'Some task files could not be read:', details: backlog.problems.map(formatProblem) });
        }
        const problems = problemsOf(backlog, found);
        if (options.json) printJson(io, { ...taskToJson(found), body: bodyOf(backlog.texts.get(found.id) ?? ''), problems: problems.map(formatProblem) });
        else {
          io.out(`# ${singleLine(found.file)}`);
          io.out(stripControlSequences(backlog.texts.get(found.id) ?? ''));
        }
        if (problems.length === 0) return;
        io.err(`${found.id} has problems; it is quarantined (never picked) until they are fixed:`);
        for (const problem of problems) io.err(`  ${formatProblem(problem)}`);
        return ExitCode.usage;
      }),
    );
}
