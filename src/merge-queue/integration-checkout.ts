import { access, mkdir, readdir, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { forceCheckoutDetached, removeUntracked } from '../git/checkout.js';
import { Git } from '../git/git.js';
import { addDetachedWorktree, pruneWorktrees, removeWorktree } from '../git/worktrees.js';
import { isProcessAlive } from '../process/alive.js';
import type { Workspace } from '../workspace.js';

export function queueDir(ws: Pick<Workspace, 'commonDir'>): string {
  return join(ws.commonDir, 'crewtree', 'queue');
}

function checkoutsDir(ws: Pick<Workspace, 'commonDir'>): string {
  return join(queueDir(ws), 'checkouts');
}

function hostPart(host: string): string {
  return host.replace(/[^A-Za-z0-9._]+/g, '_');
}

/**
 * The queue runner's own detached worktree under `.git/crewtree/queue/checkouts/<host>-<pid>`,
 * where merged commits are gated. It is reused between gates of one run (a checkout moves only
 * the files that differ) and cleaned to exactly the commit before each gate.
 */
export class IntegrationCheckout {
  readonly dir: string;
  private ready = false;

  constructor(private readonly ws: Workspace) {
    this.dir = join(checkoutsDir(ws), `${hostPart(ws.host)}-${process.pid}`);
  }

  /** Puts exactly `commit` (no leftovers of earlier gates) in the folder and returns the folder. */
  async checkout(commit: string): Promise<string> {
    if (this.ready) {
      const moved = await this.move(commit).then(
        () => true,
        () => false,
      );
      if (!moved) await this.create(commit);
    } else {
      await this.create(commit);
    }
    // NOTE: both paths end in a checkout of exactly `commit` or throw: the gate runs on that commit.
    return this.dir;
  }

  async remove(): Promise<void> {
    this.ready = false;
    // NOTE: a drain that gated nothing never made the folder: no git process to remove it.
    if (!(await access(this.dir).then(() => true, () => false))) return;
    await removeWorktree(this.ws.git, this.dir, { force: true });
    await rm(this.dir, { recursive: true, force: true });
  }

  private async move(commit: string): Promise<void> {
    const checkout = new Git(this.dir);
    await forceCheckoutDetached(checkout, commit);
    await removeUntracked(checkout, this.ws.config.setup.link);
  }

  private async create(commit: string): Promise<void> {
    await this.remove();
    await pruneWorktrees(this.ws.git);
    await mkdir(checkoutsDir(this.ws), { recursive: true });
    await addDetachedWorktree(this.ws.git, this.dir, commit);
    for (const link of this.ws.config.setup.link) {
      const source = join(this.ws.root, link);
      if (await access(source).then(() => true, () => false)) await symlink(source, join(this.dir, link)).catch(() => undefined);
    }
    this.ready = true;
  }
}

/** Removes checkouts left by queue runners of this host that died (SIGKILL, power loss). */
export async function removeAbandonedCheckouts(ws: Workspace, isAlive: (pid: number) => boolean = isProcessAlive): Promise<string[]> {
  const names = await readdir(checkoutsDir(ws)).catch(() => [] as string[]);
  const prefix = `${hostPart(ws.host)}-`;
  const removed: string[] = [];
  for (const name of names) {
    const pid = Number(name.slice(prefix.length));
    if (!name.startsWith(prefix) || !Number.isInteger(pid) || pid === process.pid || isAlive(pid)) continue;
    const dir = join(checkoutsDir(ws), name);
    await removeWorktree(ws.git, dir, { force: true });
    await rm(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  if (removed.length > 0) await pruneWorktrees(ws.git);
  return removed;
}
