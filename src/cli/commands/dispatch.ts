import type { Command } from 'commander';
import { dispatch } from '../../workflows/dispatch.js';
import { action, workspaceFor } from '../action.js';
import type { CliState } from '../main.js';
import { printJson, type Io } from '../output.js';

export function registerDispatch(program: Command, io: Io, state: CliState): void {
  program
    .command('dispatch <prompt>')
    .description('create a task from a prompt and work it in the background; prints its id at once')
    .option('--agent <agent>', 'agent to run')
    .option('--role <role>', 'role of the task', 'developer')
    .option('--json', 'print JSON')
    .action(
      action(state, async (prompt: string, options: { agent?: string; role?: string; json?: boolean }) => {
        const ws = await workspaceFor(io);
        const started = await dispatch(ws, { prompt, agent: options.agent, role: options.role, crewCommand: [process.execPath, process.argv[1] ?? 'crew'] });
        if (options.json) printJson(io, started);
        else io.out(`${started.id} dispatched (pid ${started.pid}); follow it with: crew log ${started.id} -f`);
      }),
    );
}
