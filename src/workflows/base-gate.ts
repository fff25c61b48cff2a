import { createHash } from 'node:crypto';
import { access, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { selectNextTask } from '../backlog/select.js';
import type { Task } from '../backlog/task.js';
import { CrewError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { runGate } from '../gate/run-gate.js';
import { IntegrationCheckout } from '../merge-queue/integration-checkout.js';
import { codeKey } from '../merge-queue/verdicts.js';
import type { Reporter } from '../worker/events.js';
import { readBacklog } from './read-backlog.js';
import type { Workspace } from '../workspace.js';

export interface BaseGateRequest {
  signal: AbortSignal;
  reporter: Reporter;
  /** The worker the console shows doing this check (in `crew run`, the first one). */
  worker: string;
  /** What the run would take (`crew work --task`, `--role`): with nothing eligible no gate runs. */
  taskId?: string;
  role?: string;
  /** A studio that waits for tasks checks the base even while nothing is eligible yet. */
  evenIfIdle?: boolean;
}

/** `green`: ran and passed; `remembered`: passed before on this code; `idle`: nothing to work on. */
export type BaseGateOutcome = 'green' | 'remembered' | 'idle' | 'stopped';

/** Whether a run asked for `taskId`/`role` would claim anything from these eligible tasks. */
export function wouldClaim(eligible: readonly Pick<Task, 'id'>[], taskId: string | undefined): boolean {
  return taskId === undefined ? eligible.length > 0 : eligible.some((task) => task.id.toLowerCase() === taskId.toLowerCase());
}

/** The file that remembers a green gate: one per base code (tree without the backlog) and gate commands. */
export function verdictName(commands: readonly string[], code: string): string {
  return `${createHash('sha256').update(`${JSON.stringify(commands)}\n${code}`).digest('hex').slice(0, 32)}.green`;
}

const verdictsDir = (ws: Workspace) => join(ws.commonDir, 'crewtree', 'base-gate');

/**
 * Remembers the code of commits this run landed as green: each passed the gate before the base
 * moved to it (design section 4, rule 5), so the next run does not gate it again.
 */
export async function rememberLandedGreen(ws: Workspace, commits: readonly string[]): Promise<void> {
  if (ws.config.gate.length === 0 || commits.length === 0) return;
  await mkdir(verdictsDir(ws), { recursive: true });
  for (const commit of commits) {
    await writeFileAtomic(join(verdictsDir(ws), verdictName(ws.config.gate, await codeKey(ws.git, commit, ws.config.backlog))), `${commit}\n`);
  }
}

/**
 * Main's gate first: before the first claim, the gate runs on the base itself, in a detached
 * checkout of it. A red base throws with the failing command, before any task is claimed or agent
 * started: an agent run against a suite that is already red is a wasted run. A green verdict is
 * remembered in `.git/crewtree/base-gate/` per base code and gate commands, so it runs once per
 * base tree; a red one is not, since the fix may lie outside the tree (a missing `npm install`).
 */
export async function checkBaseGate(ws: Workspace, request: BaseGateRequest): Promise<BaseGateOutcome> {
  const commands = ws.config.gate;
  if (commands.length === 0) return 'green';
  const backlog = await readBacklog(ws);
  if (!request.evenIfIdle && !wouldClaim(selectNextTask(backlog, { role: request.role }).eligible, request.taskId)) return 'idle';
  const base = backlog.snapshot.commit;
  const dir = verdictsDir(ws);
  const remembered = join(dir, verdictName(commands, await codeKey(ws.git, base, ws.config.backlog)));
  if (await access(remembered).then(() => true, () => false)) return 'remembered';
  const short = base.slice(0, 8);
  request.reporter.emit({ worker: request.worker, phase: 'gate', detail: `${ws.config.base} first (${short}): ${commands.join(' && ')}`, time: ws.clock.now() });
  await mkdir(dir, { recursive: true });
  const log = join(dir, `${short}.log`);
  await rm(log, { force: true });
  const checkout = new IntegrationCheckout(ws);
  try {
    const gate = await runGate({ cwd: await checkout.checkout(base), commands, env: {}, timeoutMs: ws.config.timeout, logFile: log, signal: request.signal });
    if (gate.failed?.stopped || request.signal.aborted) return 'stopped';
    if (gate.ok) {
      await writeFileAtomic(remembered, `${base}\n`);
      await rm(log, { force: true });
      return 'green';
    }
    const command = `${gate.failed?.command ?? ''}${gate.failed?.timedOut ? ' (timed out)' : ''}`;
    throw new CrewError('gate-failed', `The gate fails on ${ws.config.base} itself (${short}): \`${command}\` is red before any agent ran, so no task was claimed and no agent started.`, {
      details: gate.tail.split('\n').slice(-15),
      hint: `Fix ${ws.config.base} first (the whole output: ${log}), or correct gate: in .crewtree/config.yaml. The next crew run or crew work checks again.`,
    });
  } finally {
    await checkout.remove().catch(() => undefined);
  }
}
