import type { Backlog } from '../backlog/backlog.js';
import { renderBacklogIndex } from '../backlog/render-index.js';
import { CrewError, formatProblem } from '../errors.js';
import { sleep } from '../process/sleep.js';
import { buildTree, createCommit, type CommitAuthor } from '../git/objects.js';
import { taskLogged } from '../events/crew-event.js';
import { formatTaskEvent, type TaskEvent } from '../task-log/events.js';
import { logFilesAfter, taskLogPath } from '../task-log/rotation.js';
import { dropJournalEntries, pendingEvents, readJournal, type JournalEntry } from '../task-log/journal.js';
import { baseRefName, type Workspace } from '../workspace.js';
import { checkoutsOf } from './checkout.js';
import type { WorktreeInfo } from '../git/parse.js';
import { moveBase } from './move-base.js';
import { readMoveRecord } from './move-journal.js';
import { recoverInterruptedMove } from './recover-checkout.js';
import { withLocalLock } from './local-lock.js';
import { readBranchCommit } from '../git/read-ref.js';
import { applyTaskFiles, backlogOf, type BacklogFile } from './backlog-memo.js';
import { stateMemo } from './state-memo.js';
import { indexPath, isTaskFile, readSnapshot, type StateSnapshot } from './snapshot.js';

/** What one state change writes: task files (null removes), log events and a commit message. */
export interface StateChange {
  files: Map<string, string | null>;
  events: TaskEvent[];
  message: string;
  /** Extra parents of the state commit (a merge queue landing a branch). */
  parents?: string[];
  /** A commit (a tested merge) whose files outside the backlog folder make up the new tree. */
  codeFrom?: string;
  /**
   * Commits stacked below this one, oldest first, that the same compare-and-swap moves the base
   * over (a squash or rebase landing: one commit per task or per replayed commit).
   */
  below?: StateChange[];
  /** The commit's author, when it is not whoever makes the change (a replayed commit). */
  author?: CommitAuthor;
}

export interface StateCommitResult<T> {
  commit: string;
  previous: string;
  value: T;
}

/** What a planner decides: the change to commit and the value the caller gets back. */
export type Planned<T> = { change: StateChange; value: T };
export type Planner<T> = (snapshot: StateSnapshot) => Planned<T> | Promise<Planned<T>>;

const MAX_ATTEMPTS = 50;

/** The task files and backlog after a change, reading only the files the change writes. */
function applyToBacklog(snapshot: StateSnapshot, before: readonly BacklogFile[], files: ReadonlyMap<string, string | null>): { files: BacklogFile[]; backlog: Backlog } {
  const changes = [...files].filter(([path]) => isTaskFile(path, snapshot.backlogDir)).map(([path, text]) => ({ path, text }));
  const after = applyTaskFiles(before, changes, snapshot.context);
  return { files: after, backlog: backlogOf(after, snapshot.context, snapshot.blobText) };
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

/**
 * Finishes the move of the base and its checkouts that a crashed process left half done (its
 * record in `.git/crewtree/move.json`), so the user's checkout is not left behind main.
 */
export async function finishInterruptedMove(ws: Workspace): Promise<void> {
  if (await readMoveRecord(ws.commonDir)) await withLocalLock(ws.commonDir, 'state', () => recoverInterruptedMove(ws));
}

/** A change planned on a snapshot and written as commits on it, ready for the compare-and-swap. */
interface Prepared<T> {
  snapshot: StateSnapshot;
  value: T;
  message: string;
  steps: StateChange[];
  journal: JournalEntry[];
  commit: string;
  /** With a remote: this clone's base when the snapshot was read. */
  local?: string | undefined;
}

/** Plans on `snapshot` and writes the commits; undefined when the planner changes nothing. */
async function prepare<T>(ws: Workspace, snapshot: StateSnapshot, plan: Planner<T>): Promise<Prepared<T> | { empty: T }> {
  const { change, value } = await plan(snapshot);
  if (isEmpty(change)) return { empty: value };
  const journal = await readJournal(ws.commonDir);
  const pending = pendingEvents(journal, (event) => snapshot.taskLog.includes(`${formatTaskEvent(event)}\n`));
  const steps = [...(change.below ?? []), change];
  const { commit, message } = await writeCommits(ws, snapshot, snapshot.commit, steps, pending);
  return { snapshot, value, message, steps, journal, commit };
}

/**
 * One state change as one commit on the base branch, moved by compare-and-swap: read the
 * base, plan, write the commit, move the checkout along, swap the ref. A lost swap re-reads
 * and re-plans, so a planner always decides on the state it will replace.
 *
 * NOTE: the base is read, planned and written before the local lock is taken. A planner that
 * refuses (nothing eligible, lock held, fenced) or changes nothing answers from that read,
 * which was the state of the base a moment ago, without queueing for the lock; otherwise the
 * lock is held only to check that the base is still that commit and to move it.
 */
export async function commitState<T>(ws: Workspace, plan: Planner<T>): Promise<StateCommitResult<T>> {
  const backlogDir = ws.config.backlog;
  const ref = baseRefName(ws.config);
  const memo = await stateMemo(ws);
  // NOTE: a crash's leftover is finished first, even when this change turns out to be empty.
  await finishInterruptedMove(ws);
  const remote = ws.baseStore.kind === 'remote';
  // NOTE: with a remote, this clone's copy of the base moves only when a process of this machine won a push.
  const localBase = () => readBranchCommit(ws.git, ws.commonDir, ref);
  let checkouts: WorktreeInfo[] | undefined;
  for (let attempt = 1; ; attempt++) {
    // NOTE: the change is planned and written before the local lock is taken, so the lock is held
    // only to check the base and move it. Locally that is the first round (a lost one plans again
    // inside the lock, so a process always gets through the queue); with a remote, every round:
    // the push is the compare-and-swap, and each clone reads the remote (fetching what is new)
    // outside the lock, so no clone is favoured by a queue of its own processes behind the lock.
    let early: Prepared<T> | undefined;
    if (attempt === 1 || remote) {
      const local = remote ? await localBase() : undefined;
      const snapshot = await readSnapshot(ws.git, await readBase(ws), backlogDir, memo);
      const prepared = await prepare(ws, snapshot, plan);
      if ('empty' in prepared) return { commit: snapshot.commit, previous: snapshot.commit, value: prepared.empty };
      early = { ...prepared, local };
    }
    // NOTE: with a remote, the checkouts follow after a won push (followLocalBase lists them then).
    if (!remote) checkouts ??= await checkoutsOf(ws.git, ref);
    const outcome = await withLocalLock(ws.commonDir, 'state', async () => {
      if ((await recoverInterruptedMove(ws)) && !remote) checkouts = await checkoutsOf(ws.git, ref);
      let ready = early;
      if (remote) {
        // NOTE: a process of this machine pushed since the read: read again, outside the lock.
        if (!ready || (await localBase()) !== ready.local) return undefined;
      } else {
        const previous = await readBase(ws);
        if (ready?.snapshot.commit !== previous) {
          const prepared = await prepare(ws, await readSnapshot(ws.git, previous, backlogDir, memo), plan);
          if ('empty' in prepared) return { commit: previous, previous, value: prepared.empty };
          ready = prepared;
        }
      }
      const { snapshot, steps, journal, commit, value } = ready;
      const previous = snapshot.commit;
      const carried = async () => {
        await dropJournalEntries(ws.commonDir, journal.map((entry) => entry.file));
        // NOTE: emitted once the swap won, still in the lock: an event on the bus is a line the task log holds, in its order.
        for (const step of steps) for (const event of step.events) ws.events.emit(taskLogged(event));
      };
      const store = ws.baseStore;
      // NOTE: with a remote the push is the swap; the local branch and checkouts follow only after it won.
      if (store.kind === 'remote') {
        if ((await store.swap(commit, previous, ready.message)) !== 'swapped') return undefined;
        await carried();
        return { commit, previous, value };
      }
      if (!(await moveBase(ws, ref, commit, previous, ready.message, checkouts ?? []))) return undefined;
      await carried();
      return { commit, previous, value };
    });
    if (outcome) {
      await memo.save();
      return outcome;
    }
    if (attempt >= MAX_ATTEMPTS) {
      throw new CrewError('base-moved', `${ws.config.base} kept moving; gave up after ${MAX_ATTEMPTS} attempts. Nothing was written.`, {
        hint: 'Run the command again.',
      });
    }
    // NOTE: a remote's losers wait a short, even pause each round: a growing one lets the clone that
    // just won keep winning (its next read needs no fetch) while the others back off further.
    await sleep(remote ? 20 + Math.random() * 80 : Math.random() * 20 * Math.min(attempt, 10));
  }
}

/**
 * Writes the commits of one change on `previous`, each with its task files, the regenerated index
 * and its log lines (the journal's pending ones ride on the first); returns the top one.
 */
async function writeCommits(
  ws: Workspace,
  snapshot: StateSnapshot,
  previous: string,
  steps: readonly StateChange[],
  pending: readonly TaskEvent[],
): Promise<{ commit: string; message: string }> {
  const backlogDir = snapshot.backlogDir;
  let taskFiles = snapshot.files;
  let backlog = snapshot.backlog;
  let top = { commit: previous, message: '' };
  let taskLog = snapshot.taskLog;
  for (const [index, step] of steps.entries()) {
    const files = new Map(step.files);
    const next = applyToBacklog(snapshot, taskFiles, files);
    taskFiles = next.files;
    backlog = next.backlog;
    const problems = newProblems(snapshot.backlog, backlog);
    if (problems.length > 0) {
      throw new CrewError('backlog-invalid', 'This change would leave the backlog invalid; nothing was written.', { details: problems });
    }
    files.set(indexPath(backlogDir), renderBacklogIndex(backlog.tasks, backlogDir));
    const events = index === 0 ? [...pending, ...step.events] : step.events;
    for (const [path, text] of logFilesAfter(backlogDir, taskLog, events, ws.clock.now())) files.set(path, text);
    taskLog = files.get(taskLogPath(backlogDir)) ?? taskLog;
    const tree = await buildTree(ws.git, top.commit, files, { codeFrom: step.codeFrom, keepDir: backlogDir });
    const message = markStateOnly(step.message, step.codeFrom ? '' : ws.config.state_marker);
    top = { commit: await createCommit(ws.git, tree, [top.commit, ...(step.parents ?? [])], message, step.author), message };
  }
  return top;
}

/** The marker (`[skip ci]`) at the end of a state-only commit's subject, where hosted CIs look for it. */
export function markStateOnly(message: string, marker: string): string {
  if (!marker) return message;
  const [subject = '', ...rest] = message.split('\n');
  if (subject.includes(marker)) return message;
  return [`${subject} ${marker}`, ...rest].join('\n');
}
