import type { Command } from 'commander';
import { taskToJson } from '../../backlog/task-json.js';
import { retryTask } from '../../workflows/retry.js';
import { action, workspaceFor } from '../action.js';
import type { CliState } from '../action.js';
import { printJson, type Io } from '../output.js';

interface RetryOptions {
  fresh?: boolean;
  worker?: string;
  json?: boolean;
}

export function registerRetry(program: Command, io: Io, state: CliState): void {
  program
    .command('retry <id>')
    .description('a blocked or released task back to todo: the next run continues from its kept branch (or from the base with --fresh)')
    .option('--fresh', 'start again from the base; the kept branch moves under refs/crewtree/retired/')
    .option('--worker <name>', 'who retries it, for the log', 'user')
    .option('--json', 'print JSON')
    .action(
      action(state, async (id: string, options: RetryOptions) => {
        const ws = await workspaceFor(io);
        const result = await retryTask(ws, { id, fresh: Boolean(options.fresh), actor: options.worker ?? 'user' });
        if (options.json) printJson(io, { ...taskToJson(result.task), continuesFrom: result.continuesFrom ?? null, retired: result.retired ?? null });
        else {
          const from = result.continuesFrom ? `the next run continues from ${result.continuesFrom}` : `the next run starts from ${ws.config.base}`;
          io.out(`${result.task.id} is todo again; ${from}${result.retired ? ` (earlier work kept under ${result.retired})` : ''}.`);
        }
      }),
    );
}
