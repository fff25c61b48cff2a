import type { Command } from 'commander';
import { claimTask } from '../../claims/claim.js';
import { startHeartbeat } from '../../claims/heartbeat.js';
import { releaseTask } from '../../claims/release.js';
import { taskToJson } from '../../backlog/task-json.js';
import { CrewError } from '../../errors.js';
import { clearHeartbeatEverywhere, heartbeatPublisher } from '../../remote/heartbeats.js';
import { action, workspaceFor } from '../action.js';
import type { CliState } from '../action.js';
import { printJson, type Io } from '../output.js';
import { onStopSignals } from '../../process/signals.js';

interface ClaimOptions {
  next?: boolean;
  role?: string;
  worker: string;
  pid?: string;
  hold?: boolean;
  json?: boolean;
}

function parsePid(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const pid = Number(value);
  if (!Number.isInteger(pid) || pid <= 0) throw new CrewError('usage', `--pid ${value} is not a process id.`);
  return pid;
}

/**
 * Resolves on Ctrl-C or SIGTERM; a timer keeps the process alive until then (signal handlers do
 * not). NOTE: the handlers stay until `dispose`: a second Ctrl-C must not kill the release that
 * the first one started.
 */
function stopSignal(): { stopped: Promise<void>; dispose(): void } {
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const keepAlive = setInterval(() => undefined, 1 << 30);
  const stopListening = onStopSignals(() => {
    clearInterval(keepAlive);
    stop();
  });
  return {
    stopped,
    dispose() {
      clearInterval(keepAlive);
      stopListening();
    },
  };
}

export function registerClaim(program: Command, io: Io, state: CliState): void {
  program
    .command('claim [id]')
    .description('take a task lock (by id, or --next) in one commit on the base branch')
    .option('--next', 'take the next eligible task')
    .option('--role <role>', 'with --next: only tasks of this role')
    .requiredOption('--worker <name>', 'who takes it')
    .option('--pid <pid>', 'the process that will do the work (default: the caller, i.e. the parent of crew)')
    .option('--hold', 'stay running and keep the lock alive with heartbeats until stopped (Ctrl-C releases it)')
    .option('--json', 'print JSON')
    .action(
      action(state, async (id: string | undefined, options: ClaimOptions) => {
        if (!id && !options.next) throw new CrewError('usage', 'Name a task id or pass --next.', { hint: 'crew claim A32 --worker me, or crew claim --next --worker me' });
        if (id && options.next) throw new CrewError('usage', 'Pass either a task id or --next, not both.');
        const ws = await workspaceFor(io);
        const pid = options.hold ? process.pid : parsePid(options.pid, process.ppid);
        const claim = await claimTask(ws, { id, role: options.role, worker: options.worker, pid });
        if (options.json) printJson(io, { ...taskToJson(claim.task), commit: claim.commit });
        else io.out(`${claim.task.id} claimed by ${claim.lock.worker} (token ${claim.lock.token}, branch ${claim.lock.branch})`);
        if (!options.hold) return;
        const signal = stopSignal();
        const heartbeat = startHeartbeat(ws.git, claim.task.id, claim.lock.token, Math.max(250, ws.config.lease / 4), heartbeatPublisher(ws));
        try {
          await signal.stopped;
          await heartbeat.stop();
          // NOTE: the heartbeat ref goes only once the release worked: if the lock was swept and
          // taken meanwhile, the ref may already be the new holder's.
          const released = await releaseTask(ws, { id: claim.task.id, token: claim.lock.token, actor: claim.lock.worker, note: 'hold ended' });
          await clearHeartbeatEverywhere(ws, claim.task.id);
          if (!options.json) io.out(`${released.task.id} released (${released.task.status})`);
        } finally {
          signal.dispose();
        }
      }),
    );
}
