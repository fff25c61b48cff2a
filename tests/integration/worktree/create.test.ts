import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CrewError } from '../../../src/errors.js';
import { createTaskWorktree, removeTaskWorktree } from '../../../src/worktree/index.js';
import { worktreeFixture, type WorktreeFixture } from './fixture.js';

describe('createTaskWorktree', () => {
  let fixture: WorktreeFixture;
  afterEach(() => fixture.repo.cleanup());

  it('creates the branch from the given commit at the given path', async () => {
    fixture = await worktreeFixture();
    const { repo, ws, root, gitIn } = fixture;
    const start = repo.git('rev-parse', 'HEAD');
    repo.write('later.txt', 'later\n');
    repo.commitAll('chore: later');

    const path = await createTaskWorktree(ws, { branch: 'ai/w1/A1-add-x', path: '.worktrees/ai/w1/A1-add-x', from: start });

    expect(path).toBe(join(root, '.worktrees/ai/w1/A1-add-x'));
    expect(gitIn(path, 'rev-parse', 'HEAD')).toBe(start);
    expect(gitIn(path, 'symbolic-ref', '--short', 'HEAD')).toBe('ai/w1/A1-add-x');
    expect(existsSync(join(path, 'later.txt'))).toBe(false);
    expect(repo.git('rev-parse', 'refs/heads/ai/w1/A1-add-x')).toBe(start);
  });

  it('returns the same worktree when it already exists for that branch', async () => {
    fixture = await worktreeFixture();
    const { repo, ws } = fixture;
    const start = repo.git('rev-parse', 'HEAD');
    const request = { branch: 'ai/w1/A1-x', path: '.worktrees/ai/w1/A1-x', from: start };
    const first = await createTaskWorktree(ws, request);
    const second = await createTaskWorktree(ws, request);
    expect(second).toBe(first);
    expect(repo.git('worktree', 'list', '--porcelain').split('\n').filter((line) => line.startsWith('worktree ')).length).toBe(2);
  });

  it('reuses an existing branch with its commits (a resumed task) instead of starting over', async () => {
    fixture = await worktreeFixture();
    const { repo, ws, gitIn } = fixture;
    const start = repo.git('rev-parse', 'HEAD');
    const first = await createTaskWorktree(ws, { branch: 'ai/w1/A1-x', path: '.worktrees/ai/w1/A1-x', from: start });
    fixture.repo.write('.worktrees/ai/w1/A1-x/work.txt', 'partial work\n');
    gitIn(first, 'add', 'work.txt');
    gitIn(first, 'commit', '-q', '-m', 'wip');
    const tip = gitIn(first, 'rev-parse', 'HEAD');
    await removeTaskWorktree(ws, first);
    repo.write('newer.txt', 'newer\n');
    const newer = repo.commitAll('chore: newer');

    const again = await createTaskWorktree(ws, { branch: 'ai/w1/A1-x', path: '.worktrees/ai/w1/A1-x', from: newer });

    expect(again).toBe(first);
    expect(gitIn(again, 'rev-parse', 'HEAD')).toBe(tip);
    expect(gitIn(again, 'symbolic-ref', '--short', 'HEAD')).toBe('ai/w1/A1-x');
  });

  it('reuses a branch whose old worktree folder was deleted by hand', async () => {
    fixture = await worktreeFixture();
    const { repo, ws, gitIn } = fixture;
    const start = repo.git('rev-parse', 'HEAD');
    const first = await createTaskWorktree(ws, { branch: 'ai/w1/A1-x', path: '.worktrees/ai/w1/A1-x', from: start });
    const { rmSync } = await import('node:fs');
    rmSync(first, { recursive: true, force: true });

    const again = await createTaskWorktree(ws, { branch: 'ai/w1/A1-x', path: '.worktrees/ai/w2/A1-x', from: start });
    expect(gitIn(again, 'symbolic-ref', '--short', 'HEAD')).toBe('ai/w1/A1-x');
  });

  it.each([
    ['a path that climbs out of the worktrees folder', { branch: 'ai/w1/A1-x', path: '.worktrees/../outside' }],
    ['the worktrees folder itself', { branch: 'ai/w1/A1-x', path: '.worktrees' }],
    ['an absolute path elsewhere', { branch: 'ai/w1/A1-x', path: '/tmp/crewtree-elsewhere' }],
    ['a branch name with ..', { branch: 'ai/../../etc/A1', path: '.worktrees/ai/../../etc/A1' }],
    ['a branch name with .. inside the folder', { branch: 'ai/w1/A1..x', path: '.worktrees/ai/w1/A1..x' }],
    ['a branch name with a space', { branch: 'ai/w1/A1 x', path: '.worktrees/ai/w1/A1 x' }],
  ])('refuses %s and creates nothing', async (_name, request) => {
    fixture = await worktreeFixture();
    const { repo, ws, root } = fixture;
    const error = await createTaskWorktree(ws, { ...request, from: repo.git('rev-parse', 'HEAD') }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CrewError);
    expect((error as CrewError).code).toBe('usage');
    expect((error as CrewError).message).toMatch(/^Refusing the (worktree path|branch name)/);
    expect(repo.git('branch', '--list', 'ai/*')).toBe('');
    expect(existsSync(join(root, 'outside'))).toBe(false);
    expect(repo.git('worktree', 'list', '--porcelain').split('\n').filter((line) => line.startsWith('worktree ')).length).toBe(1);
  });

  it('refuses a worktree path that holds another branch', async () => {
    fixture = await worktreeFixture();
    const { repo, ws } = fixture;
    const start = repo.git('rev-parse', 'HEAD');
    await createTaskWorktree(ws, { branch: 'ai/w1/A1-x', path: '.worktrees/ai/w1/A1-x', from: start });
    repo.git('branch', 'ai/w1/A2-y', start);
    await expect(createTaskWorktree(ws, { branch: 'ai/w1/A2-y', path: '.worktrees/ai/w1/A1-x', from: start })).rejects.toThrow(
      '.worktrees/ai/w1/A1-x is already a worktree, of ai/w1/A1-x, not ai/w1/A2-y. Nothing was changed.',
    );
  });
});
