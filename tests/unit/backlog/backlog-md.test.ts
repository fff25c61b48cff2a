// Files written by Backlog.md (`task-35 - Title.md`, `status: To Do`, `dependencies:`) are read,
// ranked like any task, and a claim or a status change keeps their dialect and every other byte.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBacklog } from '../../../src/backlog/backlog.js';
import { nextTaskId } from '../../../src/backlog/new-task.js';
import { describeReason, selectNextTask } from '../../../src/backlog/select.js';
import type { Task } from '../../../src/backlog/task.js';
import { rewriteTask } from '../../../src/backlog/lock-text.js';
import { projectRoot } from '../../helpers/temp-repo.js';

const folder = join(projectRoot, 'tests', 'fixtures', 'backlog-md', 'backlog', 'tasks');
const files = readdirSync(folder).map((name) => ({ path: `backlog/tasks/${name}`, text: readFileSync(join(folder, name), 'utf8') }));
const backlog = parseBacklog(files);
const task = (id: string) => backlog.tasks.find((candidate) => candidate.id === id) as Task;
const textOf = (id: string) => backlog.texts.get(id) ?? '';

const lock = {
  worker: 'codex-dev',
  token: '5f1c9e2a',
  branch: 'ai/codex-dev/task-37-add-logout-endpoint',
  worktree: '.worktrees/ai/codex-dev/task-37-add-logout-endpoint',
  host: 'laptop',
  pid: 4242,
  since: '2025-12-02T11:03:23Z',
};
const lockBlock = [
  'lock:',
  '  worker: codex-dev',
  '  token: 5f1c9e2a',
  '  branch: ai/codex-dev/task-37-add-logout-endpoint',
  '  worktree: .worktrees/ai/codex-dev/task-37-add-logout-endpoint',
  '  host: laptop',
  '  pid: 4242',
  '  since: 2025-12-02T11:03:23Z',
  '',
].join('\n');

describe('reading Backlog.md files', () => {
  it('reads every file without a problem, with statuses, priorities and dependencies mapped', () => {
    expect(backlog.problems).toEqual([]);
    const summary = backlog.tasks.map((t) => [t.id, t.status, t.priority, t.dependsOn, t.dialect, t.file]);
    expect(summary).toEqual([
      ['task-33', 'done', 'medium', [], 'backlog.md', 'backlog/tasks/task-33 - Set up the database.md'],
      ['task-34', 'in-progress', 'high', ['task-33'], 'backlog.md', 'backlog/tasks/task-34 - Add user model.md'],
      ['task-35', 'todo', 'high', ['task-34'], 'backlog.md', 'backlog/tasks/task-35 - Add login endpoint.md'],
      ['task-36', 'todo', 'low', [], 'backlog.md', 'backlog/tasks/task-36 - Write the README.md'],
      ['task-37', 'todo', 'medium', ['task-33'], 'backlog.md', 'backlog/tasks/task-37 - Add logout endpoint.md'],
      ['TASK-38', 'todo', 'high', ['TASK-35', 'task-33'], 'backlog.md', 'backlog/tasks/task-38 - Rate limit the login endpoint.md'],
    ]);
    expect(task('task-37').labels).toEqual(['auth', 'backend']);
    expect(task('task-37').title).toBe('Add logout endpoint');
    expect(task('task-35').role).toBe('developer');
  });

  it('picks the task whose dependencies are done, and says why the others wait', () => {
    const selection = selectNextTask(backlog.tasks, { role: 'developer' });
    expect(selection.pick?.id).toBe('task-37');
    expect(selection.eligible.map((t) => t.id)).toEqual(['task-37', 'task-36']);
    expect(selection.ineligible.map((c) => [c.task.id, c.reasons.map(describeReason)])).toEqual([
      ['task-33', ['status is done']],
      ['task-34', ['status is in-progress']],
      ['task-35', ['waiting on task-34']],
      ['TASK-38', ['waiting on TASK-35']],
    ]);
  });

  it('matches ids ignoring case, as Backlog.md does (TASK-35 is task-35)', () => {
    const done = backlog.tasks.map((t) => (t.id === 'task-35' ? { ...t, status: 'done' as const } : t));
    expect(selectNextTask(done).pick?.id).toBe('TASK-38');
  });

  it('continues the numbering of Backlog.md ids, in the spelling most ids use', () => {
    expect(nextTaskId(backlog.tasks)).toBe('task-39');
    expect(nextTaskId([{ id: 'task-1' }, { id: 'TASK-2' }, { id: 'TASK-3' }])).toBe('TASK-4');
  });

  it('reads dependencies: as Backlog.md, but writes statuses back in the spelling of the file (todo stays todo)', () => {
    const parsed = parseBacklog([
      { path: 'backlog/tasks/task-1 - A.md', text: '---\nid: task-1\ntitle: A\nstatus: todo\n---\n' },
      { path: 'backlog/tasks/task-2 - B.md', text: '---\nid: task-2\ntitle: B\nstatus: todo\ndependencies: task-1\n---\n' },
    ]);
    expect(parsed.problems).toEqual([]);
    expect(parsed.tasks.map((t) => [t.id, t.dialect, t.dependsOn])).toEqual([
      ['task-1', 'crewtree', []],
      ['task-2', 'crewtree', ['task-1']],
    ]);
    const bare = parseBacklog([{ path: 'backlog/tasks/task-3 - C.md', text: '---\nid: task-3\ntitle: C\ndependencies: []\n---\n' }]);
    expect(bare.tasks[0]?.dialect).toBe('backlog.md');
  });
});

describe('writing Backlog.md files keeps their dialect and bytes', () => {
  it('a claim writes `In Progress` in place and appends the lock, nothing else changes', () => {
    const original = textOf('task-37');
    const claimed = rewriteTask(original, task('task-37'), { status: 'in-progress', lock });
    expect(claimed).toBe(original.replace('status: To Do\n', 'status: In Progress\n').replace('priority: medium\n---\n', `priority: medium\n${lockBlock}---\n`));
    const reread = parseBacklog(files.map((file) => (file.path === task('task-37').file ? { ...file, text: claimed } : file)));
    expect(reread.problems).toEqual([]);
    const rereadTask = reread.tasks.find((t) => t.id === 'task-37');
    expect(rereadTask?.status).toBe('in-progress');
    expect(rereadTask?.lock).toEqual(lock);
    expect(selectNextTask(reread.tasks).pick?.id).toBe('task-36');
  });

  it('a release gives back the original file byte for byte', () => {
    const original = textOf('task-37');
    const claimed = rewriteTask(original, task('task-37'), { status: 'in-progress', lock });
    const claimedTask = parseBacklog([{ path: task('task-37').file, text: claimed }]).tasks[0] as Task;
    expect(claimedTask.dialect).toBe('backlog.md');
    expect(rewriteTask(claimed, claimedTask, { status: 'todo', lock: undefined })).toBe(original);
  });

  it('closing writes `Done`; statuses Backlog.md has no name for stay crewtree words; notes go to its Implementation Notes', () => {
    const original = textOf('task-35');
    expect(rewriteTask(original, task('task-35'), { status: 'done', lock: undefined })).toBe(original.replace('status: To Do', 'status: Done'));
    expect(rewriteTask(original, task('task-35'), { status: 'blocked', lock: undefined, note: 'gate failed 3 times' })).toBe(
      `${original.replace('status: To Do', 'status: blocked')}\n## Implementation Notes\n\n<!-- SECTION:NOTES:BEGIN -->\n- gate failed 3 times\n<!-- SECTION:NOTES:END -->\n`,
    );
    const noted = `${original}\n## Implementation Notes\n\n<!-- SECTION:NOTES:BEGIN -->\nby hand\n<!-- SECTION:NOTES:END -->\n`;
    expect(rewriteTask(noted, task('task-35'), { status: 'todo', lock: undefined, note: 'second' })).toBe(noted.replace('by hand\n', 'by hand\n- second\n'));
  });

  it('a crewtree file keeps crewtree words', () => {
    const text = '---\nid: A1\ntitle: T\nstatus: todo\n---\n';
    const crewTask = parseBacklog([{ path: 'backlog/tasks/A1-t.md', text }]).tasks[0] as Task;
    expect(rewriteTask(text, crewTask, { status: 'in-progress', lock: undefined })).toBe(text.replace('todo', 'in-progress'));
  });
});
