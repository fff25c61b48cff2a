import { access, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sleep } from '../process/sleep.js';
import type { Workspace } from '../workspace.js';
import { queueDir } from './integration-checkout.js';

/** The runner's steps a crash test can stop it at. */
export type PauseStep = 'built' | 'gated' | 'landed';

/**
 * NOTE: a test hook. With CREWTREE_TEST_PAUSE_AT=<step>, the runner writes
 * `.git/crewtree/queue/paused` (`<step> <pid>`) at that step and waits until `resume` appears,
 * so a crash test can SIGKILL it at exactly that point. Without the variable it costs nothing.
 */
export async function pauseAt(ws: Workspace, step: PauseStep): Promise<void> {
  if (ws.env.CREWTREE_TEST_PAUSE_AT !== step) return;
  const dir = queueDir(ws);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'paused'), `${step} ${process.pid}\n`);
  while (!(await access(join(dir, 'resume')).then(() => true, () => false))) await sleep(25);
  await rm(join(dir, 'resume'), { force: true });
  await rm(join(dir, 'paused'), { force: true });
}
