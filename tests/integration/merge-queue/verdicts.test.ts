import { afterEach, describe, expect, it } from 'vitest';
import { Git } from '../../../src/git/git.js';
import { codeKey } from '../../../src/merge-queue/verdicts.js';
import { tempRepo, type TempRepo } from '../../helpers/temp-repo.js';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

describe('codeKey: the code of a commit without its backlog folder', () => {
  for (const dir of ['backlog', 'docs/backlog']) {
    it(`is equal for commits that differ only in ${dir}/ and different when code differs`, async () => {
      repo = tempRepo();
      repo.write('src/a.txt', 'a\n');
      repo.write('docs/guide.md', 'guide\n');
      repo.write(`${dir}/task.log`, 'one\n');
      const first = repo.commitAll('first');
      repo.write(`${dir}/task.log`, 'one\ntwo\n');
      repo.write(`${dir}/tasks/T1.md`, 'task\n');
      const stateOnly = repo.commitAll('state only');
      repo.write('src/a.txt', 'changed\n');
      const code = repo.commitAll('code');
      repo.write('docs/guide.md', 'changed guide\n');
      const besideBacklog = repo.commitAll('a file beside the backlog folder');
      const git = new Git(repo.dir);
      const keys = await Promise.all([first, stateOnly, code, besideBacklog].map((commit) => codeKey(git, commit, dir)));
      expect(keys[1]).toBe(keys[0]);
      expect(new Set([keys[0], keys[2], keys[3]]).size).toBe(3);
    });
  }
});
