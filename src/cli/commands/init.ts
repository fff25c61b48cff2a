import type { Command } from 'commander';
import { CONFIG_PATH, loadConfig } from '../../config/load.js';
import { findRepo, Git } from '../../git/git.js';
import { commitInitFiles, INIT_COMMIT_MESSAGE } from '../../init/commit.js';
import { describeFoundBacklog, findBacklogMd } from '../../init/detect-backlog.js';
import { scaffold } from '../../init/scaffold.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { action } from '../action.js';
import type { CliState } from '../action.js';
import { crewCommand, pasteable } from '../crew-command.js';
import { printJson, type Io } from '../output.js';

export function registerInit(program: Command, io: Io, state: CliState): void {
  program
    .command('init')
    .description('scaffold .crewtree/ (config, context, roles) and backlog/ in this repository, or adopt a Backlog.md backlog; commits only with --commit')
    .option('--commit', `commit the files init wrote ("${INIT_COMMIT_MESSAGE}"), so crewtree can use them at once`)
    .option('--json', 'print what was created as JSON')
    .action(
      action(state, async (options: { json?: boolean; commit?: boolean }) => {
        const { root } = await findRepo(io.cwd);
        // NOTE: an existing config (or CREWTREE_BACKLOG / CREWTREE_WORKTREES) says where things go.
        const config = await loadConfig(root, io.env);
        const configured = existsSync(join(root, CONFIG_PATH)) || io.env.CREWTREE_BACKLOG !== undefined;
        const found = await findBacklogMd(root, config.backlog);
        // NOTE: without a config of its own, crewtree's backlog is the Backlog.md one it found.
        const backlogDir = found && !configured ? found.dir : config.backlog;
        const result = await scaffold(root, backlogDir, config.worktrees, { backlogMd: found?.dir === backlogDir });
        const written = [...result.created, ...result.updated];
        const commit = options.commit ? await commitInitFiles(new Git(root), written) : undefined;
        if (options.json) return printJson(io, { ...result, backlogMd: found ? { dir: found.dir, tasks: found.tasks, finished: found.finished } : null, commit: commit ?? null });
        if (found) io.out(describeFoundBacklog(found));
        if (written.length === 0) {
          io.out('Nothing to do: crewtree is already set up here.');
          return;
        }
        for (const path of result.created) io.out(`created ${path}`);
        for (const path of result.updated) io.out(`updated ${path}`);
        io.out('');
        if (commit) io.out(`Committed them as ${commit.slice(0, 8)} "${INIT_COMMIT_MESSAGE}". Next:`);
        else {
          io.out('Nothing was committed, and crewtree reads only what is committed: until these files are, `crew task add` and');
          io.out(pasteable('`crew run` stop with "would overwrite uncommitted changes". Commit them first (or run `crew init --commit`):', crewCommand(io.env)));
          // NOTE: the files themselves, not the backlog folder: that may hold the user's own uncommitted work.
          const shown = [...new Set(written.map((path) => (path.startsWith('.crewtree/') ? '.crewtree' : path)))];
          io.out(`  git add -- ${shown.join(' ')} && git commit -m "${INIT_COMMIT_MESSAGE}"`);
          io.out('Then:');
        }
        const crew = crewCommand(io.env);
        io.out(`  ${crew} task add "Your first task" --priority high`);
        io.out(`  ${crew} run -j 2`);
      }),
    );
}
