import { afterEach, describe, expect, it } from 'vitest';
import { Git } from '../../../src/git/git.js';
import { readWholeLog } from '../../../src/state/snapshot.js';
import { tempRepo, type TempRepo } from '../../helpers/temp-repo.js';

let repo: TempRepo;
afterEach(() => repo.cleanup());

describe('the whole task log', () => {
  it('is the archived parts in name order, then task.log, and nothing else in the log folder', async () => {
    repo = tempRepo();
    repo.write('backlog/log/2026-11-27-120000-000.log', 'second part\n');
    repo.write('backlog/log/2026-09-01-090507-004.log', 'first part'); // no final newline: one is added
    repo.write('backlog/log/notes.txt', 'not a part\n');
    repo.write('backlog/log/sub/2026-01-01-000000-000.log', 'not a part either\n');
    repo.write('backlog/task.log', 'recent line\n');
    repo.write('backlog/tasks/T1 - one.md', '---\nid: T1\ntitle: one\n---\n');
    const commit = repo.commitAll('a rotated log');
    expect(await readWholeLog(new Git(repo.dir), commit, 'backlog')).toBe('first part\nsecond part\nrecent line\n');
  });

  it('is task.log alone before any rotation, and empty without one', async () => {
    repo = tempRepo();
    repo.write('backlog/task.log', 'only line\n');
    const first = repo.commitAll('a log');
    expect(await readWholeLog(new Git(repo.dir), first, 'backlog')).toBe('only line\n');
    repo.git('rm', '-q', 'backlog/task.log');
    const second = repo.commitAll('no log');
    expect(await readWholeLog(new Git(repo.dir), second, 'backlog')).toBe('');
  });
});
