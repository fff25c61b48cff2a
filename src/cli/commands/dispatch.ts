import type { Command } from 'commander';
import { formatWorkerEvent } from '../../worker/events.js';
import { checkBaseGate } from '../../workflows/base-gate.js';
import { dispatch } from '../../workflows/dispatch.js';
import { checkBeforeClaim, parseSandboxFlag } from '../../workflows/sandbox-check.js';
import { action, workspaceFor } from '../action.js';
import type { CliState } from '../action.js';
import { emitFinished, streamEvents } from '../json-events.js';
import type { Io } from '../output.js';
import { crewCommand, pasteable } from '../crew-command.js';

interface DispatchOptions {
  agent?: string;
  role?: string;
  review?: boolean;
  sandbox?: string;
  json?: boolean;
}

export function registerDispatch(program: Command, io: Io, state: CliState): void {
  program
    .command('dispatch <prompt>')
    .description('create a task from a prompt and work it in the background; returns once its agent runs')
    .option('--agent <agent>', 'agent to run')
    .option('--role <role>', 'role of the task', 'developer')
    .option('--review', 'stop the task at review when its gate passes (crew approve lands it)')
    .option('--sandbox <policy>', 'agent sandbox: auto, required or off (default: the config\'s sandbox)')
    .option('--json', 'stream events as NDJSON on stdout, one per line (README: Events)')
    .action(
      action(state, async (prompt: string, options: DispatchOptions) => {
        const sandbox = parseSandboxFlag(options.sandbox);
        const ws = await workspaceFor(io, { sandbox });
        // NOTE: refused here, before the task is even created, rather than in the background worker's log.
        const warning = await checkBeforeClaim(ws, options.agent);
        if (warning) io.err(warning);
        const controller = new AbortController();
        const quiet = { emit: () => undefined };
        const shown = { emit: (event: Parameters<typeof formatWorkerEvent>[0]) => io.err(formatWorkerEvent(event)) };
        await checkBaseGate(ws, { signal: controller.signal, reporter: options.json ? quiet : shown, worker: 'dispatch', evenIfIdle: true });
        const unstream = options.json ? streamEvents(io, ws) : () => undefined;
        try {
          const started = await dispatch(ws, { prompt, agent: options.agent, role: options.role, review: options.review, sandbox, crewCommand: [process.execPath, process.argv[1] ?? 'crew'] });
          const { start, ...result } = started;
          const code = start.kind === 'ended' ? start.exitCode : 0;
          if (options.json) return emitFinished(ws, 'dispatch', code, { ...result, ...(start.kind === 'ended' ? { ended: { exitCode: code, output: start.output } } : {}) });
          if (start.kind === 'ended') {
            io.err(`crew: ${started.id}'s background worker (pid ${started.pid}) ended before its agent started (exit ${code}); its last lines:`);
            for (const line of start.output) io.err(`  ${line}`);
            io.err(pasteable(`hint: ${started.id} stays in the backlog; see \`crew task show ${started.id}\`, and \`crew work --task ${started.id}\` once fixed (the whole output: ${started.log}).`, crewCommand(io.env)));
            return code;
          }
          io.out(`${started.id} dispatched (pid ${started.pid}); follow it with: ${crewCommand(io.env)} log ${started.id} -f`);
          return 0;
        } finally {
          unstream();
        }
      }),
    );
}
