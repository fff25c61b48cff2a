import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { queueDriversIdle, readQueue, type QueueEvent } from '../../../src/merge-queue/index.js';
import { MergeQueueLander } from '../../../src/merge-queue/queue-lander.js';
import { readResult } from '../../../src/merge-queue/results.js';
import { recordEvents } from '../../../src/state/record-events.js';
import {
  checkInvariants,
  claimAndCommit,
  commitCodeOnMain,
  drain,
  enqueueAll,
  firstParentHistory,
  logEvents,
  queueRefs,
  queueRepo,
  statusOnMain,
  waitFor,
  type QueueRepo,
  type TaskBranch,
} from './fixture.js';

let q: QueueRepo | undefined;
afterEach(() => q?.cleanup());

/** Claims each task, commits its files on its branch, then moves main with a code commit (so every merge needs a gate). */
async function branches(repo: QueueRepo, specs: Record<string, Record<string, string>>, moveMain = true): Promise<TaskBranch[]> {
  const made: TaskBranch[] = [];
  for (const [id, files] of Object.entries(specs)) made.push(await claimAndCommit(repo, id, files));
  if (moveMain) commitCodeOnMain(repo, 'moved.txt', 'main moved on\n');
  repo.start = repo.repo.git('rev-parse', 'main');
  return made;
}



/** Each batch the runner built, as `<mode> <ids>`. */
function batches(events: QueueEvent[]): string[] {
  return events.flatMap((e) => (e.kind === 'batch' ? [`${e.mode} ${e.ids.join(' ')}`] : []));
}

function good(id: string): Record<string, string> {
  return { [`src/${id.toLowerCase()}.txt`]: `work of ${id}\n` };
}

function bad(id: string): Record<string, string> {
  return { ...good(id), [`BAD-${id}`]: 'breaks the build\n' };
}

describe('merge queue scenarios (real git, a gate script that fails on BAD*)', () => {
  it('one good branch: merged onto main, gated once on exactly that commit, task closed', async () => {
    q = await queueRepo(['T1']);
    const made = await branches(q, { T1: good('T1') });
    await enqueueAll(q, made);
    const { kinds } = await drain(q);
    expect(kinds).toEqual({ T1: 'landed' });
    const history = firstParentHistory(q);
    const landing = history.find((c) => c.parents.includes(made[0]!.tip))!;
    expect(landing.subject).toBe('Merge ai/w-t1/T1-task-t1 (T1: Task t1)');
    expect(q.gateRuns()).toHaveLength(1);
    // The gate ran on the merge whose code is what landed (the landing adds only backlog state).
    expect(q.repo.git('diff', '--stat', q.gateRuns()[0]!, landing.commit, '--', '.', ':(exclude)backlog')).toBe('');
    expect(statusOnMain(q, 'T1')).toBe('done');
    expect(logEvents(q, 'T1')).toEqual(['started', 'queued', 'merged', 'done']);
    expect(queueRefs(q)).toEqual([]);
    expect(await readResult(q.ws.git, 'T1')).toMatchObject({ kind: 'landed', commit: landing.commit, regated: true, batch: ['T1'] });
    expect(checkInvariants(q, made)).toEqual([]);
  });

  it('a branch whose merge equals its tip (main did not move) lands without a second gate', async () => {
    q = await queueRepo(['T1']);
    const made = await branches(q, { T1: good('T1') }, false);
    await enqueueAll(q, made);
    const { kinds, events } = await drain(q);
    expect(kinds).toEqual({ T1: 'landed' });
    expect(q.gateRuns()).toEqual([]);
    expect(events).toContainEqual({ kind: 'gated', ids: ['T1'], ok: true, durationMs: 0, reused: 'tip' });
    expect(await readResult(q.ws.git, 'T1')).toMatchObject({ kind: 'landed', regated: false });
  });

  it('four good branches: one batch, one gate run, one landing commit that closes all four', async () => {
    q = await queueRepo(['T1', 'T2', 'T3', 'T4']);
    const made = await branches(q, { T1: good('T1'), T2: good('T2'), T3: good('T3'), T4: good('T4') });
    await enqueueAll(q, made);
    const { kinds } = await drain(q);
    expect(kinds).toEqual({ T1: 'landed', T2: 'landed', T3: 'landed', T4: 'landed' });
    expect(q.gateRuns()).toHaveLength(1);
    const landings = firstParentHistory(q).filter((c) => c.parents.length > 1);
    expect(landings).toHaveLength(1);
    expect(landings[0]!.parents.slice(1)).toEqual(made.map((b) => b.tip));
    expect(landings[0]!.subject).toBe('Merge 4 branches: T1, T2, T3, T4');
    for (const id of ['T1', 'T2', 'T3', 'T4']) {
      expect(statusOnMain(q, id)).toBe('done');
      expect(logEvents(q, id)).toEqual(['started', 'queued', 'merged', 'done']);
    }
    expect(checkInvariants(q, made)).toEqual([]);
  });

  it('a bad branch at the head, output naming no file: bisected out (4 gate runs), the other three land, the culprit gets the failure output', async () => {
    q = await queueRepo(['T1', 'T2', 'T3', 'T4']);
    q.quiet();
    const made = await branches(q, { T1: bad('T1'), T2: good('T2'), T3: good('T3'), T4: good('T4') });
    await enqueueAll(q, made);
    const { kinds, events } = await drain(q);
    expect(kinds).toEqual({ T1: 'gate-failed', T2: 'landed', T3: 'landed', T4: 'landed' });
    // [T1..T4] red, [T1,T2] red, [T1] red: the culprit; then [T2,T3,T4] green.
    expect(batches(events)).toEqual(['fresh T1 T2 T3 T4', 'bisect T1 T2', 'bisect T1', 'fresh T2 T3 T4']);
    expect(q.gateRuns()).toHaveLength(4);
    const result = await readResult(q.ws.git, 'T1');
    expect(result).toMatchObject({ kind: 'gate-failed', command: `sh ${q.side}/gate.sh`, batch: ['T1'] });
    expect(result?.kind === 'gate-failed' && result.tail).toContain('the build is broken');
    expect(logEvents(q, 'T1')).toEqual(['started', 'queued', 'gate-failed']);
    // The culprit's log line rides on the next landing commit, after the queued lines that waited in the journal: no state commit of its own.
    const landing = firstParentHistory(q).find((c) => c.subject === 'Merge 3 branches: T2, T3, T4')!;
    const added = q.repo.git('diff', '-U0', `${landing.commit}~1`, landing.commit, '--', 'backlog/task.log').split('\n').filter((line) => line.startsWith('+2'));
    expect(added.map((line) => line.split(' | ').slice(2, 4).join(' '))).toEqual(['T1 queued', 'T2 queued', 'T3 queued', 'T4 queued', 'T1 gate-failed', 'T2 merged', 'T2 done', 'T3 merged', 'T3 done', 'T4 merged', 'T4 done']);
    expect(statusOnMain(q, 'T1')).toBe('in-progress');
    expect(checkInvariants(q, made)).toEqual([]);
  });

  it('a bad branch in the middle, output naming no file: the good half lands first, the culprit is found alone', async () => {
    q = await queueRepo(['T1', 'T2', 'T3', 'T4']);
    q.quiet();
    const made = await branches(q, { T1: good('T1'), T2: good('T2'), T3: bad('T3'), T4: good('T4') });
    await enqueueAll(q, made);
    const { kinds, events } = await drain(q);
    expect(kinds).toEqual({ T1: 'landed', T2: 'landed', T3: 'gate-failed', T4: 'landed' });
    expect(batches(events)).toEqual(['fresh T1 T2 T3 T4', 'bisect T1 T2', 'bisect T3', 'fresh T4']);
    expect(q.gateRuns()).toHaveLength(4);
    const landings = firstParentHistory(q).filter((c) => c.parents.length > 1);
    expect(landings.map((c) => c.subject)).toEqual(['Merge 2 branches: T1, T2', 'Merge ai/w-t4/T4-task-t4 (T4: Task t4)']);
    expect(checkInvariants(q, made)).toEqual([]);
  });

  it('a bad branch whose broken file the gate output names: the others are gated first and land, the culprit fails without a third gate', async () => {
    q = await queueRepo(['T1', 'T2', 'T3', 'T4']);
    const made = await branches(q, { T1: good('T1'), T2: good('T2'), T3: bad('T3'), T4: good('T4') });
    await enqueueAll(q, made);
    const { kinds, events } = await drain(q);
    expect(kinds).toEqual({ T1: 'landed', T2: 'landed', T3: 'gate-failed', T4: 'landed' });
    // [T1..T4] red naming BAD-T3; [T1,T2,T4] green; T3 onto that is the red batch's code again.
    expect(batches(events)).toEqual(['fresh T1 T2 T3 T4', 'exonerate T1 T2 T4', 'bisect T3']);
    expect(q.gateRuns()).toHaveLength(2);
    expect(events).toContainEqual({ kind: 'gated', ids: ['T3'], ok: false, command: `sh ${q.side}/gate.sh`, durationMs: 0, reused: 'memory' });
    const result = await readResult(q.ws.git, 'T3');
    expect(result?.kind === 'gate-failed' && result.tail).toContain('found BAD-T3: this change breaks the build');
    expect(checkInvariants(q, made)).toEqual([]);
  });

  it('two bad branches: both found, the rest land', async () => {
    q = await queueRepo(['T1', 'T2', 'T3', 'T4', 'T5', 'T6']);
    const made = await branches(q, { T1: good('T1'), T2: bad('T2'), T3: good('T3'), T4: bad('T4'), T5: good('T5'), T6: good('T6') });
    await enqueueAll(q, made);
    const { kinds } = await drain(q);
    expect(kinds).toEqual({ T1: 'landed', T2: 'gate-failed', T3: 'landed', T4: 'gate-failed', T5: 'landed', T6: 'landed' });
    for (const id of ['T1', 'T3', 'T5', 'T6']) expect(statusOnMain(q, id)).toBe('done');
    for (const id of ['T2', 'T4']) expect(statusOnMain(q, id)).toBe('in-progress');
    expect(checkInvariants(q, made)).toEqual([]);
  });

  it('two tasks changing the same lines: the first lands, the second gets a conflict naming the file', async () => {
    q = await queueRepo(['T1', 'T2']);
    const made = await branches(q, {
      T1: { 'shared.txt': 'line one\nline two by T1\nline three\n' },
      T2: { 'shared.txt': 'line one\nline two by T2\nline three\n' },
    });
    await enqueueAll(q, made);
    const { kinds, events } = await drain(q);
    expect(kinds).toEqual({ T1: 'landed', T2: 'conflict' });
    expect(events).toContainEqual({ kind: 'deferred', id: 'T2', reason: 'conflicts with T1; waits for the next batch' });
    expect(await readResult(q.ws.git, 'T2')).toMatchObject({ kind: 'conflict', files: ['shared.txt'] });
    expect(q.repo.git('show', 'main:shared.txt')).toBe('line one\nline two by T1\nline three');
    expect(checkInvariants(q, made)).toEqual([]);
  });

  it('main moving during the gate with a state-only commit: no re-gate, the state commit is kept', async () => {
    q = await queueRepo(['T1', 'T2']);
    const made = await branches(q, { T1: good('T1') });
    await enqueueAll(q, made);
    q.hold();
    const running = drain(q);
    await waitFor(() => q!.isHolding(), 'the gate to start');
    await recordEvents(q.ws, [{ time: new Date(), worker: 'someone', task: 'T2', event: 'edited', detail: 'a state-only commit during the gate' }]);
    const stateCommit = q.repo.git('rev-parse', 'main');
    q.release();
    const { kinds } = await running;
    expect(kinds).toEqual({ T1: 'landed' });
    expect(q.gateRuns()).toHaveLength(1);
    const history = firstParentHistory(q);
    const landing = history.find((c) => c.parents.includes(made[0]!.tip))!;
    expect(landing.parents[0]).toBe(stateCommit);
    expect(logEvents(q, 'T2')).toEqual(['edited']);
    expect(checkInvariants(q, made)).toEqual([]);
  });

  it('main moving during the gate with a code commit: rebuilt and gated again on top of it', async () => {
    q = await queueRepo(['T1']);
    const made = await branches(q, { T1: good('T1') });
    await enqueueAll(q, made);
    q.hold();
    const running = drain(q);
    await waitFor(() => q!.isHolding(), 'the gate to start');
    const codeCommit = commitCodeOnMain(q, 'other.txt', 'landed by hand during the gate\n');
    q.release();
    const { kinds, events } = await running;
    expect(kinds).toEqual({ T1: 'landed' });
    expect(q.gateRuns()).toHaveLength(2);
    expect(events.filter((e) => e.kind === 'rebuild')).toHaveLength(1);
    const landing = firstParentHistory(q).find((c) => c.parents.includes(made[0]!.tip))!;
    expect(landing.parents[0]).toBe(codeCommit);
    expect(q.repo.git('show', `${landing.commit}:other.txt`)).toBe('landed by hand during the gate');
    expect(q.gateRuns()[1]).not.toBe(q.gateRuns()[0]);
    expect(checkInvariants(q, made)).toEqual([]);
  });

  it('several workers landing at once through MergeQueueLander: one drives, all land, one gate for the batch', async () => {
    q = await queueRepo(['T1', 'T2', 'T3']);
    const made = await branches(q, { T1: good('T1'), T2: good('T2'), T3: good('T3') });
    q.hold();
    const lander = new MergeQueueLander(q.ws, { pollMs: 50 });
    const request = (b: TaskBranch) =>
      lander.land({
        task: { id: b.id, title: b.title } as never,
        lock: { worker: b.worker, token: b.token, branch: b.branch, worktree: '', host: q!.ws.host, pid: process.pid, since: '' },
        tip: b.tip,
        env: {},
        gateCommands: q!.ws.config.gate,
        runDir: q!.side,
      });
    const first = request(made[0]!);
    await waitFor(() => q!.isHolding(), 'the first gate to start');
    const view = await readQueue(q.ws);
    expect(view.runner).toMatchObject({ runner: 'w-t1', pid: process.pid, alive: true, gating: { ids: ['T1'] } });
    const others = made.slice(1).map(request);
    await waitFor(() => queueRefs(q!).length === 3, 'T2 and T3 to queue');
    expect((await readQueue(q.ws)).waiting.map((w) => w.id)).toEqual(['T1', 'T2', 'T3']);
    q.release();
    const outcomes = await Promise.all([first, ...others]);
    expect(outcomes.map((o) => o.kind)).toEqual(['landed', 'landed', 'landed']);
    // T1 alone (it was alone when gated), then T2 and T3 together.
    expect(q.gateRuns()).toHaveLength(2);
    expect(outcomes[1]).toEqual(outcomes[2]);
    // NOTE: each lander returns the moment its entry settles; the shared drive gives the lease back after its round.
    await queueDriversIdle(q.ws);
    const after = await readQueue(q.ws);
    expect(after.waiting).toEqual([]);
    expect(after.runner).toBeUndefined();
    expect(after.recent.map((r) => [r.id, r.kind]).sort()).toEqual([['T1', 'landed'], ['T2', 'landed'], ['T3', 'landed']]);
    expect(checkInvariants(q, made)).toEqual([]);
  });

  it('a lander returns as soon as its own entry lands, while the shared drive is still gating the next one', async () => {
    q = await queueRepo(['T1', 'T2']);
    const made = await branches(q, { T1: good('T1'), T2: good('T2') });
    q.hold();
    const lander = new MergeQueueLander(q.ws, { pollMs: 50 });
    const go = join(q.side, 'go');
    const request = (b: TaskBranch, gate: string[]) =>
      lander.land({
        task: { id: b.id, title: b.title } as never,
        lock: { worker: b.worker, token: b.token, branch: b.branch, worktree: '', host: q!.ws.host, pid: process.pid, since: '' },
        tip: b.tip,
        env: {},
        gateCommands: gate,
        runDir: q!.side,
      });
    const first = request(made[0]!, q.ws.config.gate);
    await waitFor(() => q!.isHolding(), 'T1\'s gate to start');
    // T2's own gate waits for the `go` file: T2 cannot land before the test says so.
    const second = request(made[1]!, [...q.ws.config.gate, `while [ ! -e '${go}' ]; do sleep 0.05; done`]);
    await waitFor(() => queueRefs(q!).length === 2, 'T2 to queue');
    q.release();
    expect(await first).toMatchObject({ kind: 'landed' });
    expect(queueRefs(q).map((ref) => ref.split('/').pop())).toEqual(['T2']);
    expect(statusOnMain(q, 'T2')).toBe('in-progress');
    writeFileSync(go, '');
    expect(await second).toMatchObject({ kind: 'landed' });
    await queueDriversIdle(q.ws);
    expect((await readQueue(q.ws)).runner).toBeUndefined();
    expect(q.gateRuns()).toHaveLength(2);
    expect(checkInvariants(q, made)).toEqual([]);
  });
});
