import type { Command } from 'commander';
import { ExitCode } from '../../errors.js';
import { approve, reject } from '../../workflows/review.js';
import { action, workspaceFor } from '../action.js';
import type { CliState } from '../action.js';
import { printJson, type Io } from '../output.js';

export function registerReview(program: Command, io: Io, state: CliState): void {
  program
    .command('approve <id>')
    .description('land a task waiting in review: merge onto the base, gate, land')
    .option('--worker <name>', 'who approves, for the log', 'user')
    .option('--json', 'print JSON')
    .action(
      action(state, async (id: string, options: { worker: string; json?: boolean }) => {
        const outcome = await approve(await workspaceFor(io), id, { actor: options.worker });
        if (options.json) printJson(io, { id, ...outcome });
        else if (outcome.kind === 'landed') io.out(`${id} approved and landed (${outcome.commit.slice(0, 8)})`);
        else io.out(`${id} approved but not landed: ${outcome.kind === 'conflict' ? `conflicts in ${outcome.files.join(', ')}` : outcome.kind === 'fenced' ? outcome.message : outcome.kind === 'stopped' ? 'stopped' : outcome.command}`);
        return outcome.kind === 'landed' ? ExitCode.ok : outcome.kind === 'fenced' ? ExitCode.lostRace : ExitCode.blocked;
      }),
    );
  program
    .command('reject <id>')
    .description('send a task in review back to todo with the reason; its branch keeps the work')
    .requiredOption('-m, --message <why>', 'the reason, appended to the task')
    .option('--worker <name>', 'who rejects, for the log', 'user')
    .action(
      action(state, async (id: string, options: { message: string; worker: string }) => {
        const task = await reject(await workspaceFor(io), id, { actor: options.worker, reason: options.message });
        io.out(`${task.id} rejected: back to todo`);
      }),
    );
}
