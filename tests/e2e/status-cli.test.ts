import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCrew } from '../helpers/temp-repo.js';
import { fixedBacklogRepo, HOST, type FixedBacklog } from '../integration/views/fixed-backlog.js';

const ELAPSED = String.raw`(?:\d+d \d\dh|\d+h \d\dm|\d+m \d\ds|\d+s)`;

/**
 * Real time moves between runs: the header time and every elapsed time are replaced, and since
 * their widths change the columns, runs of spaces are collapsed (the integration test checks
 * the alignment on a fixed clock).
 */
function normalise(text: string, fixture: FixedBacklog): string {
  return text
    .replace(/^main at [0-9a-f]{8} · \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/, 'main at <commit> · <now>')
    .replace(new RegExp(`\\(${ELAPSED} ago\\)`, 'g'), '(<age> ago)')
    .replace(new RegExp(`(agent +)${ELAPSED}( +2 )`), '$1<elapsed>$2')
    .replaceAll(String(fixture.deadPid), 'DEADPID')
    .replace(/ {2,}/g, '  ');
}

describe('crew status (built CLI) on a fixed backlog', () => {
  let fixture: FixedBacklog;
  beforeAll(() => {
    fixture = fixedBacklogRepo();
  });
  afterAll(() => fixture.repo.cleanup());

  it('prints workers, locks, queue, worktrees and stale locks', () => {
    const run = runCrew(fixture.repo.dir, ['status'], { CREWTREE_HOST: HOST });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(normalise(run.stdout, fixture)).toMatchSnapshot();
  });

  it('--json gives the same model to programs', () => {
    const run = runCrew(fixture.repo.dir, ['status', '--json'], { CREWTREE_HOST: HOST });
    expect(run.code).toBe(0);
    const model = JSON.parse(run.stdout);
    expect(model.commit).toBe(fixture.repo.git('rev-parse', 'main'));
    expect(model.workers).toMatchObject([{ worker: 'dev-1', task: 'A1', phase: 'agent', attempt: 2, pid: fixture.deadPid, host: HOST, alive: false }]);
    expect(model.locks.map((l: { task: string; worker: string }) => `${l.task}:${l.worker}`)).toEqual(['A1:dev-1', 'A2:dev-2']);
    expect(model.worktrees).toEqual([{ path: fixture.worktree, branch: 'ai/dev-1/A1-add-members-list', task: 'A1', clean: false, changed: ['members.js'] }]);
    expect(model.stale).toEqual([{ task: 'A1', worker: 'dev-1', reason: `its process ${fixture.deadPid} on ${HOST} is gone` }]);
    expect(model.queue).toEqual({ runner: null, waiting: [], recent: [] });
  });
});
