import type { Command } from 'commander';
import { gatherStatus } from '../../views/gather-status.js';
import { renderStatus } from '../../views/status.js';
import { action, workspaceFor } from '../action.js';
import type { CliState } from '../action.js';
import { chooseOutputMode, printJson, useColor, type Io } from '../output.js';

export function registerStatus(program: Command, io: Io, state: CliState): void {
  program
    .command('status')
    .description('what is happening: workers, locks, the merge queue, task worktrees, stale locks')
    .option('--json', 'print JSON')
    .action(
      action(state, async (options: { json?: boolean }) => {
        const model = await gatherStatus(await workspaceFor(io));
        if (options.json) return printJson(io, model);
        io.out(renderStatus(model, { color: useColor(chooseOutputMode({ isTTY: io.isTTY, env: io.env }), io.env) }));
      }),
    );
}
