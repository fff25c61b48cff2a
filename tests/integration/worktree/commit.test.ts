import { existsSync, lstatSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { changedFilesSince, commitAllWork, createTaskWorktree, setupWorktree, taskCommitMessage, worktreeState } from '../../../src/worktree/index.js';
import { worktreeFixture, type WorktreeFixture } from './fixture.js';

const message = taskCommitMessage({ id: 'A1', title: 'Add the x endpoint', type: 'feat' });

describe('commitAllWork', () => {
  let fixture: WorktreeFixture;
  let worktree: string;
  let start: string;
  afterEach(() => fixture.repo.cleanup());

  async function prepare(): Promise<string[]> {
    fixture = await worktreeFixture();
    fixture.repo.write('.env', 'SECRET=1\n');
    fixture.repo.write('node_modules/dep/index.js', 'module.exports = 1;\n');
    start = fixture.repo.git('rev-parse', 'HEAD');
    worktree = await createTaskWorktree(fixture.ws, { branch: 'ai/w1/A1-x', path: '.worktrees/ai/w1/A1-x', from: start });
    return (await setupWorktree(fixture.ws, worktree, { slot: 0 })).ignored;
  }
  const git = (...args: string[]) => fixture.gitIn(worktree, ...args);
  const write = (path: string, text: string) => writeFileSync(join(worktree, path), text);

  it('keeps the agent commits and adds one final commit of changed, new and deleted files', async () => {
    const ignored = await prepare();
    write('README.md', '# changed by a commit\n');
    git('commit', '-q', '-am', 'agent: readme');
    const agentCommit = git('rev-parse', 'HEAD');
    write('src/app.js', 'export const app = 2;\n');
    write('src/new.js', 'export const added = true;\n');
    rmSync(join(worktree, 'src/old.js'));

    const result = await commitAllWork(fixture.ws, worktree, { message, ignored, from: start });

    expect(result?.commit).toBe(git('rev-parse', 'HEAD'));
    expect(git('rev-parse', 'HEAD~1')).toBe(agentCommit);
    expect(git('log', '--format=%B', '-1')).toBe('feat(A1): Add the x endpoint\n\nTask: A1');
    expect(git('log', '--format=%s', `${start}..HEAD`).split('\n')).toEqual(['feat(A1): Add the x endpoint', 'agent: readme']);
    expect(git('show', '--format=', '--name-status', 'HEAD').split('\n')).toEqual(['M\tsrc/app.js', 'A\tsrc/new.js', 'D\tsrc/old.js']);
    expect(result?.changed).toEqual(['README.md', 'src/app.js', 'src/new.js', 'src/old.js']);
    expect(git('ls-tree', '-r', '--name-only', 'HEAD').split('\n')).toEqual(['.gitignore', 'README.md', 'src/app.js', 'src/new.js']);
    expect(await worktreeState(worktree)).toEqual({ clean: true, changed: [] });
    expect(lstatSync(join(worktree, 'node_modules')).isSymbolicLink()).toBe(true);
    expect(existsSync(join(worktree, '.env'))).toBe(true);
  });

  it('adds no commit when the agent committed everything itself', async () => {
    const ignored = await prepare();
    write('src/app.js', 'export const app = 3;\n');
    git('commit', '-q', '-am', 'agent: all of it');
    const agentCommit = git('rev-parse', 'HEAD');

    const result = await commitAllWork(fixture.ws, worktree, { message, ignored, from: start });

    expect(result).toEqual({ commit: agentCommit, changed: ['src/app.js'] });
    expect(git('rev-list', '--count', `${start}..HEAD`)).toBe('1');
  });

  it('returns undefined and commits nothing when the agent changed nothing', async () => {
    const ignored = await prepare();
    expect(await commitAllWork(fixture.ws, worktree, { message, ignored, from: start })).toBeUndefined();
    expect(git('rev-parse', 'HEAD')).toBe(start);
  });

  it('finds the start commit itself (where the branch forked from the base) when not told', async () => {
    const ignored = await prepare();
    fixture.repo.write('main-moved.txt', 'later on main\n');
    fixture.repo.commitAll('chore: main moves on');
    expect(await commitAllWork(fixture.ws, worktree, { message, ignored })).toBeUndefined();
    write('src/app.js', 'export const app = 4;\n');
    expect((await commitAllWork(fixture.ws, worktree, { message, ignored }))?.changed).toEqual(['src/app.js']);
  });

  it('never commits setup files, even when the agent staged or committed them', async () => {
    const ignored = await prepare();
    write('src/app.js', 'export const app = 5;\n');
    git('add', '-A');
    git('commit', '-q', '-m', 'agent: add everything');
    expect(git('ls-tree', '--name-only', 'HEAD').split('\n')).toContain('.env');
    write('src/late.js', 'late\n');
    git('add', '-A');

    const result = await commitAllWork(fixture.ws, worktree, { message, ignored, from: start });

    expect(git('ls-tree', '-r', '--name-only', 'HEAD').split('\n')).toEqual(['.gitignore', 'README.md', 'src/app.js', 'src/late.js', 'src/old.js']);
    expect(result?.changed).toEqual(['src/app.js', 'src/late.js']);
    expect(existsSync(join(worktree, '.env'))).toBe(true);
    expect(lstatSync(join(worktree, 'node_modules')).isSymbolicLink()).toBe(true);
    expect(await worktreeState(worktree)).toEqual({ clean: true, changed: [] });
  });

  it('handles file names with spaces, quotes and glob characters literally', async () => {
    const ignored = await prepare();
    write('a file "quoted" [1].txt', 'x\n');
    write('*.txt', 'star\n');
    const result = await commitAllWork(fixture.ws, worktree, { message, ignored, from: start });
    expect(result?.changed).toEqual(['*.txt', 'a file "quoted" [1].txt']);
  });
});

describe('changedFilesSince and worktreeState', () => {
  let fixture: WorktreeFixture;
  afterEach(() => fixture.repo.cleanup());

  it('lists committed, uncommitted and new files since the start, without setup files', async () => {
    fixture = await worktreeFixture();
    fixture.repo.write('.env', 'SECRET=1\n');
    fixture.repo.write('node_modules/dep/index.js', 'module.exports = 1;\n');
    const start = fixture.repo.git('rev-parse', 'HEAD');
    const worktree = await createTaskWorktree(fixture.ws, { branch: 'ai/w1/A1-x', path: '.worktrees/ai/w1/A1-x', from: start });
    await setupWorktree(fixture.ws, worktree, { slot: 0 });
    writeFileSync(join(worktree, 'README.md'), 'committed\n');
    fixture.gitIn(worktree, 'commit', '-q', '-am', 'agent');
    writeFileSync(join(worktree, 'src/app.js'), 'uncommitted\n');
    writeFileSync(join(worktree, 'docs.md'), 'new\n');
    rmSync(join(worktree, 'src/old.js'));

    expect(await changedFilesSince(fixture.ws, worktree, start)).toEqual(['README.md', 'docs.md', 'src/app.js', 'src/old.js']);
    expect(await worktreeState(worktree)).toEqual({ clean: false, changed: ['docs.md', 'src/app.js', 'src/old.js'] });
  });
});
