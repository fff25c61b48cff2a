import type { Command } from 'commander';
import { sweep } from '../../sweeper/sweep.js';
import { STRANDED_REASON } from '../../sweeper/stranded.js';
import { action, workspaceFor } from '../action.js';
import type { CliState } from '../action.js';
import { printJson, type Io } from '../output.js';

export function registerSweep(program: Command, io: Io, state: CliState): void {
  program
    .command('sweep')
    .description('release locks whose holder is gone (dead pid, or no heartbeat for the lease); keeps branches and worktrees')
    .option('--dry-run', 'only say what would be swept')
    .option('--json', 'print JSON')
    .action(
      action(state, async (options: { dryRun?: boolean; json?: boolean }) => {
        const result = await sweep(await workspaceFor(io), { dryRun: options.dryRun });
        if (options.json) return printJson(io, result);
        if (result.swept.length === 0 && result.unstranded.length === 0) io.out('No stale locks.');
        for (const s of result.swept) io.out(`${result.dryRun ? 'would sweep' : 'swept'} ${s.id} (${s.worker}): ${s.reason}; branch ${s.branch} kept`);
        for (const id of result.unstranded) io.out(`${result.dryRun ? 'would sweep' : 'swept'} ${id}: ${STRANDED_REASON}; ${result.dryRun ? 'would be' : 'now'} todo`);
      }),
    );
}
