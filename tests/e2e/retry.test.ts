// `crew retry ID [--fresh]`: a blocked task back to todo, continuing from the branch its earlier
// run kept (or from main), every attempt's run log kept and numbered on.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addScriptTask, nodeProject } from '../helpers/node-project.js';
import { runCrew, type TempRepo } from '../helpers/temp-repo.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

/** Fails its first run after leaving partial work; passes when it finds that work. */
const CONTINUES = 'if [ -f src/partial.txt ]; then echo final > src/final.txt; else echo partial > src/partial.txt; exit 1; fi';

function blockedTask(): TempRepo {
  const repo = nodeProject({ config: 'agent: script\ngate: ["node --test test/"]\nattempts: 1\nlease: 30s\ntimeout: 60s\n' });
  cleanups.push(() => repo.cleanup());
  addScriptTask(repo, { id: 'T1', title: 'Two runs' }, CONTINUES);
  repo.commitAll('chore: task');
  const first = runCrew(repo.dir, ['work', '--agent', 'script']);
  expect(first.code, first.stdout + first.stderr).toBe(5);
  expect(repo.git('show', 'main:backlog/tasks/T1-task.md')).toMatch(/^status: blocked$/m);
  return repo;
}

const usage = (repo: TempRepo) => JSON.parse(readFileSync(join(repo.dir, '.git/crewtree/runs/T1/usage.json'), 'utf8')) as { attempts: { attempt: number; ok: boolean }[] };

describe('crew retry', () => {
  it('puts a blocked task back to todo; the next run, by another worker, continues from the kept branch', () => {
    const repo = blockedTask();
    const kept = repo.git('branch', '--list', 'ai/*/T1-*', '--format=%(refname:short)');
    expect(runCrew(repo.dir, ['release', 'T1']).stderr).toMatch(/T1 is not locked/);

    const retried = runCrew(repo.dir, ['retry', 'T1']);
    expect(retried.code, retried.stderr).toBe(0);
    expect(retried.stdout).toBe(`T1 is todo again; the next run continues from ${kept}.\n`);
    const task = repo.git('show', 'main:backlog/tasks/T1-task.md');
    expect(task).toMatch(/^status: todo$/m);
    expect(task).toContain(`retried by user: continues from branch ${kept}`);

    const second = runCrew(repo.dir, ['work', '--agent', 'script']);
    expect(second.stdout, second.stderr).toMatch(/^T1 done \([0-9a-f]{8} on main\)$/m);
    expect(second.stdout).toContain(`continues from ${kept}`);
    expect(repo.git('show', 'main:src/partial.txt')).toBe('partial');
    expect(repo.git('show', 'main:src/final.txt')).toBe('final');
    // Both runs' logs are kept, numbered across the retry.
    const runs = join(repo.dir, '.git/crewtree/runs/T1');
    expect(existsSync(join(runs, '1.log')) && existsSync(join(runs, '2.log'))).toBe(true);
    expect(usage(repo).attempts.map((a) => [a.attempt, a.ok])).toEqual([[1, false], [2, true]]);
  }, 120_000);

  it('--fresh starts from main again; the earlier work stays under refs/crewtree/retired/', () => {
    const repo = blockedTask();
    const kept = repo.git('branch', '--list', 'ai/*/T1-*', '--format=%(refname:short)');
    const retried = runCrew(repo.dir, ['retry', 'T1', '--fresh']);
    expect(retried.stdout).toBe(`T1 is todo again; the next run starts from main (earlier work kept under refs/crewtree/retired/${kept}).\n`);
    expect(repo.git('branch', '--list', 'ai/*/T1-*')).toBe('');
    expect(repo.git('show', `refs/crewtree/retired/${kept}:src/partial.txt`)).toBe('partial');
    const second = runCrew(repo.dir, ['work', '--agent', 'script']);
    expect(second.code).toBe(5); // from main the script finds no partial work and fails again
    expect(repo.git('show', 'main:backlog/tasks/T1-task.md')).toMatch(/^status: blocked$/m);
  }, 120_000);

  it('refuses a task that is done or locked, and says why', () => {
    const repo = nodeProject();
    cleanups.push(() => repo.cleanup());
    addScriptTask(repo, { id: 'D1', title: 'Done' }, 'echo d > src/d.txt');
    addScriptTask(repo, { id: 'L1', title: 'Locked' }, 'echo l > src/l.txt');
    repo.commitAll('chore: tasks');
    expect(runCrew(repo.dir, ['work', '--agent', 'script', '--task', 'D1']).code).toBe(0);
    const done = runCrew(repo.dir, ['retry', 'D1']);
    expect([done.code, done.stderr]).toEqual([2, expect.stringContaining('D1 is done; only a blocked or released task can be retried.')]);
    expect(runCrew(repo.dir, ['claim', 'L1', '--worker', 'w9']).code).toBe(0);
    const locked = runCrew(repo.dir, ['retry', 'L1']);
    expect(locked.code).toBe(4);
    expect(locked.stderr).toMatch(/L1 is locked by w9 .*only a blocked or released task can be retried/);
  }, 120_000);
});
