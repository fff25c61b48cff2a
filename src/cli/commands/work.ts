import type { Command } from 'commander';
import { sanitizeWorkerName } from '../../claims/names.js';
import { ExitCode } from '../../errors.js';
import { removeWorkerStatus } from '../../studio/status-files.js';
import { queueDriversIdle } from '../../merge-queue/index.js';
import { workOneTask } from '../../worker/work-task.js';
import { checkBeforeClaim, parseSandboxFlag } from '../../workflows/sandbox-check.js';
import { checkBaseGate, rememberLandedGreen } from '../../workflows/base-gate.js';
import { action, workspaceFor } from '../action.js';
import type { CliState } from '../action.js';
import { emitFinished, streamEvents } from '../json-events.js';
import type { Io } from '../output.js';
import { stopOnSignals, studioReporters } from '../reporters.js';

interface WorkOptions {
  role?: string;
  agent?: string;
  task?: string;
  worker?: string;
  sandbox?: string;
  json?: boolean;
}

export const exitCodeFor = { done: ExitCode.ok, review: ExitCode.ok, blocked: ExitCode.blocked, released: ExitCode.failed, fenced: ExitCode.lostRace } as const;

export function registerWork(program: Command, io: Io, state: CliState): void {
  program
    .command('work')
    .description('one worker, one task, the whole loop: claim, worktree, agent, gate, commit, land, clean up')
    .option('--role <role>', 'take a task of this role')
    .option('--agent <agent>', 'agent to run (default: role or config agent)')
    .option('--task <id>', 'work this task')
    .option('--worker <name>', 'worker name (default: <agent>-<pid>)')
    .option('--sandbox <policy>', 'agent sandbox: auto, required or off (default: the config\'s sandbox)')
    .option('--json', 'stream events as NDJSON on stdout, one per line (README: Events)')
    .action(
      action(state, async (options: WorkOptions) => {
        const ws = await workspaceFor(io, { sandbox: parseSandboxFlag(options.sandbox) });
        const warning = await checkBeforeClaim(ws, options.agent);
        if (warning) io.err(warning);
        const worker = sanitizeWorkerName(options.worker ?? `${options.agent ?? ws.config.agent}-${process.pid}`);
        const { terminal, files, reporter } = studioReporters(io, ws, Boolean(options.json));
        const controller = new AbortController();
        const unhook = stopOnSignals(io, controller);
        const unstream = options.json ? streamEvents(io, ws) : () => undefined;
        try {
          await checkBaseGate(ws, { signal: controller.signal, reporter, worker, taskId: options.task, role: options.role });
          if (controller.signal.aborted) return options.json ? emitFinished(ws, 'work', 130, { stopped: 'before any claim' }) : 130;
          const result = await workOneTask(ws, { worker, role: options.role, agent: options.agent, taskId: options.task, slot: 0, signal: controller.signal, reporter }).finally(() => queueDriversIdle(ws));
          terminal.stop();
          if ('commit' in result) await rememberLandedGreen(ws, [result.commit]);
          const code = controller.signal.aborted ? 130 : exitCodeFor[result.kind];
          if (options.json) return emitFinished(ws, 'work', code, { result: result.kind, task: result.task.id, ...('commit' in result ? { commit: result.commit } : { detail: result.detail }) });
          io.out(`${result.task.id} ${result.kind}${'commit' in result ? ` (${result.commit.slice(0, 8)} on ${ws.config.base})` : `: ${result.detail}`}`);
          return code;
        } finally {
          terminal.stop();
          unhook();
          unstream();
          await files.flush();
          await removeWorkerStatus(ws.commonDir, worker);
        }
      }),
    );
}
