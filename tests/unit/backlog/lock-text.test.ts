import { describe, expect, it } from 'vitest';
import { parseBacklog } from '../../../src/backlog/backlog.js';
import type { Task, TaskLock } from '../../../src/backlog/task.js';
import { describeHolder, rewriteTask } from '../../../src/backlog/lock-text.js';
import { isHolder } from '../../../src/claims/release.js';

const lock: TaskLock = {
  worker: 'codex-dev',
  token: '5f1c9e2a',
  branch: 'ai/codex-dev/A32-add-endpoint',
  worktree: '.worktrees/ai/codex-dev/A32-add-endpoint',
  host: 'laptop',
  pid: 4242,
  since: '2025-12-02T11:03:23Z',
};

const file = 'backlog/tasks/A32-add-endpoint.md';
const todo = `---
id: A32
title: Add endpoint   # the API one
status: todo
priority: high
custom_key: kept
---
# Add endpoint

- [ ] it lists registrations
`;

function parse(text: string): Task {
  const backlog = parseBacklog([{ path: file, text }]);
  expect(backlog.problems).toEqual([]);
  return backlog.tasks[0] as Task;
}

describe('rewriteTask', () => {
  it('takes the lock: status and lock keys change, every other byte stays', () => {
    const claimed = rewriteTask(todo, parse(todo), { status: 'in-progress', lock });
    expect(claimed).toBe(`---
id: A32
title: Add endpoint   # the API one
status: in-progress
priority: high
custom_key: kept
lock:
  worker: codex-dev
  token: 5f1c9e2a
  branch: ai/codex-dev/A32-add-endpoint
  worktree: .worktrees/ai/codex-dev/A32-add-endpoint
  host: laptop
  pid: 4242
  since: 2025-12-02T11:03:23Z
---
# Add endpoint

- [ ] it lists registrations
`);
    expect(parse(claimed).lock).toEqual(lock);
  });

  it('gives the lock back with a note under ## Notes, and the file is as before otherwise', () => {
    const claimed = rewriteTask(todo, parse(todo), { status: 'in-progress', lock });
    const released = rewriteTask(claimed, parse(claimed), { status: 'todo', lock: undefined, note: '2025-12-02T12:00:00.000Z released by me: later' });
    expect(released).toBe(`${todo}\n## Notes\n\n- 2025-12-02T12:00:00.000Z released by me: later\n`);
    const again = rewriteTask(released, parse(released), { status: 'blocked', lock: undefined, note: 'second' });
    expect(again.endsWith('## Notes\n\n- 2025-12-02T12:00:00.000Z released by me: later\n- second\n')).toBe(true);
    expect(parse(again).status).toBe('blocked');
  });

  it("keeps a Backlog.md file's own status words", () => {
    const text = '---\nid: task-7\ntitle: Seven\nstatus: To Do\n---\nBody\n';
    const claimed = rewriteTask(text, parse(text), { status: 'in-progress', lock });
    expect(claimed.split('\n')[3]).toBe('status: In Progress');
  });
});

describe('describeHolder', () => {
  it('says who holds a task, since when and where', () => {
    const task = parse(rewriteTask(todo, parse(todo), { status: 'in-progress', lock }));
    expect(describeHolder(task)).toBe('A32 is locked by codex-dev since 2025-12-02T11:03:23Z (pid 4242 on laptop)');
    expect(describeHolder(parse(todo))).toBe('A32 is not locked');
  });
});

describe('isHolder: who may release a lock', () => {
  const held = { ...parse(todo), lock };

  it('the token proves it, wherever the caller runs', () => {
    expect(isHolder(held, { token: '5f1c9e2a', host: 'elsewhere' })).toBe(true);
    expect(isHolder(held, { token: 'deadbeef', host: 'laptop', pid: 4242 })).toBe(false);
  });

  it('without a token, only the recorded process on the recorded host', () => {
    expect(isHolder(held, { pid: 4242, host: 'laptop' })).toBe(true);
    expect(isHolder(held, { pid: 4242, host: 'other' })).toBe(false);
    expect(isHolder(held, { pid: 4243, host: 'laptop' })).toBe(false);
    expect(isHolder(held, { host: 'laptop' })).toBe(false);
  });

  it('nobody holds an unlocked task', () => {
    expect(isHolder(parse(todo), { token: '5f1c9e2a', host: 'laptop', pid: 4242 })).toBe(false);
  });
});
