import type { Command } from 'commander';
import { describeReason, selectNextTask } from '../../backlog/select.js';
import { taskToJson } from '../../backlog/task-json.js';
import { ExitCode } from '../../errors.js';
import { readBacklog } from '../../workflows/read-backlog.js';
import { action, workspaceFor } from '../action.js';
import { printBacklogNotices } from '../backlog-notices.js';
import type { CliState } from '../action.js';
import { printJson, type Io } from '../output.js';

export function registerNext(program: Command, io: Io, state: CliState): void {
  program
    .command('next')
    .description('which task a worker would pick, and why the others are not eligible (exit 3: none)')
    .option('--role <role>', 'the worker role (default: any)')
    .option('--json', 'print JSON')
    .action(
      action(state, async (options: { role?: string; json?: boolean }) => {
        const ws = await workspaceFor(io);
        const backlog = await readBacklog(ws);
        printBacklogNotices(io, backlog, ws.config.base);
        const selection = selectNextTask(backlog, { role: options.role });
        if (options.json) {
          printJson(io, {
            pick: selection.pick ? taskToJson(selection.pick) : null,
            eligible: selection.eligible.map((task) => task.id),
            ineligible: selection.ineligible.map((c) => ({ id: c.task.id, reasons: c.reasons, why: c.reasons.map(describeReason) })),
          });
        } else {
          // NOTE: one write: a line per task is 10,000 writes on a large backlog.
          const lines = [selection.pick ? `next: ${selection.pick.id} ${selection.pick.title} (${selection.pick.priority})` : 'next: nothing eligible'];
          for (const task of selection.eligible.slice(1)) lines.push(`  ${task.id}: eligible, ranked lower (${task.priority})`);
          for (const c of selection.ineligible) if (c.task.status !== 'done') lines.push(`  ${c.task.id}: ${c.reasons.map(describeReason).join('; ')}`);
          io.out(lines.join('\n'));
        }
        return selection.pick ? ExitCode.ok : ExitCode.nothingToDo;
      }),
    );
}
