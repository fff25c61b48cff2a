// merge.strategy squash and rebase through the real merge queue: what lands on main, commit by
// commit, and that the gate tested exactly the commit main moved to.
import { afterEach, describe, expect, it } from 'vitest';
import { claimTask } from '../../../src/claims/claim.js';
import { buildTree, createCommit, type CommitAuthor } from '../../../src/git/objects.js';
import { findLanding } from '../../../src/merge-queue/landed-already.js';
import { readResult } from '../../../src/merge-queue/results.js';
import { checkInvariants, claimAndCommit, commitCodeOnMain, drain, enqueueAll, firstParentHistory, logEvents, queueRepo, taskFile, type QueueRepo, type TaskBranch } from './fixture.js';

let q: QueueRepo | undefined;
afterEach(() => q?.cleanup());

/** One more commit on a task's branch, made with plumbing as an agent's commit would be. */
async function commitOnBranch(repo: QueueRepo, branch: TaskBranch, files: Record<string, string>, message: string, author?: CommitAuthor): Promise<TaskBranch> {
  const tree = await buildTree(repo.ws.git, branch.tip, new Map(Object.entries(files)));
  const tip = await createCommit(repo.ws.git, tree, [branch.tip], message, author);
  repo.repo.git('update-ref', `refs/heads/${branch.branch}`, tip);
  return { ...branch, tip };
}



function statusAt(repo: QueueRepo, commit: string, id: string): string {
  return /^status: (.*)$/m.exec(repo.repo.git('show', `${commit}:${taskFile(id)}`))?.[1] ?? '';
}

function mergesSinceStart(repo: QueueRepo): string {
  return repo.repo.git('rev-list', '--min-parents=2', `${repo.start}..main`);
}

function ancestorOfMain(repo: QueueRepo, commit: string): boolean {
  return repo.repo.git('branch', '--contains', commit, '--list', 'main') !== '';
}

const ada: CommitAuthor = { name: 'Ada Agent', email: 'ada@example.com', date: '1764000000 +0100' };

describe('merge.strategy: squash', () => {
  it('a batch of three lands as three commits, one per task, with the conventional subject and trailer; the wip commit stays off main', async () => {
    q = await queueRepo(['T1', 'T2', 'T3'], { strategy: 'squash' });
    const t1 = await claimAndCommit(q, 'T1', { 'src/t1.txt': 'work of T1\n' });
    // T2's first attempt was blocked: its work was kept as a wip commit, and the retry finished it.
    const claim = await claimTask(q.ws, { id: 'T2', worker: 'w-t2', pid: process.pid });
    const claimed = { id: 'T2', branch: claim.lock.branch, tip: claim.commit, token: claim.lock.token, worker: 'w-t2', title: claim.task.title };
    const wip = await commitOnBranch(q, claimed, { 'src/t2.txt': 'half done\n' }, 'wip(T2): Task t2 (blocked)\n\nTask: T2\n');
    const t2 = await commitOnBranch(q, wip, { 'src/t2.txt': 'work of T2\n' }, 'feat(T2): Task t2\n\nTask: T2\n');
    const t3 = await claimAndCommit(q, 'T3', { 'src/t3.txt': 'work of T3\n' });
    commitCodeOnMain(q, 'moved.txt', 'main moved on\n');
    q.start = q.repo.git('rev-parse', 'main');
    await enqueueAll(q, [t1, t2, t3]);

    const { kinds, events } = await drain(q);
    expect(kinds).toEqual({ T1: 'landed', T2: 'landed', T3: 'landed' });
    expect(events.filter((e) => e.kind === 'batch')).toHaveLength(1);
    const history = firstParentHistory(q);
    expect(history.map((c) => c.subject)).toEqual(['feat(T1): Task t1', 'feat(T2): Task t2', 'feat(T3): Task t3']);
    expect(history.map((c) => c.parents.length)).toEqual([1, 1, 1]);
    expect(mergesSinceStart(q)).toBe('');
    history.forEach((c, index) => expect(q!.repo.git('log', '-1', '--format=%B', c.commit)).toBe(`feat(T${index + 1}): Task t${index + 1}\n\nTask: T${index + 1}`));
    // Each commit closes its own task and carries its own code.
    expect(history.map((c) => ['T1', 'T2', 'T3'].map((id) => statusAt(q!, c.commit, id)).join(' '))).toEqual(['done in-progress in-progress', 'done done in-progress', 'done done done']);
    expect(q.repo.git('show', `${history[0]!.commit}:src/t1.txt`)).toBe('work of T1');
    expect(q.repo.git('ls-tree', '--name-only', `${history[0]!.commit}:src`)).not.toContain('t2.txt');
    expect(q.repo.git('show', 'main:src/t2.txt')).toBe('work of T2');
    // No branch commit, the half-done one least of all, is in main's history.
    for (const tip of [wip.tip, t1.tip, t2.tip, t3.tip]) expect(ancestorOfMain(q, tip)).toBe(false);
    expect(q.repo.git('log', '--format=%s', 'main')).not.toContain('wip(');
    // One gate, on exactly the code main moved to.
    expect(q.gateRuns()).toHaveLength(1);
    expect(q.repo.git('diff', '--stat', q.gateRuns()[0]!, 'main', '--', '.', ':(exclude)backlog')).toBe('');
    for (const id of ['T1', 'T2', 'T3']) expect(logEvents(q, id)).toEqual(['started', 'queued', 'merged', 'done']);
    expect(checkInvariants(q, [t1, t2, t3])).toEqual([]);
    // A runner that died between landing and publishing finds the landing by the log line and trailer.
    const log = q.repo.git('show', 'main:backlog/task.log') + '\n';
    expect(await findLanding(q.ws.git, q.repo.git('rev-parse', 'main'), t2, log)).toBe(history[1]!.commit);
    expect(await findLanding(q.ws.git, q.repo.git('rev-parse', 'main'), wip, log)).toBeUndefined();
  });

  it('a red batch is searched as under merge: the good tasks land one commit each, the culprit gets the failure', async () => {
    q = await queueRepo(['T1', 'T2', 'T3'], { strategy: 'squash' });
    const made = [
      await claimAndCommit(q, 'T1', { 'src/t1.txt': 'work of T1\n' }),
      await claimAndCommit(q, 'T2', { 'src/t2.txt': 'work of T2\n', 'BAD-T2': 'breaks the build\n' }),
      await claimAndCommit(q, 'T3', { 'src/t3.txt': 'work of T3\n' }),
    ];
    commitCodeOnMain(q, 'moved.txt', 'main moved on\n');
    q.start = q.repo.git('rev-parse', 'main');
    await enqueueAll(q, made);
    const { kinds } = await drain(q);
    expect(kinds).toEqual({ T1: 'landed', T2: 'gate-failed', T3: 'landed' });
    const landings = firstParentHistory(q).filter((c) => !c.subject.includes('[skip ci]'));
    expect(landings.map((c) => [c.subject, c.parents.length])).toEqual([
      ['feat(T1): Task t1', 1],
      ['feat(T3): Task t3', 1],
    ]);
    expect(mergesSinceStart(q)).toBe('');
    expect(await readResult(q.ws.git, 'T2')).toMatchObject({ kind: 'gate-failed', tail: expect.stringContaining('BAD-T2') });
    expect(checkInvariants(q, made)).toEqual([]);
  });
});

describe('merge.strategy: rebase', () => {
  it("replays each task's commits in order, with author, message and a Task: trailer; the last one closes the task", async () => {
    q = await queueRepo(['T1', 'T2'], { strategy: 'rebase' });
    const claimed = await claimAndCommit(q, 'T1', { 'src/parser.txt': 'parser\n' });
    // The agent's own commit, without a trailer, then crewtree's final commit.
    const first = await commitOnBranch(q, claimed, { 'src/parser.txt': 'parser v2\n' }, 'Add the parser\n\nLonger body.\n', ada);
    const t1 = await commitOnBranch(q, first, { 'src/t1.txt': 'work of T1\n' }, 'feat(T1): Task t1\n\nTask: T1\n');
    const t2 = await claimAndCommit(q, 'T2', { 'src/t2.txt': 'work of T2\n' });
    commitCodeOnMain(q, 'moved.txt', 'main moved on\n');
    q.start = q.repo.git('rev-parse', 'main');
    await enqueueAll(q, [t1, t2]);

    const { kinds } = await drain(q);
    expect(kinds).toEqual({ T1: 'landed', T2: 'landed' });
    const history = firstParentHistory(q);
    expect(history.map((c) => c.subject)).toEqual(['feat(T1): Task t1', 'Add the parser', 'feat(T1): Task t1', 'feat(T2): Task t2']);
    expect(mergesSinceStart(q)).toBe('');
    const [replayedClaim, agents, final, other] = history.map((c) => c.commit) as [string, string, string, string];
    expect(q.repo.git('log', '-1', '--format=%B', agents)).toBe('Add the parser\n\nLonger body.\n\nTask: T1');
    expect(q.repo.git('log', '-1', '--format=%an <%ae> %ad', '--date=raw', agents)).toBe('Ada Agent <ada@example.com> 1764000000 +0100');
    for (const commit of [replayedClaim, final]) expect(q.repo.git('log', '-1', '--format=%B', commit)).toBe('feat(T1): Task t1\n\nTask: T1');
    expect(q.repo.git('log', '-1', '--format=%B', other)).toBe('feat(T2): Task t2\n\nTask: T2');
    expect([replayedClaim, agents, final, other].map((c) => statusAt(q!, c, 'T1'))).toEqual(['in-progress', 'in-progress', 'done', 'done']);
    expect(statusAt(q, other, 'T2')).toBe('done');
    expect(q.repo.git('show', `${agents}:src/parser.txt`)).toBe('parser v2');
    expect(q.repo.git('show', `${agents}:moved.txt`)).toBe('main moved on');
    for (const tip of [t1.tip, t2.tip]) expect(ancestorOfMain(q, tip)).toBe(false);
    expect(q.gateRuns()).toHaveLength(1);
    expect(q.repo.git('diff', '--stat', q.gateRuns()[0]!, 'main', '--', '.', ':(exclude)backlog')).toBe('');
    expect(checkInvariants(q, [t1, t2])).toEqual([]);
  });

  it('a branch that conflicts with main gets a conflict naming the file, as under merge; after it merges main in, it lands as one commit', async () => {
    q = await queueRepo(['T1', 'T2'], { strategy: 'rebase' });
    const t1 = await claimAndCommit(q, 'T1', { 'shared.txt': 'line one\nline two by T1\nline three\n' });
    const t2 = await claimAndCommit(q, 'T2', { 'shared.txt': 'line one\nline two by T2\nline three\n' });
    q.start = q.repo.git('rev-parse', 'main');
    await enqueueAll(q, [t1, t2]);
    const { kinds } = await drain(q);
    expect(kinds).toEqual({ T1: 'landed', T2: 'conflict' });
    expect(await readResult(q.ws.git, 'T2')).toMatchObject({ kind: 'conflict', files: ['shared.txt'] });
    expect(q.repo.git('show', 'main:shared.txt')).toBe('line one\nline two by T1\nline three');

    // What the worker does with a conflict: merge main into the branch and resolve it there.
    const main = q.repo.git('rev-parse', 'main');
    const resolved = await buildTree(q.ws.git, t2.tip, new Map([['shared.txt', 'line one\nline two by T1 and T2\nline three\n']]));
    const tip = await createCommit(q.ws.git, resolved, [t2.tip, main], `Merge ${main.slice(0, 8)} into ${t2.branch}`);
    q.repo.git('update-ref', `refs/heads/${t2.branch}`, tip);
    const again = { ...t2, tip };
    await enqueueAll(q, [again]);
    expect((await drain(q)).kinds).toEqual({ T2: 'landed' });
    // Its one commit cannot be replayed alone (it is the conflict), so the task lands squashed.
    const landing = firstParentHistory(q).at(-1)!;
    expect([landing.subject, landing.parents]).toEqual(['feat(T2): Task t2', [main]]);
    expect(q.repo.git('show', 'main:shared.txt')).toBe('line one\nline two by T1 and T2\nline three');
    expect(mergesSinceStart(q)).toBe('');
    expect(ancestorOfMain(q, tip)).toBe(false);
  });
});
