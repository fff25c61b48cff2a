import type { Command } from 'commander';
import { dispatch } from '../../workflows/dispatch.js';
import { parseSandboxFlag, sandboxBeforeClaim } from '../../workflows/sandbox-check.js';
import { action, workspaceFor } from '../action.js';
import type { CliState } from '../action.js';
import { emitFinished, streamEvents } from '../json-events.js';
import type { Io } from '../output.js';

export function registerDispatch(program: Command, io: Io, state: CliState): void {
  program
    .command('dispatch <prompt>')
    .description('create a task from a prompt and work it in the background; prints its id at once')
    .option('--agent <agent>', 'agent to run')
    .option('--role <role>', 'role of the task', 'developer')
    .option('--sandbox <policy>', 'agent sandbox: auto, required or off (default: the config\'s sandbox)')
    .option('--json', 'stream events as NDJSON on stdout, one per line (README: Events)')
    .action(
      action(state, async (prompt: string, options: { agent?: string; role?: string; sandbox?: string; json?: boolean }) => {
        const sandbox = parseSandboxFlag(options.sandbox);
        const ws = await workspaceFor(io, { sandbox });
        // NOTE: refused here, before the task is even created, rather than in the background worker's log.
        const warning = await sandboxBeforeClaim(ws, options.agent);
        if (warning) io.err(warning);
        const unstream = options.json ? streamEvents(io, ws) : () => undefined;
        try {
          const started = await dispatch(ws, { prompt, agent: options.agent, role: options.role, sandbox, crewCommand: [process.execPath, process.argv[1] ?? 'crew'] });
          if (options.json) return emitFinished(ws, 'dispatch', 0, started);
          io.out(`${started.id} dispatched (pid ${started.pid}); follow it with: crew log ${started.id} -f`);
        } finally {
          unstream();
        }
      }),
    );
}
