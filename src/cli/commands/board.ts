import type { Command } from 'commander';
import { taskToJson } from '../../backlog/task-json.js';
import { renderBoard } from '../../views/board.js';
import { readBacklog } from '../../workflows/read-backlog.js';
import { action, workspaceFor } from '../action.js';
import { printBacklogNotices } from '../backlog-notices.js';
import type { CliState } from '../action.js';
import { printJson, type Io } from '../output.js';

export function registerBoard(program: Command, io: Io, state: CliState): void {
  program
    .command('board')
    .description('a terminal kanban of the backlog: todo, in progress, review, done, blocked')
    .option('--width <columns>', 'width to fit (default: the terminal)')
    .option('--json', 'print JSON')
    .action(
      action(state, async (options: { width?: string; json?: boolean }) => {
        const ws = await workspaceFor(io);
        const backlog = await readBacklog(ws);
        printBacklogNotices(io, backlog, ws.config.base);
        if (options.json) return printJson(io, backlog.tasks.map(taskToJson));
        io.out(renderBoard(backlog.tasks, Number(options.width ?? process.stdout.columns ?? 120)));
      }),
    );
}
