import { watch, type FSWatcher } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LEASE_REF, QUEUE_PREFIX, RESULT_PREFIX } from '../merge-queue/refs.js';
import { workersDir } from '../studio/status-files.js';
import { isProcessAlive } from '../process/alive.js';
import { baseRefName, type Workspace } from '../workspace.js';

/** The base branch and the merge queue's refs (entries, results, lease), in one git call. */
async function refsFingerprint(ws: Workspace): Promise<string> {
  const refs = [baseRefName(ws.config), QUEUE_PREFIX, RESULT_PREFIX, LEASE_REF];
  return (await ws.git.run(['for-each-ref', '--format=%(objectname) %(refname)', ...refs])).stdout;
}

/**
 * A cheap summary of everything the page shows: the base commit, the merge queue's refs, each
 * worker status file (and whether its process still runs) and each task's runs folder. When it
 * changes, the state is gathered again and pushed; when it does not, nothing is read or sent.
 */
export async function stateFingerprint(ws: Workspace): Promise<string> {
  const base = await refsFingerprint(ws);
  const workers = await readdir(workersDir(ws.commonDir)).catch(() => [] as string[]);
  const workerParts = await Promise.all(
    workers.filter((name) => name.endsWith('.json')).map(async (name) => {
      const text = await readFile(join(workersDir(ws.commonDir), name), 'utf8').catch(() => '');
      const pid = Number(/"pid":\s*(\d+)/.exec(text)?.[1] ?? 0);
      return `${name}:${text}:${pid > 0 && isProcessAlive(pid)}`;
    }),
  );
  const runsDir = join(ws.commonDir, 'crewtree', 'runs');
  const runs = await readdir(runsDir).catch(() => [] as string[]);
  // NOTE: usage.json is replaced by rename, which changes its folder's mtime.
  const runParts = await Promise.all(runs.map(async (id) => `${id}:${(await stat(join(runsDir, id)).catch(() => undefined))?.mtimeMs ?? 0}`));
  return [base, ...workerParts.sort(), ...runParts.sort()].join('\n');
}

export interface Watcher {
  stop(): void;
}

/**
 * Calls `onChange` when the fingerprint moves: checked every `intervalMs`, and at once when
 * a worker status file changes. Checks never overlap.
 */
export function watchState(ws: Workspace, options: { intervalMs: number; onChange(): void }): Watcher {
  let last: string | undefined;
  let running = false;
  let again = false;
  let stopped = false;
  const check = async () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        const next = await stateFingerprint(ws).catch(() => last);
        if (next !== undefined && next !== last) {
          const first = last === undefined;
          last = next;
          if (!first) options.onChange();
        }
      } while (again && !stopped);
    } finally {
      running = false;
    }
  };
  void check();
  const timer = setInterval(() => void check(), options.intervalMs);
  let fsWatcher: FSWatcher | undefined;
  try {
    fsWatcher = watch(workersDir(ws.commonDir), () => void check());
    fsWatcher.on('error', () => fsWatcher?.close());
  } catch {
    // no worker has run yet: the interval check sees the folder once it exists
  }
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
      fsWatcher?.close();
    },
  };
}
