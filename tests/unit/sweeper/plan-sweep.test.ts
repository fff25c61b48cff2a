import { describe, expect, it } from 'vitest';
import { planClaim } from '../../../src/claims/claim.js';
import { defaultConfig } from '../../../src/config/schema.js';
import { planSweep, type SweptLock } from '../../../src/sweeper/sweep.js';
import { snapshotOf, taskText } from '../backlog/backlog-of.js';

const claimedAt = new Date('2026-11-27T12:00:00Z');
const now = new Date('2026-11-27T12:30:00.000Z');

/** A1 and A2 claimed by w1 and w2 (tokens t1, t2); A3 in progress with no lock (another tool dropped it); A4 todo. */
function backlog() {
  let files: Record<string, string> = {
    'backlog/tasks/A1-a.md': taskText('A1'),
    'backlog/tasks/A2-b.md': taskText('A2'),
    'backlog/tasks/A3-c.md': taskText('A3', { status: 'in-progress' }),
    'backlog/tasks/A4-d.md': taskText('A4'),
  };
  for (const [id, worker, token] of [['A1', 'w1', 't1'], ['A2', 'w2', 't2']] as const) {
    const plan = planClaim(snapshotOf(files), { id, worker, pid: 10 }, { config: defaultConfig(), host: 'laptop', now: claimedAt, token });
    files = { ...files, ...Object.fromEntries([...plan.change.files].map(([path, text]) => [path, text ?? ''])) };
  }
  return snapshotOf(files);
}

const stale = (id: string, token: string, reason: string): SweptLock => ({ id, token, reason, worker: '', branch: '' });

describe('planSweep', () => {
  it('sends stale locks and stranded tasks back to todo, noting why and what was kept', () => {
    const plan = planSweep(backlog(), [stale('A1', 't1', 'its process 10 on laptop is gone')], { actor: 'sweeper', now });
    expect(plan.value).toEqual({ swept: [stale('A1', 't1', 'its process 10 on laptop is gone')], unstranded: ['A3'] });
    expect([...plan.change.files.keys()]).toEqual(['backlog/tasks/A3-c.md', 'backlog/tasks/A1-a.md']);
    const a1 = plan.change.files.get('backlog/tasks/A1-a.md') ?? '';
    expect(a1).toMatch(/^status: todo$/m);
    expect(a1).not.toMatch(/^lock:/m);
    expect(a1).toContain('2026-11-27T12:30:00.000Z swept by sweeper: its process 10 on laptop is gone; branch ai/w1/A1-task-a1 and worktree .worktrees/ai/w1/A1-task-a1 kept');
    expect(plan.change.files.get('backlog/tasks/A3-c.md')).toContain('swept by sweeper: in progress without a lock (another tool rewrote the file without it); back to todo');
    expect(plan.change.events.map((e) => `${e.worker} ${e.task} ${e.event}: ${e.detail}`)).toEqual([
      'sweeper A3 swept: in progress without a lock (another tool rewrote the file without it)',
      'w1 A1 swept: its process 10 on laptop is gone',
    ]);
    expect(plan.change.message).toBe('chore(backlog): sweep A1, A3');
  });

  it('leaves a lock alone that was released or claimed again since it was judged stale', () => {
    const plan = planSweep(backlog(), [stale('A2', 'old-token', 'heartbeat unchanged for 2 min'), stale('A4', 't9', 'gone')], { actor: 'me', now });
    expect(plan.value.swept).toEqual([]);
    expect([...plan.change.files.keys()]).toEqual(['backlog/tasks/A3-c.md']);
    expect(plan.change.message).toBe('chore(backlog): sweep A3');
  });

  it('plans nothing when nothing is stale or stranded', () => {
    const clean = snapshotOf({ 'backlog/tasks/A4-d.md': taskText('A4') });
    const plan = planSweep(clean, [], { actor: 'sweeper', now });
    expect(plan).toEqual({ change: { files: new Map(), events: [], message: '' }, value: { swept: [], unstranded: [] } });
  });
});
