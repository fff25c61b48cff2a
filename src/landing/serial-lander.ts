import { join } from 'node:path';
import { isCrewError } from '../errors.js';
import { runGate } from '../gate/run-gate.js';
import { land } from '../state/land.js';
import { readBase } from '../state/transaction.js';
import type { Workspace } from '../workspace.js';
import type { Lander, LandingOutcome, LandingRequest } from './lander.js';
import { taskCommitMessage } from '../worktree/commit.js';
import { sameCodeOutside } from '../git/merge.js';
import { LandingStack } from './stack.js';
import { withScratchCheckout } from './scratch.js';

const MAX_REBUILDS = 10;

export function landingMessage(request: Pick<LandingRequest, 'task' | 'lock'>): string {
  return `Merge ${request.lock.branch} (${request.task.id}: ${request.task.title.replace(/\s+/g, ' ')})\n\nTask: ${request.task.id}\n`;
}

/**
 * Lands one branch at a time: stack it onto the current base (`merge.strategy`), gate that exact commit (unless its
 * code equals the already-gated tip), and land it with the fenced compare-and-swap.
 */
export class SerialLander implements Lander {
  constructor(private readonly ws: Workspace) {}

  async land(request: LandingRequest): Promise<LandingOutcome> {
    const { ws } = this;
    let regated = false;
    for (let round = 1; round <= MAX_REBUILDS; round++) {
      const base = await readBase(ws);
      const stack = new LandingStack(ws.git, ws.config.merge.strategy, base);
      const stacked = await stack.add({ id: request.task.id, tip: request.tip, squashMessage: taskCommitMessage(request.task) });
      if (!stacked.clean) return { kind: 'conflict', files: stacked.files };
      const { top, steps } = await stack.finish(landingMessage(request));
      if (!(await sameCodeOutside(ws.git, top, request.tip, ws.config.backlog))) {
        regated = true;
        const gate = await withScratchCheckout(ws, top, request.env, (dir) =>
          runGate({ cwd: dir, commands: request.gateCommands, env: request.env, timeoutMs: ws.config.timeout, logFile: join(request.runDir, `landing-${round}.log`) }),
        );
        if (!gate.ok) return { kind: 'gate-failed', command: gate.failed?.command ?? '', tail: gate.tail };
      }
      try {
        const landing = await land(ws, {
          steps,
          onto: base,
          tasks: [{ id: request.task.id, token: request.lock.token, tip: request.tip, branch: request.lock.branch }],
          actor: request.lock.worker,
        });
        return { kind: 'landed', commit: landing.commit, regated };
      } catch (error) {
        if (isCrewError(error, 'fenced')) return { kind: 'fenced', message: error.message };
        if (!isCrewError(error, 'base-moved')) throw error;
      }
    }
    return { kind: 'gate-failed', command: 'landing', tail: `${ws.config.base} kept moving; gave up after ${MAX_REBUILDS} rebuilds` };
  }
}
