import type { Command } from 'commander';
import { clean } from '../../workflows/clean.js';
import { action, workspaceFor } from '../action.js';
import type { CliState } from '../action.js';
import { printJson, type Io } from '../output.js';

export function registerClean(program: Command, io: Io, state: CliState): void {
  program
    .command('clean')
    .description('remove finished worktrees and merged ai/ branches; report (never delete) ones holding work')
    .option('--json', 'print JSON')
    .action(
      action(state, async (options: { json?: boolean }) => {
        const result = await clean(await workspaceFor(io));
        if (options.json) return printJson(io, result);
        for (const path of result.removed) io.out(`removed ${path}`);
        for (const branch of result.deletedBranches) io.out(`deleted branch ${branch}`);
        for (const kept of result.kept) io.out(`kept ${kept.path}: ${kept.why}`);
        if (result.removed.length + result.deletedBranches.length + result.kept.length === 0) io.out('Nothing to clean.');
      }),
    );
}
