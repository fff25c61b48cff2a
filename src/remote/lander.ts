import type { Lander, LandingOutcome, LandingRequest } from '../landing/lander.js';
import { CrewError } from '../errors.js';
import { readSnapshot } from '../state/snapshot.js';
import { readBase } from '../state/transaction.js';
import type { Workspace } from '../workspace.js';
import { RemoteGit, unreachable } from './remote-git.js';

/** With a remote, lands through `inner` after publishing the task branch there; without one, `inner` itself. */
export function landerFor(ws: Workspace, inner: Lander): Lander {
  return ws.config.remote ? new RemoteBranchLander(ws, ws.config.remote, inner) : inner;
}

/**
 * Pushes the task branch to the remote before it lands, so the work is on the shared server
 * before the base moves (design: task branches are pushed before they land). The push is a
 * fast-forward only and happens while the remote's base still shows this worker's lock, so a
 * swept worker neither lands nor rewrites the branch of whoever holds the task now. The landing
 * itself stays fenced by the compare-and-swap push of the base.
 */
export class RemoteBranchLander implements Lander {
  private readonly remoteGit: RemoteGit;

  constructor(
    private readonly ws: Workspace,
    private readonly remote: string,
    private readonly inner: Lander,
  ) {
    this.remoteGit = new RemoteGit(ws, remote);
  }

  async land(request: LandingRequest): Promise<LandingOutcome> {
    const fence = await this.fenceMessage(request);
    if (fence) return { kind: 'fenced', message: fence };
    const ref = `refs/heads/${request.lock.branch}`;
    const verdict = await this.remoteGit.push([], [`${request.tip}:${ref}`]);
    if (verdict.kind === 'unreachable') throw unreachable(this.remote, `git push ${request.lock.branch}: ${verdict.detail}`, this.remoteGit.policy.attempts);
    if (verdict.kind === 'refused') {
      throw new CrewError('remote-failed', `The remote ${this.remote} refused the task branch ${request.lock.branch}: ${verdict.detail}. ${request.task.id} was not landed; its lock and branch are as they were.`, {
        hint: `Allow pushes to ${this.ws.config.branch.split('{')[0] || 'task branches'}* on ${this.remote}, or change branch: in .crewtree/config.yaml.`,
      });
    }
    if (verdict.kind === 'lost') {
      // NOTE: a branch of that name with other history (an earlier holder's, swept) stays as it is; the landing commit still carries this tip.
      const again = await this.fenceMessage(request);
      if (again) return { kind: 'fenced', message: again };
    }
    const outcome = await this.inner.land(request);
    if (outcome.kind === 'landed' && !this.ws.config.merge.keep_branches && verdict.kind === 'pushed') {
      await this.remoteGit.push([`--force-with-lease=${ref}:${request.tip}`], [`:${ref}`], { retry: false }).catch(() => undefined);
    }
    return outcome;
  }

  /** Why this worker may no longer land or push the task (its lock on the remote's base is gone), or undefined. */
  private async fenceMessage(request: LandingRequest): Promise<string | undefined> {
    const snapshot = await readSnapshot(this.ws.git, await readBase(this.ws), this.ws.config.backlog);
    const task = snapshot.backlog.tasks.find((t) => t.id === request.task.id);
    if (task?.lock?.token === request.lock.token) return undefined;
    const holder = task?.lock ? `locked by ${task.lock.worker} on ${task.lock.host}` : 'no longer locked';
    return `Refused to land ${request.task.id}: on ${this.remote}'s ${this.ws.config.base} it is ${holder}. Its branch ${request.lock.branch} was not pushed over anyone's and ${this.ws.config.base} did not move.`;
  }
}
