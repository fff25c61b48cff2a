import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatherStatus } from '../../../src/views/gather-status.js';
import { renderStatus } from '../../../src/views/status.js';
import { openWorkspace } from '../../../src/workflows/open-workspace.js';
import { fixedBacklogRepo, HOST, type FixedBacklog } from './fixed-backlog.js';

const clock = { now: () => new Date('2025-12-02T11:10:00Z') };

describe('crew status on a fixed backlog', () => {
  let fixture: FixedBacklog;
  beforeAll(() => {
    fixture = fixedBacklogRepo();
  });
  afterAll(() => fixture.repo.cleanup());

  it('gathers workers, locks, worktrees and stale locks from the repository', async () => {
    const ws = await openWorkspace(fixture.repo.dir, { env: {}, clock, host: HOST });
    const model = await gatherStatus(ws);
    expect(model.commit).toBe(fixture.repo.git('rev-parse', 'main'));
    expect(model.workers.map((w) => [w.worker, w.task, w.phase, w.attempt, w.elapsedMs, w.alive])).toEqual([['dev-1', 'A1', 'agent', 2, 355_000, false]]);
    expect(model.locks.map((l) => [l.task, l.worker, l.host, l.since])).toEqual([
      ['A1', 'dev-1', HOST, '2025-12-02T11:03:23Z'],
      ['A2', 'dev-2', 'laptop', '2025-12-02T11:05:00Z'],
    ]);
    expect(model.worktrees).toEqual([{ path: fixture.worktree, branch: 'ai/dev-1/A1-add-members-list', task: 'A1', clean: false, changed: ['members.js'] }]);
    // A2's holder runs on another machine: only its heartbeat could show it gone, and no sweep has watched it yet.
    expect(model.stale).toEqual([{ task: 'A1', worker: 'dev-1', reason: `its process ${fixture.deadPid} on ${HOST} is gone` }]);
    expect(model.queue).toEqual({ runner: null, waiting: [], recent: [] });
  });

  it('renders the same text every time (times from the clock, hashes and pids normalised)', async () => {
    const ws = await openWorkspace(fixture.repo.dir, { env: {}, clock, host: HOST });
    const text = renderStatus(await gatherStatus(ws), { color: false })
      .replace(/^main at [0-9a-f]{8}/, 'main at <commit>')
      .replaceAll(String(fixture.deadPid), 'DEADPID');
    expect(text).toMatchInlineSnapshot(`
      "main at <commit> · 2025-12-02 11:10:00 UTC

      Workers (1)
        WORKER  TASK  PHASE  ELAPSED  ATTEMPT  PID      HOST
        dev-1   A1    agent  5m 55s   2        DEADPID  test-host  process gone

      Locks (2)
        TASK  STATUS       WORKER  SINCE                                 PID      HOST       BRANCH
        A1    in-progress  dev-1   2025-12-02 11:03:23 UTC (6m 37s ago)  DEADPID  test-host  ai/dev-1/A1-add-members-list
        A2    in-progress  dev-2   2025-12-02 11:05:00 UTC (5m 00s ago)  4242     laptop     ai/dev-2/A2-add-events-endpoint

      Merge queue
        empty

      Worktrees (1)
        PATH                                     BRANCH                        TASK  STATE
        .worktrees/ai/dev-1/A1-add-members-list  ai/dev-1/A1-add-members-list  A1    1 changed (members.js)

      Stale locks (1)
        A1 (dev-1): its process DEADPID on test-host is gone; \`crew sweep\` would release it"
    `);
  });

  it('paints a dead worker red and a dirty worktree yellow only when colour is on', async () => {
    const ws = await openWorkspace(fixture.repo.dir, { env: {}, clock, host: HOST });
    const model = await gatherStatus(ws);
    expect(renderStatus(model, { color: true })).toContain('\u001b[31mprocess gone\u001b[39m');
    expect(renderStatus(model, { color: true })).toContain('\u001b[33m1 changed (members.js)\u001b[39m');
    expect(renderStatus(model, { color: false })).not.toContain('\u001b[');
  });
});
