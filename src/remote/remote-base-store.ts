import { CrewError } from '../errors.js';
import { isAncestor } from '../git/history.js';
import { hasCommit } from '../git/objects.js';
import { baseRefName, type BaseStore, type ExtraRef, type Workspace } from '../workspace.js';
import { ensureRemoteChecked, forgetRemoteCheck, checkRemote, remoteProblem } from './check.js';
import { followLocalBase } from './follow-local.js';
import { backoffMs } from './push-result.js';
import { RemoteGit, unreachable } from './remote-git.js';
import { sleep } from '../process/sleep.js';


/**
 * The base branch on a remote shared by several machines: reading is `ls-remote` (plus a fetch
 * of what is new), and the compare-and-swap is an atomic push with `--force-with-lease`, which
 * the remote refuses when its branch is no longer the commit the change was planned on.
 */
export class RemoteBaseStore implements BaseStore {
  readonly kind = 'remote';
  private readonly remoteGit: RemoteGit;
  private checked = false;

  constructor(
    private readonly ws: Workspace,
    private readonly remote: string,
  ) {
    this.remoteGit = new RemoteGit(ws, remote);
  }

  private get ref(): string {
    return baseRefName(this.ws.config);
  }

  private async ensureChecked(): Promise<void> {
    if (this.checked) return;
    await ensureRemoteChecked(this.ws, this.remote);
    this.checked = true;
  }

  async read(): Promise<string | undefined> {
    await this.ensureChecked();
    const oid = (await this.remoteGit.lsRemote([this.ref])).get(this.ref);
    if (!oid) {
      throw new CrewError('remote-failed', `The remote ${this.remote} has no branch ${this.ws.config.base}.`, {
        hint: `Push it once (git push ${this.remote} ${this.ws.config.base}), or set base: in .crewtree/config.yaml to a branch that exists on ${this.remote}.`,
      });
    }
    // NOTE: the fetched tip may be newer than `oid`; the base only moves forward, so `oid` comes with it.
    if (await this.has(oid)) return oid;
    await this.remoteGit.fetch([this.ref]);
    if (!(await this.has(oid))) await this.remoteGit.fetch([this.ref]);
    return oid;
  }

  async swap(next: string, expected: string, _message: string, extraRefs: readonly ExtraRef[] = []): Promise<'swapped' | 'lost'> {
    await this.ensureChecked();
    const flags = ['--atomic', `--force-with-lease=${this.ref}:${expected}`, ...extraRefs.flatMap((r) => (r.expected ? [`--force-with-lease=${r.ref}:${r.expected}`] : []))];
    const refspecs = [`${next}:${this.ref}`, ...extraRefs.map((r) => `${r.to}:${r.ref}`)];
    const attempts = this.remoteGit.policy.attempts;
    let uncertain = false;
    let detail = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) await sleep(backoffMs(attempt - 1, this.remoteGit.policy.baseMs));
      const verdict = await this.remoteGit.push(flags, refspecs, { retry: false });
      if (verdict.kind === 'pushed') return this.landed(next, expected);
      if (verdict.kind === 'lost') {
        // NOTE: after a connection cut mid-push, the rejection may be of our own earlier push that did arrive.
        return uncertain && (await this.arrived(next)) ? this.landed(next, expected) : 'lost';
      }
      if (verdict.kind === 'refused') throw await this.refused(verdict.detail);
      uncertain = true;
      detail = verdict.detail;
    }
    if (await this.arrived(next).catch(() => false)) return this.landed(next, expected);
    throw unreachable(this.remote, `git push: ${detail}`, attempts);
  }

  private async landed(next: string, parent: string): Promise<'swapped'> {
    await followLocalBase(this.ws, next, parent).catch(() => undefined);
    return 'swapped';
  }

  /** Whether `next` is on the remote's base (it or a later commit on top of it). */
  private async arrived(next: string): Promise<boolean> {
    const oid = (await this.remoteGit.lsRemote([this.ref])).get(this.ref);
    if (!oid) return false;
    if (oid === next) return true;
    if (!(await this.has(oid))) await this.remoteGit.fetch([this.ref]);
    return isAncestor(this.ws.git, next, oid);
  }

  /** A refusal retrying cannot fix: check the remote again to say what is missing. */
  private async refused(detail: string): Promise<CrewError> {
    this.checked = false;
    await forgetRemoteCheck(this.ws);
    const problem = remoteProblem(this.remote, await checkRemote(this.ws, this.remote));
    return (
      problem ??
      new CrewError('remote-failed', `The remote ${this.remote} refused to move ${this.ws.config.base}: ${detail}. Nothing was changed there.`, {
        hint: `A protected branch or a server hook refuses crewtree's push; point base: at a branch crewtree may push to (see docs/remote.md).`,
      })
    );
  }

  private async has(oid: string): Promise<boolean> {
    return hasCommit(this.ws.git, oid);
  }
}
