import type { Command } from 'commander';
import { clearHeartbeat } from '../../claims/heartbeat.js';
import { releaseTask } from '../../claims/release.js';
import { taskToJson } from '../../backlog/task-json.js';
import { CrewError } from '../../errors.js';
import { action, workspaceFor } from '../action.js';
import type { CliState } from '../action.js';
import { printJson, type Io } from '../output.js';

interface ReleaseOptions {
  message?: string;
  token?: string;
  force?: boolean;
  blocked?: boolean;
  worker?: string;
  json?: boolean;
}

export function registerRelease(program: Command, io: Io, state: CliState): void {
  program
    .command('release <id>')
    .description("give a task's lock back: status todo (or --blocked), note in the task, log line")
    .option('-m, --message <note>', 'note appended to the task')
    .option('--token <token>', 'the lock token (default: the caller holds it if its pid is the lock pid)')
    .option('--force', "take the lock away from its holder (needs -m with the reason)")
    .option('--blocked', 'set status blocked instead of todo')
    .option('--worker <name>', 'who releases it, for the log', 'user')
    .option('--json', 'print JSON')
    .action(
      action(state, async (id: string, options: ReleaseOptions) => {
        if (options.force && !options.message) throw new CrewError('usage', '--force needs a reason: -m "why".');
        const ws = await workspaceFor(io);
        const { task } = await releaseTask(ws, {
          id,
          token: options.token,
          pid: process.ppid,
          force: options.force,
          note: options.message,
          status: options.blocked ? 'blocked' : 'todo',
          actor: options.worker ?? 'user',
        });
        await clearHeartbeat(ws.git, task.id);
        if (options.json) printJson(io, taskToJson(task));
        else io.out(`${task.id} released (${task.status})`);
      }),
    );
}
