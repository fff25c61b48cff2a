import { describe, expect, it } from 'vitest';
import { planClaim } from '../../../src/claims/claim.js';
import { defaultConfig } from '../../../src/config/schema.js';
import { isCrewError } from '../../../src/errors.js';
import { planParkForReview } from '../../../src/worker/finish.js';
import { planSendBack } from '../../../src/workflows/review.js';
import { snapshotOf, taskText } from '../backlog/backlog-of.js';

const now = new Date('2026-11-27T13:00:00.000Z');
const FILE = 'backlog/tasks/R1-r.md';

/** R1 claimed by w1 (token t1), then parked for review. */
function inReview() {
  const todo = { [FILE]: taskText('R1', { review: 'true' }) };
  const claim = planClaim(snapshotOf(todo), { id: 'R1', worker: 'w1', pid: 10 }, { config: defaultConfig(), host: 'laptop', now, token: 't1' });
  const held = snapshotOf({ [FILE]: claim.change.files.get(FILE) ?? '' });
  const park = planParkForReview(held, { task: claim.value.task, lock: claim.value.lock, tip: 'c0ffee1234567890' }, now);
  return { park, claimed: claim.value.task, snapshot: snapshotOf({ [FILE]: park.change.files.get(FILE) ?? '' }) };
}

describe('planParkForReview', () => {
  it('moves the task to review keeping its lock as the fence, and says what waits for whom', () => {
    const { park, snapshot } = inReview();
    const task = snapshot.backlog.tasks[0];
    expect(task?.status).toBe('review');
    expect(task?.lock?.token).toBe('t1');
    expect(park.change.events).toEqual([{ time: now, worker: 'w1', task: 'R1', event: 'review', detail: 'ai/w1/R1-task-r1 at c0ffee12 waits for crew approve R1' }]);
    expect(park.change.message).toBe('chore(backlog): R1 waits for review');
  });
});

describe('planSendBack', () => {
  it('rejected: back to todo without the lock, the reason dated in the file and in the log', () => {
    const { snapshot } = inReview();
    const task = snapshot.backlog.tasks[0]!;
    const plan = planSendBack(snapshot, { task, status: 'todo', event: 'rejected', note: 'rejected by ann: use the helper' }, now);
    const text = plan.change.files.get(FILE) ?? '';
    expect(text).toMatch(/^status: todo$/m);
    expect(text).not.toMatch(/^lock:/m);
    expect(text).toContain('2026-11-27T13:00:00.000Z rejected by ann: use the helper');
    expect(plan.change.events).toEqual([{ time: now, worker: 'w1', task: 'R1', event: 'rejected', detail: 'rejected by ann: use the helper' }]);
    expect(plan.change.message).toBe('chore(backlog): R1 rejected');
  });

  it('approved but could not land: blocked, with the failure output as the detail', () => {
    const { snapshot } = inReview();
    const plan = planSendBack(snapshot, { task: snapshot.backlog.tasks[0]!, status: 'blocked', event: 'blocked', note: 'approved by ann but could not land', detail: 'npm test: 1 failing' }, now);
    const text = plan.change.files.get(FILE) ?? '';
    expect(text).toMatch(/^status: blocked$/m);
    expect(text).toContain('npm test: 1 failing');
    expect(plan.change.message).toBe('chore(backlog): R1 blocked');
  });

  it('refuses a task that changed hands while it was reviewed, changing nothing', () => {
    const { snapshot, claimed } = inReview();
    const stale = { ...claimed, lock: { ...claimed.lock!, token: 'earlier' } };
    let code = '';
    try {
      planSendBack(snapshot, { task: stale, status: 'todo', event: 'rejected', note: 'x' }, now);
    } catch (error) {
      if (isCrewError(error)) code = `${error.code}: ${error.message}`;
    }
    expect(code).toBe('fenced: R1 changed hands while it was being reviewed; nothing was changed.');
  });
});
