import { CrewError } from '../errors.js';
import type { Git } from '../git/git.js';
import { parseLsRemote } from '../git/parse.js';
import { fetchObjects, lsRemote, pushRefs } from '../git/remote.js';
import type { Workspace } from '../workspace.js';
import { backoffMs, gitFailure, parsePushResult, type PushVerdict } from './push-result.js';
import { sleep } from '../process/sleep.js';

export interface RetryPolicy {
  /** Tries of one remote operation when the remote does not answer. */
  attempts: number;
  /** First pause between tries; it doubles each time (with jitter). */
  baseMs: number;
}

/** 5 tries over about 4 s by default; `CREWTREE_REMOTE_ATTEMPTS` / `CREWTREE_REMOTE_BACKOFF_MS` change it. */
export function retryPolicyOf(env: Record<string, string | undefined>): RetryPolicy {
  const attempts = Number(env.CREWTREE_REMOTE_ATTEMPTS ?? 5);
  const baseMs = Number(env.CREWTREE_REMOTE_BACKOFF_MS ?? 250);
  return { attempts: Number.isInteger(attempts) && attempts > 0 ? attempts : 5, baseMs: Number.isFinite(baseMs) && baseMs >= 0 ? baseMs : 250 };
}

/** Git commands against the configured remote, each retried a bounded number of times when the remote does not answer. */
export class RemoteGit {
  readonly git: Git;
  readonly remote: string;
  readonly policy: RetryPolicy;

  constructor(ws: Workspace, remote: string) {
    this.git = ws.git;
    this.remote = remote;
    this.policy = retryPolicyOf(ws.env);
  }

  /** `ref -> oid` on the remote for these refs (or patterns), in one connection. */
  async lsRemote(patterns: string[]): Promise<Map<string, string>> {
    const result = await this.retrying('git ls-remote', () => lsRemote(this.git, this.remote, patterns), (r) => r.exitCode === 0 || r.exitCode === 2);
    return parseLsRemote(result.stdout);
  }

  async fetch(refspecs: string[], extra: string[] = []): Promise<void> {
    await this.retrying('git fetch', () => fetchObjects(this.git, this.remote, refspecs, extra), (r) => r.exitCode === 0);
  }

  /** One `git push --porcelain`; tries again while the remote does not answer, then says `unreachable`. */
  async push(flags: string[], refspecs: string[], options: { retry?: boolean } = {}): Promise<PushVerdict> {
    const tries = options.retry === false ? 1 : this.policy.attempts;
    let verdict: PushVerdict = { kind: 'unreachable', detail: '' };
    for (let attempt = 1; attempt <= tries; attempt++) {
      if (attempt > 1) await sleep(backoffMs(attempt - 1, this.policy.baseMs));
      const result = await pushRefs(this.git, this.remote, flags, refspecs);
      verdict = parsePushResult(result.exitCode, result.stdout, result.stderr);
      if (verdict.kind !== 'unreachable') return verdict;
    }
    return verdict;
  }

  /** Runs `command` until `ok` says it worked, at most `policy.attempts` times, then throws `remote-failed`. */
  private async retrying<R extends { exitCode: number; stderr: string }>(what: string, command: () => Promise<R>, ok: (result: R) => boolean): Promise<R> {
    let last: R | undefined;
    for (let attempt = 1; attempt <= this.policy.attempts; attempt++) {
      if (attempt > 1) await sleep(backoffMs(attempt - 1, this.policy.baseMs));
      last = await command();
      if (ok(last)) return last;
    }
    throw unreachable(this.remote, `${what}: ${firstFatal(last?.stderr ?? '')}`, this.policy.attempts);
  }
}

function firstFatal(stderr: string): string {
  return gitFailure(stderr) || 'no answer';
}

/** The error a worker stops with when the remote stays silent: nothing was changed by this step. */
export function unreachable(remote: string, detail: string, attempts: number): CrewError {
  return new CrewError('remote-failed', `The remote ${remote} did not answer after ${attempts} tries (${detail}). This step changed nothing on ${remote}: locks and branches there are as they were.`, {
    hint: `Check that ${remote} is reachable (git ls-remote ${remote}), then run the command again; crew run carries on from the remote's state.`,
  });
}
