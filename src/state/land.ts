import { rewriteTask, describeHolder } from '../backlog/lock-text.js';
import { CrewError } from '../errors.js';
import { changedPaths, readFileAt } from '../git/objects.js';
import type { TaskEvent } from '../task-log/events.js';
import type { Workspace } from '../workspace.js';
import { isArchivePart, taskLogPath } from '../task-log/rotation.js';
import { indexPath } from './snapshot.js';
import { commitState } from './transaction.js';

export interface LandingTask {
  id: string;
  /** The lock token the lander holds: the fence. */
  token: string;
  /** The branch tip being landed (a parent of the landing commit). */
  tip: string;
  branch: string;
}

export interface LandRequest {
  /** The tested commit: the branches merged onto `onto`. */
  merged: string;
  /** The base commit the merge was built on. */
  onto: string;
  tasks: LandingTask[];
  message: string;
  actor: string;
  /** Other log lines to record in the same commit (the merge queue's `gate-failed` of culprits found meanwhile). */
  events?: TaskEvent[];
}

export interface Landing {
  commit: string;
  previous: string;
}

function inDir(path: string, dir: string): boolean {
  return path.startsWith(`${dir}/`);
}

/**
 * Moves the base to the tested merge and closes its tasks in one compare-and-swap, only if
 * every task's lock on the current base still carries the lander's token (fencing). State
 * commits that landed meanwhile (backlog folder only) are kept; any other change of the base
 * refuses with `base-moved`, and the caller must merge and gate again.
 */
export async function land(ws: Workspace, request: LandRequest): Promise<Landing> {
  const dir = ws.config.backlog;
  const generated = new Set([taskLogPath(dir), indexPath(dir)]);
  const branchBacklogChanges = (await changedPaths(ws.git, request.onto, request.merged)).filter((p) => inDir(p, dir) && !generated.has(p) && !isArchivePart(p, dir));
  const result = await commitState(ws, async (snapshot) => {
    let baseChanges: string[] = [];
    if (snapshot.commit !== request.onto) {
      baseChanges = await changedPaths(ws.git, request.onto, snapshot.commit);
      const code = baseChanges.filter((path) => !inDir(path, dir));
      if (code.length > 0) {
        throw new CrewError('base-moved', `${ws.config.base} moved to ${snapshot.commit.slice(0, 8)} with changes outside ${dir}/ (${code.slice(0, 5).join(', ')}); the merge must be rebuilt and gated again.`);
      }
    }
    const files = new Map<string, string | null>();
    const touchedOnBase = new Set(baseChanges);
    for (const path of branchBacklogChanges) {
      if (touchedOnBase.has(path)) continue; // NOTE: the base's newer state of that file wins
      files.set(path, (await readFileAt(ws.git, request.merged, path)) ?? null);
    }
    const events: TaskEvent[] = [...(request.events ?? [])];
    for (const landing of request.tasks) {
      const task = snapshot.backlog.tasks.find((t) => t.id === landing.id);
      if (!task?.lock || task.lock.token !== landing.token) {
        const holder = task?.lock ? describeHolder(task) : `${landing.id} is no longer locked`;
        throw new CrewError('fenced', `Refused to land ${landing.id}: its lock is no longer this worker's (${holder}). ${ws.config.base} did not move.`, {
          hint: `The branch ${landing.branch} keeps the work; the task's current holder or a new claim continues from there.`,
        });
      }
      const ownText = files.get(task.file) ?? snapshot.backlog.texts.get(task.id) ?? '';
      files.set(task.file, rewriteTask(ownText, task, { status: 'done', lock: undefined }));
      const now = ws.clock.now();
      events.push({ time: now, worker: task.lock.worker, task: task.id, event: 'merged', detail: `${landing.branch} at ${landing.tip.slice(0, 8)}` });
      events.push({ time: now, worker: task.lock.worker, task: task.id, event: 'done', detail: task.title });
    }
    return {
      change: { files, events, message: request.message, parents: request.tasks.map((t) => t.tip), codeFrom: request.merged },
      value: undefined,
    };
  });
  return { commit: result.commit, previous: result.previous };
}
