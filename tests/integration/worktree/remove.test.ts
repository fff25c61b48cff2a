import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CrewError } from '../../../src/errors.js';
import { createTaskWorktree, removeTaskWorktree, setupWorktree } from '../../../src/worktree/index.js';
import { worktreeFixture, type WorktreeFixture } from './fixture.js';

describe('removeTaskWorktree', () => {
  let fixture: WorktreeFixture;
  let worktree: string;
  afterEach(() => fixture.repo.cleanup());

  async function prepare(): Promise<void> {
    fixture = await worktreeFixture();
    fixture.repo.write('.env', 'SECRET=1\n');
    fixture.repo.write('node_modules/dep/index.js', 'module.exports = 1;\n');
    worktree = await createTaskWorktree(fixture.ws, { branch: 'ai/w1/A1-x', path: '.worktrees/ai/w1/A1-x', from: fixture.repo.git('rev-parse', 'HEAD') });
    await setupWorktree(fixture.ws, worktree, { slot: 0 });
  }
  const worktreeCount = () => fixture.repo.git('worktree', 'list', '--porcelain').split('\n').filter((line) => line.startsWith('worktree ')).length;

  it('removes the worktree and its branch; the linked node_modules of the checkout stays intact', async () => {
    await prepare();
    await removeTaskWorktree(fixture.ws, worktree, { deleteBranch: 'ai/w1/A1-x' });
    expect(existsSync(worktree)).toBe(false);
    expect(worktreeCount()).toBe(1);
    expect(fixture.repo.git('branch', '--list', 'ai/w1/A1-x')).toBe('');
    expect(fixture.repo.read('node_modules/dep/index.js')).toBe('module.exports = 1;\n');
    expect(fixture.repo.read('.env')).toBe('SECRET=1\n');
  });

  it('keeps the branch and its commits unless asked to delete it', async () => {
    await prepare();
    writeFileSync(join(worktree, 'work.txt'), 'work\n');
    fixture.gitIn(worktree, 'add', 'work.txt');
    fixture.gitIn(worktree, 'commit', '-q', '-m', 'work');
    const tip = fixture.gitIn(worktree, 'rev-parse', 'HEAD');
    await removeTaskWorktree(fixture.ws, worktree);
    expect(existsSync(worktree)).toBe(false);
    expect(fixture.repo.git('rev-parse', 'refs/heads/ai/w1/A1-x')).toBe(tip);
  });

  it('refuses a worktree with uncommitted work and leaves it as it was, unless forced', async () => {
    await prepare();
    writeFileSync(join(worktree, 'src/app.js'), 'unsaved\n');
    const error = (await removeTaskWorktree(fixture.ws, worktree, { deleteBranch: 'ai/w1/A1-x' }).catch((caught: unknown) => caught)) as CrewError;
    expect(error).toBeInstanceOf(CrewError);
    expect(error.code).toBe('checkout-dirty');
    expect(error.message).toBe('.worktrees/ai/w1/A1-x holds uncommitted work (src/app.js); it was kept.');
    expect(readFileSync(join(worktree, 'src/app.js'), 'utf8')).toBe('unsaved\n');
    expect(existsSync(join(worktree, 'node_modules/dep/index.js'))).toBe(true);
    expect(fixture.repo.git('branch', '--list', '--format=%(refname:short)', 'ai/w1/A1-x')).toBe('ai/w1/A1-x');

    await removeTaskWorktree(fixture.ws, worktree, { deleteBranch: 'ai/w1/A1-x', force: true });
    expect(existsSync(worktree)).toBe(false);
    expect(fixture.repo.git('branch', '--list', 'ai/w1/A1-x')).toBe('');
    expect(fixture.repo.read('node_modules/dep/index.js')).toBe('module.exports = 1;\n');
  });

  it('forgets a worktree whose folder was already deleted', async () => {
    await prepare();
    rmSync(worktree, { recursive: true, force: true });
    await removeTaskWorktree(fixture.ws, worktree, { deleteBranch: 'ai/w1/A1-x' });
    expect(worktreeCount()).toBe(1);
    expect(fixture.repo.git('branch', '--list', 'ai/w1/A1-x')).toBe('');
  });
});
