import type { Command } from 'commander';
import { findRepo } from '../../git/git.js';
import { loadConfig } from '../../config/load.js';
import { scaffold } from '../../init/scaffold.js';
import { action } from '../action.js';
import type { CliState } from '../main.js';
import { printJson, type Io } from '../output.js';

export function registerInit(program: Command, io: Io, state: CliState): void {
  program
    .command('init')
    .description('scaffold .crewtree/ (config, context, roles) and backlog/ in this repository; commits nothing')
    .option('--json', 'print what was created as JSON')
    .action(
      action(state, async (options: { json?: boolean }) => {
        const { root } = await findRepo(io.cwd);
        // NOTE: an existing config (or CREWTREE_BACKLOG / CREWTREE_WORKTREES) says where things go.
        const config = await loadConfig(root, io.env);
        const result = await scaffold(root, config.backlog, config.worktrees);
        if (options.json) return printJson(io, result);
        if (result.created.length === 0 && result.updated.length === 0) {
          io.out('Nothing to do: crewtree is already set up here.');
          return;
        }
        for (const path of result.created) io.out(`created ${path}`);
        for (const path of result.updated) io.out(`updated ${path}`);
        io.out('');
        io.out('Nothing was committed. Next:');
        io.out(`  git add .crewtree ${config.backlog} .gitignore .gitattributes && git commit -m "chore: set up crewtree"`);
        io.out('  crew task add "Your first task" --priority high');
        io.out('  crew run -j 2');
      }),
    );
}
