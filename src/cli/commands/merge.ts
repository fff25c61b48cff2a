import type { Command } from 'commander';
import { ExitCode } from '../../errors.js';
import type { LandingOutcome } from '../../landing/lander.js';
import { runQueue, type QueueEvent, type QueueResult } from '../../merge-queue/index.js';
import { mergeTask } from '../../workflows/merge-task.js';
import { action, workspaceFor } from '../action.js';
import type { CliState } from '../action.js';
import { queueProgress } from '../../worker/queue-events.js';
import { emitFinished, streamEvents } from '../json-events.js';
import type { Io } from '../output.js';
import { onStopSignals } from '../../process/signals.js';

function short(commit: string): string {
  return commit.slice(0, 8);
}

/** One line per result, as a user reads it. */
export function describeOutcome(id: string, outcome: LandingOutcome | QueueResult, base: string): string {
  switch (outcome.kind) {
    case 'landed':
      return `${id} landed on ${base} as ${short(outcome.commit)}`;
    case 'conflict':
      return `${id} conflicts with ${base} in ${outcome.files.join(', ')}; back to its worker to merge ${base} in`;
    case 'gate-failed':
      return `${id} failed the gate on the merge with ${base}: ${outcome.command}`;
    case 'fenced':
      return `${id} not landed: ${outcome.message}`;
    case 'stopped':
      return `${id} not landed: stopped before it landed`;
  }
}

function describeProgress(event: QueueEvent, base: string): string | undefined {
  switch (event.kind) {
    case 'took-over':
      return `took over the merge queue: ${event.reason}`;
    case 'waiting':
      return `waiting: ${event.reason}; it drains the whole queue`;
    case 'gating':
      return `gating ${event.ids.join(', ')} on ${base} (${short(event.commit)})`;
    case 'gated':
      return event.reused ? undefined : `gate ${event.ok ? 'passed' : `failed: ${event.command ?? ''}`} for ${event.ids.join(', ')} (${(event.durationMs / 1000).toFixed(1)} s)`;
    case 'rebuild':
      return `rebuilding ${event.ids.join(', ')}: ${event.reason}`;
    case 'dropped':
      return `dropped ${event.id}: ${event.reason}`;
    case 'settled':
      return describeOutcome(event.result.id, event.result, base);
    default:
      return undefined;
  }
}

function exitCodeOf(kinds: readonly LandingOutcome['kind'][]): number {
  if (kinds.some((kind) => kind === 'gate-failed' || kind === 'conflict')) return ExitCode.blocked;
  if (kinds.includes('fenced')) return ExitCode.lostRace;
  return ExitCode.ok;
}

/** Ctrl-C stops the gate and leaves every entry waiting; a second Ctrl-C exits at once. */
function stopOnSignals(io: Io, controller: AbortController): () => void {
  return onStopSignals(() => {
    if (controller.signal.aborted) process.exit(130);
    io.err('crew: stopping the merge queue: the gate is stopped, waiting branches stay queued (Ctrl-C again to force)');
    controller.abort(new Error('stopped by the user'));
  });
}

export function registerMerge(program: Command, io: Io, state: CliState): void {
  program
    .command('merge [id]')
    .description('run the merge queue once: merge waiting branches onto the base, gate, land; with ID, land just that task')
    .option('--worker <name>', 'who runs the queue, for the log', 'crew merge')
    .option('--json', 'stream events as NDJSON on stdout, one per line (README: Events)')
    .action(
      action(state, async (id: string | undefined, options: { worker: string; json?: boolean }) => {
        const ws = await workspaceFor(io);
        const base = ws.config.base;
        const onEvent = (event: QueueEvent) => {
          ws.events.emit(queueProgress(event, ws.clock.now()));
          const line = options.json ? undefined : describeProgress(event, base);
          if (line) io.out(line);
        };
        const controller = new AbortController();
        const unhook = stopOnSignals(io, controller);
        const unstream = options.json ? streamEvents(io, ws) : () => undefined;
        try {
          if (id !== undefined) {
            const outcome = await mergeTask(ws, id, { actor: options.worker, onEvent, signal: controller.signal });
            const code = exitCodeOf([outcome.kind]);
            if (options.json) return emitFinished(ws, 'merge', code, { id, ...outcome });
            if (outcome.kind !== 'landed') io.out(describeOutcome(id, outcome, base));
            return code;
          }
          const summary = await runQueue(ws, { runner: options.worker, onEvent, signal: controller.signal });
          const code = summary.results.length === 0 ? (summary.stopped ? ExitCode.failed : ExitCode.nothingToDo) : exitCodeOf(summary.results.map((result) => result.kind));
          if (options.json) return emitFinished(ws, 'merge', code, { ...summary });
          if (summary.results.length === 0 && !summary.stopped) io.out('Nothing waits in the merge queue.');
          else io.out(`Merge queue ${summary.stopped ? `stopped (${summary.stopped})` : 'drained'}: ${summary.results.length} settled, ${summary.gateRuns} gate run${summary.gateRuns === 1 ? '' : 's'}.`);
          return code;
        } finally {
          unhook();
          unstream();
        }
      }),
    );
}
