import { describe, expect, it } from 'vitest';
import { planClaim, type ClaimContext } from '../../../src/claims/claim.js';
import { planRelease } from '../../../src/claims/release.js';
import { defaultConfig } from '../../../src/config/schema.js';
import { isCrewError } from '../../../src/errors.js';
import { snapshotOf, taskText } from '../backlog/backlog-of.js';

const now = new Date('2026-11-27T12:00:00.500Z');
const ctx: ClaimContext = { config: defaultConfig(), host: 'laptop', now, token: 'tok1' };
const files = {
  'backlog/tasks/A1-low.md': taskText('A1', { priority: 'low' }),
  'backlog/tasks/A2-high.md': taskText('A2', { priority: 'high' }),
  'backlog/tasks/A3-waits.md': taskText('A3', { priority: 'high', depends_on: '[A1]' }),
  'backlog/tasks/A4-done.md': taskText('A4', { status: 'done' }),
  'backlog/tasks/A5-ux.md': taskText('A5', { priority: 'high', role: 'designer' }),
};

function codeOf(plan: () => unknown): string {
  try {
    plan();
  } catch (error) {
    if (isCrewError(error)) return `${error.code}: ${error.message}`;
    throw error;
  }
  return 'no error';
}

describe('planClaim', () => {
  it('picks the next eligible task, names its worker safely, and writes the lock into its file, a started line and one commit message', () => {
    const plan = planClaim(snapshotOf(files), { worker: 'Claude 1', pid: 4242 }, ctx);
    expect(plan.value.task.id).toBe('A2');
    expect(plan.value.lock).toEqual({ worker: 'Claude-1', token: 'tok1', branch: 'ai/Claude-1/A2-task-a2', worktree: '.worktrees/ai/Claude-1/A2-task-a2', host: 'laptop', pid: 4242, since: '2026-11-27T12:00:00Z' });
    expect([...plan.change.files.keys()]).toEqual(['backlog/tasks/A2-high.md']);
    const text = plan.change.files.get('backlog/tasks/A2-high.md') ?? '';
    expect(text).toMatch(/^status: in-progress$/m);
    expect(text).toMatch(/^  token: tok1$/m);
    expect(plan.change.events).toEqual([{ time: now, worker: 'Claude-1', task: 'A2', event: 'started', detail: 'picked from backlog' }]);
    expect(plan.change.message).toBe('chore(backlog): A2 claimed by Claude-1');
  });

  it.each([
    ['a role', { role: 'designer' }, 'A5'],
    ['skipped ids', { skip: ['A2', 'A5'] }, 'A1'],
    ['busy paths that do not overlap', { busyPaths: [{ id: 'B1', paths: ['docs/**'] }] }, 'A2'],
    ['an id', { id: 'A1' }, 'A1'],
  ])('honours %s', (_name, request, picked) => {
    const plan = planClaim(snapshotOf(files), { worker: 'w1', pid: 1, ...request }, ctx);
    expect(plan.value.task.id).toBe(picked);
    expect(plan.change.events[0]?.detail).toBe('id' in request ? 'claimed by id' : 'picked from backlog');
  });

  it.each([
    ['a task that is done', { id: 'A4' }, 'nothing-eligible: A4 is done; only todo tasks can be claimed.'],
    ['a task waiting on another', { id: 'A3' }, 'nothing-eligible: A3 is waiting on A1.'],
    ['a role with nothing to do', { role: 'tester' }, 'nothing-eligible: No eligible task for role tester.'],
    ['an unknown id', { id: 'Z9' }, 'not-found'],
  ])('refuses %s, saying why', (_name, request, expected) => {
    expect(codeOf(() => planClaim(snapshotOf(files), { worker: 'w1', pid: 1, ...request }, ctx))).toContain(expected);
  });

  it('refuses a task already locked, naming its holder', () => {
    const held = planClaim(snapshotOf(files), { worker: 'codex-dev', pid: 7, id: 'A1' }, ctx).change.files.get('backlog/tasks/A1-low.md') ?? '';
    const again = () => planClaim(snapshotOf({ ...files, 'backlog/tasks/A1-low.md': held }), { worker: 'w1', pid: 1, id: 'A1' }, ctx);
    expect(codeOf(again)).toBe('lock-held: A1 is locked by codex-dev since 2026-11-27T12:00:00Z (pid 7 on laptop).');
  });

  it('refuses a task whose file has problems, and never picks it', () => {
    const broken = { 'backlog/tasks/B1-broken.md': taskText('B1', { priority: 'high', status: 'started-ish' }) };
    expect(codeOf(() => planClaim(snapshotOf(broken), { worker: 'w1', pid: 1, id: 'B1' }, ctx))).toMatch(/^backlog-invalid: B1 has problems in its file/);
    expect(planClaim(snapshotOf({ ...files, ...broken }), { worker: 'w1', pid: 1 }, ctx).value.task.id).toBe('A2');
  });
});

describe('planRelease', () => {
  const claimed = (worker = 'w1', pid = 4242) => {
    const plan = planClaim(snapshotOf(files), { worker, pid, id: 'A2' }, ctx);
    return snapshotOf({ ...files, 'backlog/tasks/A2-high.md': plan.change.files.get('backlog/tasks/A2-high.md') ?? '' });
  };
  const later = new Date('2026-11-27T12:05:00.000Z');

  it('by its holder, with nothing to say, gives the file back byte for byte', () => {
    const plan = planRelease(claimed(), { id: 'A2', token: 'tok1', actor: 'w1' }, { host: 'laptop', now: later });
    expect(plan.change.files.get('backlog/tasks/A2-high.md')).toBe(files['backlog/tasks/A2-high.md']);
    expect(plan.change.events).toEqual([{ time: later, worker: 'w1', task: 'A2', event: 'released', detail: '' }]);
    expect(plan.change.message).toBe('chore(backlog): A2 released by w1');
    expect(plan.value).toMatchObject({ id: 'A2', status: 'todo', lock: undefined });
  });

  it('blocked with a note and a detail: both in the file, the note in the log', () => {
    const plan = planRelease(claimed(), { id: 'A2', token: 'tok1', actor: 'w1', status: 'blocked', note: 'npm test failed', detail: 'expected 4' }, { host: 'laptop', now: later });
    const text = plan.change.files.get('backlog/tasks/A2-high.md') ?? '';
    expect(text).toMatch(/^status: blocked$/m);
    expect(text).toContain('2026-11-27T12:05:00.000Z blocked by w1: npm test failed');
    expect(text).toContain('expected 4');
    expect(plan.change.events[0]).toMatchObject({ event: 'blocked', detail: 'npm test failed' });
    expect(plan.change.message).toBe('chore(backlog): A2 blocked by w1');
  });

  it.each([
    ['the same pid on the same host', { pid: 4242 }, 'laptop', 'chore(backlog): A2 released by me'],
    ['anyone with force, which is noted', { force: true, note: 'gone' }, 'desktop', 'chore(backlog): A2 released by me (forced)'],
  ])('accepts %s', (_name, proof, host, message) => {
    const plan = planRelease(claimed(), { id: 'A2', actor: 'me', ...proof }, { host, now: later });
    expect(plan.change.message).toBe(message);
  });

  it.each([
    ['a wrong token', { token: 'other' }, 'laptop'],
    ['the same pid on another host', { pid: 4242 }, 'desktop'],
    ['no proof at all', {}, 'laptop'],
  ])('refuses %s: only the holder may release', (_name, proof, host) => {
    expect(codeOf(() => planRelease(claimed(), { id: 'A2', actor: 'me', ...proof }, { host, now: later }))).toBe(
      'not-holder: A2 is locked by w1 since 2026-11-27T12:00:00Z (pid 4242 on laptop); only its holder may release it.',
    );
  });

  it('refuses a task that is not locked', () => {
    expect(codeOf(() => planRelease(snapshotOf(files), { id: 'A1', actor: 'me', force: true }, { host: 'laptop', now: later }))).toBe('not-holder: A1 is not locked; there is nothing to release.');
  });
});
