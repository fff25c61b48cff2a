import type { Command } from 'commander';
import { parseTaskEvent } from '../../task-log/events.js';
import { followLog } from '../../views/follow-log.js';
import { gatherLog } from '../../views/gather-log.js';
import { eventToJson, renderLog } from '../../views/log.js';
import { action, workspaceFor } from '../action.js';
import type { CliState } from '../action.js';
import { printJson, type Io } from '../output.js';

interface LogOptions {
  follow?: boolean;
  json?: boolean;
}

function eventsJson(lines: readonly string[]) {
  return lines.flatMap((line) => {
    const event = parseTaskEvent(line);
    return event ? [eventToJson(event)] : [];
  });
}

/** Resolves when the user presses Ctrl-C (or the process gets SIGTERM). */
function untilInterrupted(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
}

export function registerLog(program: Command, io: Io, state: CliState): void {
  program
    .command('log [id]')
    .description('the task log on the base branch; with an id, that task\'s lines and the run logs of its attempts')
    .option('-f, --follow', 'keep printing new lines as state commits land (Ctrl-C stops)')
    .option('--json', 'print JSON (with -f: one JSON event per line)')
    .action(
      action(state, async (id: string | undefined, options: LogOptions) => {
        const ws = await workspaceFor(io);
        const view = await gatherLog(ws, id);
        if (options.json && options.follow) for (const event of eventsJson(view.lines)) io.out(JSON.stringify(event));
        else if (options.json) printJson(io, { task: view.task, events: eventsJson(view.lines), runs: view.runs });
        else io.out(options.follow ? view.lines.join('\n') || '(waiting for new lines; Ctrl-C stops)' : renderLog(view));
        if (!options.follow) return;
        const interrupt = untilInterrupted();
        try {
          await followLog(ws, {
            task: view.task,
            from: { commit: view.commit, text: view.text },
            intervalMs: 500,
            signal: interrupt.signal,
            onLines: (lines) => (options.json ? eventsJson(lines).forEach((event) => io.out(JSON.stringify(event))) : io.out(lines.join('\n'))),
          });
        } finally {
          interrupt.dispose();
        }
      }),
    );
}
