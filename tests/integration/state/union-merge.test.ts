import { afterEach, describe, expect, it } from 'vitest';
import { parseBacklog } from '../../../src/backlog/backlog.js';
import { renderBacklogIndex } from '../../../src/backlog/render-index.js';
import { runCrew, tempRepo, type TempRepo } from '../../helpers/temp-repo.js';
import { seedTasks } from './state-helpers.js';

let repo: TempRepo;
afterEach(() => repo.cleanup());

const line = (n: number) => `2025-12-02 11:0${n}:00 UTC | w${n} | T${n} | started | picked from backlog\n`;

describe('task.log and backlog.md never stop a merge', () => {
  it('crew init marks both merge=union in .gitattributes, keeping what was there', () => {
    repo = tempRepo();
    repo.write('.gitattributes', '*.png binary\n');
    expect(runCrew(repo.dir, ['init']).code).toBe(0);
    expect(repo.read('.gitattributes')).toBe('*.png binary\nbacklog/task.log merge=union\nbacklog/backlog.md merge=union\n');
    expect(repo.git('check-attr', 'merge', '--', 'backlog/task.log', 'backlog/backlog.md')).toBe('backlog/task.log: merge: union\nbacklog/backlog.md: merge: union');
    expect(runCrew(repo.dir, ['init']).code).toBe(0);
    expect(repo.read('.gitattributes')).toBe('*.png binary\nbacklog/task.log merge=union\nbacklog/backlog.md merge=union\n');
  });

  it('merges two branches that both appended to task.log and both changed backlog.md without a conflict', () => {
    repo = tempRepo({ init: true });
    seedTasks(repo, 3);
    const base = repo.git('rev-parse', 'HEAD');
    const log = repo.read('backlog/task.log');
    repo.git('checkout', '-q', '-b', 'left');
    repo.write('backlog/task.log', log + line(1));
    repo.write('backlog/backlog.md', '# Backlog\n\nleft version\n');
    repo.commitAll('left appends');
    repo.git('checkout', '-q', '-b', 'right', base);
    repo.write('backlog/task.log', log + line(2));
    repo.write('backlog/backlog.md', '# Backlog\n\nright version\n');
    repo.commitAll('right appends');

    repo.git('merge', '-q', '--no-edit', 'left');
    expect(repo.git('diff', '--name-only', '--diff-filter=U')).toBe('');
    expect(repo.read('backlog/task.log')).toBe(log + line(2) + line(1));

    // The next state commit regenerates the index from the task files, whatever the merge left.
    repo.git('checkout', '-q', 'main');
    repo.git('merge', '-q', '--ff-only', 'right');
    expect(runCrew(repo.dir, ['claim', 'T1', '--worker', 'w1']).code).toBe(0);
    const files = repo
      .git('ls-tree', '-r', '--name-only', 'main', 'backlog/tasks')
      .split('\n')
      .filter((path) => path.endsWith('.md'))
      .map((path) => ({ path, text: repo.git('show', `main:${path}`) + '\n' }));
    expect(repo.git('show', 'main:backlog/backlog.md')).toBe(renderBacklogIndex(parseBacklog(files).tasks, 'backlog').trimEnd());
  });
});
