import { afterEach, describe, expect, it } from 'vitest';
import { runCrew, tempRepo, type TempRepo } from '../../helpers/temp-repo.js';
import { mainHistory, porcelain, seedTasks, spawnCrew, taskPath } from './state-helpers.js';

let repo: TempRepo;
afterEach(() => repo.cleanup());

describe("the user's checkout of main moves in step and keeps uncommitted work", () => {
  it('after 50 claims (4 at a time) with a dirty unrelated file, only that file shows and HEAD is main', async () => {
    repo = tempRepo({ init: true });
    seedTasks(repo, 50);
    repo.write('README.md', '# my uncommitted edit\n');
    repo.write('notes.txt', 'untracked scratch\n');
    const start = repo.git('rev-parse', 'main');
    const workers = Array.from({ length: 4 }, async (_, n) => {
      const codes: number[] = [];
      for (;;) {
        const run = await spawnCrew(repo.dir, ['claim', '--next', '--worker', `w${n + 1}`]);
        codes.push(run.code);
        if (run.code === 3) return codes;
        expect(run.code, run.stderr).toBe(0);
      }
    });
    await Promise.all(workers);
    expect(mainHistory(repo, start)).toHaveLength(50);
    expect(porcelain(repo)).toEqual([' M README.md', '?? notes.txt']);
    expect(repo.git('rev-parse', 'HEAD')).toBe(repo.git('rev-parse', 'main'));
    expect(repo.git('symbolic-ref', 'HEAD')).toBe('refs/heads/main');
    expect(repo.read('README.md')).toBe('# my uncommitted edit\n');
    expect(repo.read(taskPath('T50'))).toBe(repo.git('show', `main:${taskPath('T50')}`) + '\n');
  }, 240_000);

  it('keeps an uncommitted edit to a task file a claim does not touch', () => {
    repo = tempRepo({ init: true });
    seedTasks(repo, 3);
    const edited = repo.read(taskPath('T2')) + '\nMy local note.\n';
    repo.write(taskPath('T2'), edited);
    expect(runCrew(repo.dir, ['claim', 'T1', '--worker', 'w1']).code).toBe(0);
    expect(repo.read(taskPath('T2'))).toBe(edited);
    expect(porcelain(repo)).toEqual([` M ${taskPath('T2')}`]);
  });

  it('refuses a claim that would overwrite an uncommitted edit, naming the file; main and the edit stay', () => {
    repo = tempRepo({ init: true });
    seedTasks(repo, 3);
    const edited = repo.read(taskPath('T2')).replace('Seeded by the test.', 'Half-written acceptance criteria');
    repo.write(taskPath('T2'), edited);
    const before = repo.git('rev-parse', 'main');
    const run = runCrew(repo.dir, ['claim', 'T2', '--worker', 'w1']);
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')[0]).toBe(
      `crew: main is checked out in ${repo.dir} and moving it would overwrite uncommitted changes to ${taskPath('T2')}. Nothing was changed.`,
    );
    expect(run.stderr).toContain(`hint: Commit, stash or discard your changes to ${taskPath('T2')} in ${repo.dir}`);
    expect(repo.git('rev-parse', 'main')).toBe(before);
    expect(repo.read(taskPath('T2'))).toBe(edited);
    expect(porcelain(repo)).toEqual([` M ${taskPath('T2')}`]);
  });

  it('refuses when a generated file (task.log) has an uncommitted edit, and works again once it is gone', () => {
    repo = tempRepo({ init: true });
    seedTasks(repo, 1);
    repo.write('backlog/task.log', repo.read('backlog/task.log') + 'my own line\n');
    const refused = runCrew(repo.dir, ['claim', 'T1', '--worker', 'w1']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('overwrite uncommitted changes to backlog/task.log.');
    repo.git('checkout', '--', 'backlog/task.log');
    expect(runCrew(repo.dir, ['claim', 'T1', '--worker', 'w1']).code).toBe(0);
    expect(porcelain(repo)).toEqual([]);
  });

  it('follows along when files were only touched (same content, new timestamps)', () => {
    repo = tempRepo({ init: true });
    seedTasks(repo, 1);
    repo.write('backlog/task.log', repo.read('backlog/task.log'));
    repo.write(taskPath('T1'), repo.read(taskPath('T1')));
    expect(runCrew(repo.dir, ['claim', 'T1', '--worker', 'w1']).code).toBe(0);
    expect(porcelain(repo)).toEqual([]);
  });
});
