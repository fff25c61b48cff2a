import { randomBytes } from 'node:crypto';
import { mkdir, rm, symlink, access } from 'node:fs/promises';
import { join } from 'node:path';
import { addDetachedWorktree, removeWorktree } from '../git/worktrees.js';
import type { Workspace } from '../workspace.js';

/**
 * Runs `work` in a detached checkout of `commit` that no user or worker sees, then removes it.
 * The setup links (node_modules) are linked in so the gate can run.
 */
export async function withScratchCheckout<T>(ws: Workspace, commit: string, _env: Record<string, string>, work: (dir: string) => Promise<T>): Promise<T> {
  const dir = join(ws.commonDir, 'crewtree', 'scratch', randomBytes(4).toString('hex'));
  await mkdir(join(ws.commonDir, 'crewtree', 'scratch'), { recursive: true });
  await addDetachedWorktree(ws.git, dir, commit);
  try {
    for (const link of ws.config.setup.link) {
      const source = join(ws.root, link);
      const exists = await access(source).then(() => true, () => false);
      if (exists) await symlink(source, join(dir, link)).catch(() => undefined);
    }
    return await work(dir);
  } finally {
    await removeWorktree(ws.git, dir, { force: true });
    await rm(dir, { recursive: true, force: true });
  }
}
