import { rewriteTask, describeHolder } from '../backlog/lock-text.js';
import { CrewError } from '../errors.js';
import { changedPaths, readFileAt, type CommitAuthor } from '../git/objects.js';
import type { TaskEvent } from '../task-log/events.js';
import type { Workspace } from '../workspace.js';
import { isArchivePart, taskLogPath } from '../task-log/rotation.js';
import { indexPath } from './snapshot.js';
import { commitState, type StateChange } from './transaction.js';

export interface LandingTask {
  id: string;
  /** The lock token the lander holds: the fence. */
  token: string;
  /** The branch tip being landed (a parent of the landing commit). */
  tip: string;
  branch: string;
}

/**
 * One commit of a landing, bottom to top: its code (every file outside the backlog folder) comes
 * from `code`, a commit the lander built; the top one's code is what passed the gate.
 */
export interface LandingStep {
  code: string;
  message: string;
  /** Later parents (the merge strategy's task tips); squash and rebase steps have none. */
  parents: string[];
  /** Ids of the tasks this commit closes (status done, lock cleared, `merged` and `done` logged). */
  closes: string[];
  /** A replayed commit keeps its author; otherwise the author is whoever runs the landing. */
  author?: CommitAuthor;
}

interface LandCommon {
  /** The base commit the landing was built on. */
  onto: string;
  tasks: LandingTask[];
  actor: string;
  /** Other log lines to record in the same commit (the merge queue's `gate-failed` of culprits found meanwhile). */
  events?: TaskEvent[];
}

/** A tested merge commit (the tips merged onto `onto`), or the tested stack of commits a squash or rebase landing built. */
export type LandRequest = LandCommon & ({ merged: string; message: string } | { steps: LandingStep[] });

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
/** The steps of a request: a merge is one step closing every task, with their tips as later parents. */
export function landingSteps(request: LandRequest): LandingStep[] {
  if ('steps' in request) return request.steps;
  return [{ code: request.merged, message: request.message, parents: request.tasks.map((t) => t.tip), closes: request.tasks.map((t) => t.id) }];
}

export async function land(ws: Workspace, request: LandRequest): Promise<Landing> {
  const dir = ws.config.backlog;
  const generated = new Set([taskLogPath(dir), indexPath(dir)]);
  const steps = landingSteps(request);
  const top = steps[steps.length - 1];
  if (!top) throw new Error('land: a landing needs at least one commit');
  // Backlog files each step's code commit changed (new tasks an architect filed, say), taken along.
  const branchBacklogChanges: string[][] = [];
  let below = request.onto;
  for (const step of steps) {
    branchBacklogChanges.push((await changedPaths(ws.git, below, step.code)).filter((p) => inDir(p, dir) && !generated.has(p) && !isArchivePart(p, dir)));
    below = step.code;
  }
  const result = await commitState(ws, async (snapshot) => {
    let baseChanges: string[] = [];
    if (snapshot.commit !== request.onto) {
      baseChanges = await changedPaths(ws.git, request.onto, snapshot.commit);
      const code = baseChanges.filter((path) => !inDir(path, dir));
      if (code.length > 0) {
        throw new CrewError('base-moved', `${ws.config.base} moved to ${snapshot.commit.slice(0, 8)} with changes outside ${dir}/ (${code.slice(0, 5).join(', ')}); the merge must be rebuilt and gated again.`);
      }
    }
    const touchedOnBase = new Set(baseChanges);
    const texts = new Map<string, string>();
    const changes: StateChange[] = [];
    for (const [index, step] of steps.entries()) {
      const files = new Map<string, string | null>();
      for (const path of branchBacklogChanges[index] ?? []) {
        if (touchedOnBase.has(path)) continue; // NOTE: the base's newer state of that file wins
        const text = (await readFileAt(ws.git, step.code, path)) ?? null;
        files.set(path, text);
        if (text !== null) texts.set(path, text);
      }
      const events: TaskEvent[] = index === 0 ? [...(request.events ?? [])] : [];
      for (const id of step.closes) {
        const landing = request.tasks.find((t) => t.id === id);
        const task = snapshot.backlog.tasks.find((t) => t.id === id);
        if (!landing) throw new Error(`land: step closes ${id}, which the request does not land`);
        if (!task?.lock || task.lock.token !== landing.token) {
          const holder = task?.lock ? describeHolder(task) : `${landing.id} is no longer locked`;
          throw new CrewError('fenced', `Refused to land ${landing.id}: its lock is no longer this worker's (${holder}). ${ws.config.base} did not move.`, {
            hint: `The branch ${landing.branch} keeps the work; the task's current holder or a new claim continues from there.`,
          });
        }
        const ownText = texts.get(task.file) ?? snapshot.backlog.texts.get(task.id) ?? '';
        const closed = rewriteTask(ownText, task, { status: 'done', lock: undefined });
        files.set(task.file, closed);
        texts.set(task.file, closed);
        const now = ws.clock.now();
        events.push({ time: now, worker: task.lock.worker, task: task.id, event: 'merged', detail: `${landing.branch} at ${landing.tip.slice(0, 8)}` });
        events.push({ time: now, worker: task.lock.worker, task: task.id, event: 'done', detail: task.title });
      }
      changes.push({ files, events, message: step.message, parents: step.parents, codeFrom: step.code, ...(step.author ? { author: step.author } : {}) });
    }
    const change = changes.pop();
    if (!change) throw new Error('land: no commit to write');
    return { change: { ...change, below: changes }, value: undefined };
  });
  return { commit: result.commit, previous: result.previous };
}
