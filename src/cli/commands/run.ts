import type { Command } from 'commander';
import { CrewError } from '../../errors.js';
import { planSlots, runStudio } from '../../studio/run-studio.js';
import { removeWorkerStatus } from '../../studio/status-files.js';
import { checkBeforeClaim, parseSandboxFlag } from '../../workflows/sandbox-check.js';
import { addRunTotals, formatRunTotals } from '../../studio/run-totals.js';
import { readTaskRuns } from '../../worker/runs.js';
import { checkBaseGate, rememberLandedGreen } from '../../workflows/base-gate.js';
import { action, workspaceFor } from '../action.js';
import type { CliState } from '../action.js';
import { emitFinished, streamEvents } from '../json-events.js';
import type { Io } from '../output.js';
import { stopOnSignals, studioReporters } from '../reporters.js';

interface RunOptions {
  jobs: string;
  roles?: string;
  agent?: string;
  untilEmpty?: boolean;
  maxTasks?: string;
  sandbox?: string;
  json?: boolean;
}

export function parseRoles(spec: string | undefined): Record<string, number> | undefined {
  if (!spec) return undefined;
  const roles: Record<string, number> = {};
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const match = /^([A-Za-z][A-Za-z0-9_-]*)(?:=(\d+))?$/.exec(part);
    if (!match?.[1]) throw new CrewError('usage', `--roles ${spec}: "${part}" is not role=count.`, { hint: 'e.g. --roles developer=3,architect=1' });
    roles[match[1]] = Number(match[2] ?? 1);
  }
  return roles;
}

function positive(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CrewError('usage', `${flag} ${value} is not a positive whole number.`);
  return n;
}

export function registerRun(program: Command, io: Io, state: CliState): void {
  program
    .command('run')
    .description('the studio: several workers in parallel, each taking the next eligible task; Ctrl-C stops cleanly')
    .option('-j, --jobs <n>', 'workers in parallel', '2')
    .option('--roles <spec>', 'workers per role, e.g. developer=3,architect=1')
    .option('--agent <agent>', 'agent for every worker (default: role or config agent)')
    .option('--until-empty', 'stop when no task is eligible and no worker is busy')
    .option('--max-tasks <n>', 'start at most this many tasks')
    .option('--sandbox <policy>', 'agent sandbox: auto, required or off (default: the config\'s sandbox)')
    .option('--json', 'stream events as NDJSON on stdout, one per line (README: Events)')
    .action(
      action(state, async (options: RunOptions) => {
        const ws = await workspaceFor(io, { sandbox: parseSandboxFlag(options.sandbox) });
        const warning = await checkBeforeClaim(ws, options.agent);
        if (warning) io.err(warning);
        const slots = planSlots({ jobs: positive(options.jobs, '-j'), roles: parseRoles(options.roles), agent: options.agent ?? ws.config.agent });
        const { terminal, files, reporter } = studioReporters(io, ws, Boolean(options.json));
        const controller = new AbortController();
        const unhook = stopOnSignals(io, controller);
        const since = ws.clock.now().toISOString();
        const unstream = options.json ? streamEvents(io, ws) : () => undefined;
        try {
          await checkBaseGate(ws, { signal: controller.signal, reporter, worker: slots[0]?.worker ?? 'crew', evenIfIdle: !options.untilEmpty });
          if (controller.signal.aborted) return options.json ? emitFinished(ws, 'run', 130, { stopped: 'before any claim' }) : 130;
          const summary = await runStudio(ws, {
            slots,
            agent: options.agent,
            untilEmpty: Boolean(options.untilEmpty),
            maxTasks: positive(options.maxTasks, '--max-tasks'),
            signal: controller.signal,
            reporter,
            onProgress: (totals) => terminal.setTotals(totals),
          });
          terminal.stop();
          await rememberLandedGreen(ws, summary.results.flatMap((result) => ('commit' in result ? [result.commit] : [])));
          const byKind = (kind: string) => summary.results.filter((r) => r.kind === kind).map((r) => r.task.id);
          const report = { done: byKind('done'), blocked: byKind('blocked'), review: byKind('review'), released: byKind('released'), fenced: byKind('fenced') };
          const ids = [...new Set(summary.results.map((result) => result.task.id))];
          const totals = addRunTotals(await Promise.all(ids.map((id) => readTaskRuns(ws, id))), since);
          const code = controller.signal.aborted ? 130 : report.blocked.length > 0 ? 5 : 0;
          if (options.json) return emitFinished(ws, 'run', code, { ...report, tokens: totals.tokens ?? null, costUsd: totals.costUsd ?? null });
          io.out(`studio finished: ${report.done.length} done, ${report.blocked.length} blocked, ${report.review.length} in review, ${report.released.length} released`);
          io.out(formatRunTotals(totals));
          return code;
        } finally {
          terminal.stop();
          unhook();
          unstream();
          await files.flush();
          for (const slot of slots) await removeWorkerStatus(ws.commonDir, slot.worker);
        }
      }),
    );
}
