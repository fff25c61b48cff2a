// The backlog memo (src/state/backlog-memo.ts): a read through it, in this process or in the
// next one (the memo on disk), gives exactly what reading every file afresh gives, however the
// tasks changed in between; and the index a state commit writes is the index of its tasks.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderBacklogIndex } from '../../../src/backlog/render-index.js';
import { Git } from '../../../src/git/git.js';
import { BacklogMemo } from '../../../src/state/backlog-memo.js';
import { MemoStore } from '../../../src/state/memo-store.js';
import { readSnapshot, type StateSnapshot } from '../../../src/state/snapshot.js';
import { claimTask } from '../../../src/claims/claim.js';
import { releaseTask } from '../../../src/claims/release.js';
import { openWorkspace } from '../../../src/workflows/open-workspace.js';
import { tempRepo, type TempRepo } from '../../helpers/temp-repo.js';
import { taskPath, taskText } from './state-helpers.js';

let repo: TempRepo;
afterEach(() => repo.cleanup());

/** What a read shows, texts included (looked up by id), without the memo's own bookkeeping. */
function shown(snapshot: StateSnapshot) {
  const { backlog } = snapshot;
  return {
    tasks: backlog.tasks,
    texts: backlog.tasks.map((task) => backlog.texts.get(task.id)),
    problems: backlog.problems,
    quarantined: [...backlog.quarantined].sort(),
    ignored: backlog.ignored,
    doneIds: [...backlog.doneIds],
    files: snapshot.files.map((file) => [file.path, file.oid]),
    taskLog: snapshot.taskLog,
  };
}

async function memoOnDisk(): Promise<BacklogMemo> {
  return new BacklogMemo(await MemoStore.open(join(repo.dir, '.git'), 'backlog'));
}

describe('the backlog memo', () => {
  it('reads what a fresh read reads, across added, changed, renamed, broken and removed files, in this process and the next', async () => {
    repo = tempRepo();
    for (const id of ['A1', 'A2', 'A10', 'B3']) repo.write(taskPath(id), taskText(id, `Task ${id}`, id === 'A10' ? { depends_on: '[A2]' } : {}));
    repo.write('backlog/tasks/readme.txt', 'not a task\n');
    repo.write('backlog/task.log', '2025-12-02 11:03:23 UTC | user | A1 | created | Task A1\n');
    const git = new Git(repo.dir);
    const first = repo.commitAll('four tasks');
    const memo = await memoOnDisk();
    expect(shown(await readSnapshot(git, first, 'backlog', memo))).toEqual(shown(await readSnapshot(git, first, 'backlog')));
    await memo.save(); // a first read writes the memo: it read every file

    repo.write(taskPath('A2'), taskText('A2', 'Task A2 renamed', { priority: 'high' }));
    repo.git('rm', '-q', taskPath('B3'));
    repo.write(taskPath('A3'), taskText('A3', 'Task A3', { depends_on: '[B3]' })); // depends on a removed task: a new problem
    repo.write(taskPath('A4'), '---\nid: A4\ntitle: [unclosed\n---\n');
    repo.write('backlog/task.log', '2025-12-02 11:03:23 UTC | user | A1 | created | Task A1\nsecond line\n');
    const second = repo.commitAll('changes');
    const fresh = shown(await readSnapshot(git, second, 'backlog'));
    expect(fresh.problems.map((problem) => problem.path)).toEqual([taskPath('A3'), taskPath('A4')]);
    expect(shown(await readSnapshot(git, second, 'backlog', memo))).toEqual(fresh);
    // The next process starts from the memo on disk, written at the first commit.
    expect(shown(await readSnapshot(git, second, 'backlog', await memoOnDisk()))).toEqual(fresh);
    // And an older commit than the memo's reads right too.
    expect(shown(await readSnapshot(git, first, 'backlog', memo))).toEqual(shown(await readSnapshot(git, first, 'backlog')));
  });

  it('reads every file again when the backlog config changes (another dialect)', async () => {
    repo = tempRepo();
    repo.write('backlog/tasks/task-1 - One.md', '---\nid: task-1\ntitle: One\nstatus: To Do\n---\n');
    const git = new Git(repo.dir);
    const first = repo.commitAll('a Backlog.md task without config');
    const memo = new BacklogMemo();
    await readSnapshot(git, first, 'backlog', memo);
    repo.write('backlog/config.yml', 'project_name: "x"\nstatuses: ["To Do", "Doing", "Done"]\n');
    repo.write('backlog/completed/task-0 - Zero.md', '---\nid: task-0\ntitle: Zero\nstatus: Done\n---\n');
    const second = repo.commitAll('its config');
    const read = shown(await readSnapshot(git, second, 'backlog', memo));
    expect(read).toEqual(shown(await readSnapshot(git, second, 'backlog')));
    expect(read.doneIds).toEqual([['task-0', 'backlog/completed/task-0 - Zero.md']]);
  });

  it('is kept on disk without task texts, and a memo written by other code is not used', async () => {
    repo = tempRepo();
    repo.write(taskPath('A1'), taskText('A1', 'Task A1 with a body nobody caches'));
    const commit = repo.commitAll('one task');
    const memo = await memoOnDisk();
    await readSnapshot(new Git(repo.dir), commit, 'backlog', memo);
    await memo.save();
    const dir = join(repo.dir, '.git', 'crewtree', 'cache');
    const [file] = readdirSync(dir);
    expect(file).toMatch(/^memo-[0-9a-f]{12}\.json$/);
    expect(repo.read(`.git/crewtree/cache/${file}`)).not.toContain('Seeded by the test');
    repo.write(`.git/crewtree/cache/${file}`, repo.read(`.git/crewtree/cache/${file}`).replace(/"version":"[0-9a-f]+"/, '"version":"other"'));
    expect(await (await MemoStore.open(join(repo.dir, '.git'), 'backlog')).load()).toBeUndefined();
  });

  it('reads everything again when the tree the memo on disk names is gone (main rewritten, then git gc)', async () => {
    repo = tempRepo();
    repo.write(taskPath('A1'), taskText('A1', 'Task A1'));
    const first = repo.commitAll('one task');
    const git = new Git(repo.dir);
    const memo = await memoOnDisk();
    await readSnapshot(git, first, 'backlog', memo);
    await memo.save();
    const [file] = readdirSync(join(repo.dir, '.git', 'crewtree', 'cache'));
    const path = `.git/crewtree/cache/${file}`;
    repo.write(path, repo.read(path).replace(/"tasks":"[0-9a-f]{40}"/, `"tasks":"${'d'.repeat(40)}"`));
    repo.write(taskPath('A2'), taskText('A2', 'Task A2'));
    const second = repo.commitAll('another');
    expect(shown(await readSnapshot(git, second, 'backlog', await memoOnDisk()))).toEqual(shown(await readSnapshot(git, second, 'backlog')));
  });

  it('a claim and a release write the index of exactly their tasks, read through the memo of an earlier process', async () => {
    repo = tempRepo();
    for (const id of ['T1', 'T2', 'T3']) repo.write(taskPath(id), taskText(id, `Task ${id}`));
    repo.commitAll('three tasks');
    const git = new Git(repo.dir);
    const indexMatchesTasks = async () => {
      const snapshot = await readSnapshot(git, repo.git('rev-parse', 'main'), 'backlog');
      expect(repo.git('show', 'main:backlog/backlog.md')).toBe(renderBacklogIndex(snapshot.backlog.tasks, 'backlog').trimEnd());
      return snapshot;
    };
    const earlier = await openWorkspace(repo.dir, { env: {} });
    const { lock } = await claimTask(earlier, { id: 'T2', worker: 'w1', pid: process.pid });
    const ws = await openWorkspace(repo.dir, { env: {} });
    await claimTask(ws, { id: 'T3', worker: 'w2', pid: process.pid });
    expect((await indexMatchesTasks()).backlog.tasks.map((task) => [task.id, task.status, task.lock?.worker])).toEqual([
      ['T1', 'todo', undefined],
      ['T2', 'in-progress', 'w1'],
      ['T3', 'in-progress', 'w2'],
    ]);
    await releaseTask(ws, { id: 'T2', token: lock.token, actor: 'w1' });
    expect(repo.git('show', 'main:backlog/backlog.md').split('\n')).toContain('- [T2](tasks/T2-task-t2.md) Task T2 · medium · developer');
    await indexMatchesTasks();
  });
});
