import { contextOf, parseBacklog, type Backlog } from '../backlog/backlog.js';
import { renderBacklogIndex } from '../backlog/render-index.js';
import { CrewError, formatProblem } from '../errors.js';
import { buildTree, createCommit } from '../git/objects.js';
import { appendTaskEvents, type TaskEvent } from '../task-log/events.js';
import { baseRefName, type Workspace } from '../workspace.js';
import { checkoutsOf, moveCheckout } from './checkout.js';
import { withLocalLock } from './local-lock.js';
import { indexPath, isTaskFile, readSnapshot, SnapshotCache, taskLogPath, type StateSnapshot } from './snapshot.js';

/** What one state change writes: task files (null removes), log events and a commit message. */
export interface StateChange {
  files: Map<string, string | null>;
  events: TaskEvent[];
  message: string;
  /** Extra parents of the state commit (a merge queue landing a branch). */
  parents?: string[];
  /** A commit (a tested merge) whose files outside the backlog folder make up the new tree. */
  codeFrom?: string;
}

export interface StateCommitResult<T> {
  commit: string;
  previous: string;
  value: T;
}

type Planned<T> = { change: StateChange; value: T };
export type Planner<T> = (snapshot: StateSnapshot) => Planned<T> | Promise<Planned<T>>;

const MAX_ATTEMPTS = 50;

/** The backlog after a change, parsing only the files the change wrote. */
function applyToBacklog(snapshot: StateSnapshot, files: Map<string, string | null>, cache: SnapshotCache): Backlog {
  const byPath = new Map(snapshot.files.map((file) => [file.path, file.text]));
  for (const [path, text] of files) {
    if (!isTaskFile(path, snapshot.backlogDir)) continue;
    if (text === null) byPath.delete(path);
    else byPath.set(path, text);
  }
  return parseBacklog([...byPath].map(([path, text]) => ({ path, text })), cache.parse, contextOf(snapshot.backlog));
}

/** Problems a change would add; ones already on the base (an unrelated broken file) do not stop it. */
function newProblems(before: Backlog, after: Backlog): string[] {
  const known = new Set(before.problems.map(formatProblem));
  return after.problems.map(formatProblem).filter((problem) => !known.has(problem));
}

function isEmpty(change: StateChange): boolean {
  return change.files.size === 0 && change.events.length === 0 && !change.codeFrom;
}

export async function readBase(ws: Workspace): Promise<string> {
  const commit = await ws.baseStore.read();
  if (!commit) {
    throw new CrewError('usage', `The base branch ${ws.config.base} has no commits yet.`, {
      hint: `Make a first commit on ${ws.config.base} (for example after \`crew init\`: git add .crewtree backlog .gitignore .gitattributes && git commit -m "chore: add crewtree"), or set base: in .crewtree/config.yaml.`,
    });
  }
  return commit;
}

const caches = new WeakMap<Workspace, SnapshotCache>();

/** One cache per workspace: a worker that makes many state changes parses each file version once. */
function cacheOf(ws: Workspace): SnapshotCache {
  let cache = caches.get(ws);
  if (!cache) caches.set(ws, (cache = new SnapshotCache()));
  return cache;
}

/**
 * One state change as one commit on the base branch, moved by compare-and-swap: read the
 * base, plan, write the commit, move the checkout along, swap the ref. A lost swap re-reads
 * and re-plans, so a planner always decides on the state it will replace.
 *
 * NOTE: the base is read and planned once before the local lock is taken. A planner that
 * refuses (nothing eligible, lock held, fenced) or changes nothing answers from that read,
 * which was the state of the base a moment ago, without queueing for the lock; otherwise the
 * read warms the cache, so the locked re-read fetches and parses only what changed meanwhile.
 */
export async function commitState<T>(ws: Workspace, plan: Planner<T>): Promise<StateCommitResult<T>> {
  const backlogDir = ws.config.backlog;
  const ref = baseRefName(ws.config);
  const cache = cacheOf(ws);
  let early: { snapshot: StateSnapshot; planned: Planned<T> } | undefined;
  {
    const snapshot = await readSnapshot(ws.git, await readBase(ws), backlogDir, cache);
    const planned = await plan(snapshot);
    if (isEmpty(planned.change)) return { commit: snapshot.commit, previous: snapshot.commit, value: planned.value };
    early = { snapshot, planned };
  }
  await ws.git.identity();
  const checkouts = await checkoutsOf(ws.git, ref);
  for (let attempt = 1; ; attempt++) {
    const outcome = await withLocalLock(ws.commonDir, 'state', async () => {
      const previous = await readBase(ws);
      const reuse = early?.snapshot.commit === previous ? early : undefined;
      early = undefined;
      const snapshot = reuse?.snapshot ?? (await readSnapshot(ws.git, previous, backlogDir, cache));
      const { change, value } = reuse?.planned ?? (await plan(snapshot));
      if (isEmpty(change)) return { commit: previous, previous, value };
      const files = new Map(change.files);
      const next = applyToBacklog(snapshot, files, cache);
      const problems = newProblems(snapshot.backlog, next);
      if (problems.length > 0) {
        throw new CrewError('backlog-invalid', 'This change would leave the backlog invalid; nothing was written.', { details: problems });
      }
      files.set(indexPath(backlogDir), renderBacklogIndex(next.tasks, backlogDir));
      files.set(taskLogPath(backlogDir), appendTaskEvents(snapshot.taskLog, change.events));
      const tree = await buildTree(ws.git, previous, files, { codeFrom: change.codeFrom, keepDir: backlogDir });
      const commit = await createCommit(ws.git, tree, [previous, ...(change.parents ?? [])], change.message);
      const store = ws.baseStore;
      // NOTE: with a remote the push is the swap; the local branch and checkouts follow only after it won.
      if (store.kind === 'remote') return (await store.swap(commit, previous, change.message)) === 'swapped' ? { commit, previous, value } : undefined;
      const moved: typeof checkouts = [];
      try {
        for (const checkout of checkouts) {
          await moveCheckout(ws.git, checkout, previous, commit, ws.config.base);
          moved.push(checkout);
        }
        const swapped = await compareAndSwap(ws, ref, commit, previous, change.message);
        if (swapped) return { commit, previous, value };
      } catch (error) {
        await undoCheckouts(ws, moved, commit, previous);
        throw error;
      }
      await undoCheckouts(ws, moved, commit, previous);
      return undefined;
    });
    if (outcome) return outcome;
    if (attempt >= MAX_ATTEMPTS) {
      throw new CrewError('base-moved', `${ws.config.base} kept moving; gave up after ${MAX_ATTEMPTS} attempts. Nothing was written.`, {
        hint: 'Run the command again.',
      });
    }
    await new Promise((resolve) => setTimeout(resolve, Math.random() * (ws.config.remote ? 100 : 20) * Math.min(attempt, 10)));
  }
}

async function undoCheckouts(ws: Workspace, moved: Awaited<ReturnType<typeof checkoutsOf>>, from: string, to: string): Promise<void> {
  for (const checkout of moved) await moveCheckout(ws.git, checkout, from, to, ws.config.base).catch(() => undefined);
}

/** `git update-ref ref new old`: moves the ref only if it still points at `expected`. */
async function compareAndSwap(ws: Workspace, ref: string, next: string, expected: string, message: string): Promise<boolean> {
  const result = await ws.git.run(['update-ref', '-m', `crewtree: ${message.split('\n')[0]}`, ref, next, expected], { okExitCodes: [0, 1, 128] });
  return result.exitCode === 0;
}
