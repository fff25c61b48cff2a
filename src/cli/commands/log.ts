import type { Command } from 'commander';
import { parseTaskEvent } from '../../task-log/events.js';
import { ExitCode } from '../../errors.js';
import { endEvent, followLog } from '../../views/follow-log.js';
import { gatherLog } from '../../views/gather-log.js';
import { eventToJson, printableLines, renderLog } from '../../views/log.js';
import { dispatchedWorkerGone, lastLines, readDispatchRecord } from '../../workflows/dispatch.js';
import { action, workspaceFor } from '../action.js';
import type { CliState } from '../action.js';
import { printJson, type Io } from '../output.js';
import { onStopSignals } from '../../process/signals.js';

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

/** The events that end a task's follow, and the exit code each gives (design section 9). */
const TASK_ENDS = ['done', 'review', 'blocked'] as const;
const exitCodeOfEnd = (event: string) => (event === 'blocked' ? ExitCode.blocked : ExitCode.ok);

/** Resolves when the user presses Ctrl-C (or the process gets SIGTERM). */
function untilInterrupted(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const stopListening = onStopSignals(() => {
    stopListening();
    controller.abort();
  });
  return { signal: controller.signal, dispose: stopListening };
}

export function registerLog(program: Command, io: Io, state: CliState): void {
  program
    .command('log [id]')
    .description('the task log on the base branch; with an id, that task\'s lines and the run logs of its attempts')
    .option('-f, --follow', 'keep printing new lines as state commits land; with an id, until the task is done, in review or blocked (Ctrl-C stops)')
    .option('--json', 'print JSON (with -f: one JSON event per line)')
    .action(
      action(state, async (id: string | undefined, options: LogOptions) => {
        const ws = await workspaceFor(io);
        const view = await gatherLog(ws, id);
        if (options.json && options.follow) for (const event of eventsJson(view.lines)) io.out(JSON.stringify(event));
        else if (options.json) printJson(io, { task: view.task, events: eventsJson(view.lines), runs: view.runs });
        else io.out(options.follow ? printableLines(view.lines) || '(waiting for new lines; Ctrl-C stops)' : renderLog(view));
        if (!options.follow) return;
        // NOTE: following one task ends when it does: done, in review, or blocked.
        const endsAt = view.task ? TASK_ENDS : undefined;
        const ended = endEvent(view.lines.slice(-1), endsAt);
        if (ended) return exitCodeOfEnd(ended);
        const dispatched = view.task ? await readDispatchRecord(ws, view.task) : undefined;
        const interrupt = untilInterrupted();
        try {
          const end = await followLog(ws, {
            task: view.task,
            from: { commit: view.commit, text: view.text },
            intervalMs: 500,
            signal: interrupt.signal,
            endsAt,
            workerGone: dispatched ? () => dispatchedWorkerGone(dispatched, ws.host) : undefined,
            onLines: (lines) => (options.json ? eventsJson(lines).forEach((event) => io.out(JSON.stringify(event))) : io.out(printableLines(lines))),
          });
          if (end.kind === 'ended') return exitCodeOfEnd(end.event);
          if (end.kind === 'worker-gone' && dispatched) {
            io.err(`crew: ${view.task}'s background worker (pid ${dispatched.pid}) has ended without finishing it; its last lines:`);
            for (const line of await lastLines(dispatched.log, 8)) io.err(`  ${line}`);
            return ExitCode.failed;
          }
        } finally {
          interrupt.dispose();
        }
      }),
    );
}
