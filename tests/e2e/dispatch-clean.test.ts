import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeProjectPerTest } from '../helpers/node-project.js';
import { waitForExit } from '../helpers/process-gone.js';
import { runCrew } from '../helpers/temp-repo.js';

const project = nodeProjectPerTest();

describe('crew dispatch', () => {
  it('creates a task from the prompt, prints its id once its agent runs and works it in the background', async () => {
    const repo = project();
    const prompt = 'Write a greeting file\n\n```crew-script\nsleep 3\necho hello > greeting.txt\n```';
    const run = runCrew(repo.dir, ['dispatch', prompt, '--agent', 'script']);
    expect(run.code, run.stderr).toBe(0);
    const printed = /^T1 dispatched \(pid (\d+)\); follow it with: node \S+\/bin\/crew\.js log T1 -f$/m.exec(run.stdout);
    expect(printed, run.stdout).not.toBeNull();
    // Back at the prompt while the agent still works.
    expect((JSON.parse(runCrew(repo.dir, ['task', 'show', 'T1', '--json']).stdout) as { status: string }).status).toBe('in-progress');
    let status = '';
    for (let i = 0; i < 120 && status !== 'done'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      status = (JSON.parse(runCrew(repo.dir, ['task', 'show', 'T1', '--json']).stdout) as { status: string }).status;
    }
    expect(status).toBe('done');
    expect(repo.git('show', 'main:greeting.txt')).toBe('hello');
    expect(repo.git('log', '--format=%s', 'main')).toContain('feat(T1): Write a greeting file');
    expect(existsSync(join(repo.dir, '.git/crewtree/runs/T1/dispatch.log'))).toBe(true);
    // NOTE: the background worker still removes its worktree after `done`; the repository's removal waits for it.
    expect(await waitForExit(Number(printed?.[1]))).toBe(true);
  }, 90_000);
});

describe('crew clean', () => {
  it('removes finished worktrees and merged branches, and keeps what holds work', () => {
    const repo = project();
    const wt = (name: string) => join(repo.dir, '.worktrees/ai/x', name);
    repo.git('worktree', 'add', '-q', '-b', 'ai/x/F1-merged', wt('F1-merged'), 'main');
    repo.git('worktree', 'add', '-q', '-b', 'ai/x/F2-dirty', wt('F2-dirty'), 'main');
    repo.git('worktree', 'add', '-q', '-b', 'ai/x/F3-unlanded', wt('F3-unlanded'), 'main');
    repo.git('branch', 'ai/x/F4-old', 'main');
    repo.write('.worktrees/ai/x/F2-dirty/wip.txt', 'wip\n');
    repo.write('.worktrees/ai/x/F3-unlanded/new.txt', 'new\n');
    repo.git('-C', wt('F3-unlanded'), 'add', '-A');
    repo.git('-C', wt('F3-unlanded'), 'commit', '-q', '-m', 'unlanded work');
    // F5's work reached main as another commit, as merge.strategy squash or rebase lands it.
    repo.write('squashed.txt', 'squashed\n');
    const landed = repo.commitAll('feat(F5): squashed');
    const squashed = repo.git('commit-tree', `${landed}^{tree}`, '-p', `${landed}~1`, '-m', 'feat(F5): on its branch');
    repo.git('branch', 'ai/x/F5-squashed', squashed);
    const run = runCrew(repo.dir, ['clean']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.split('\n').filter(Boolean).sort()).toEqual(
      [
        'removed .worktrees/ai/x/F1-merged',
        'deleted branch ai/x/F1-merged',
        'deleted branch ai/x/F4-old',
        'deleted branch ai/x/F5-squashed',
        'kept .worktrees/ai/x/F2-dirty: uncommitted changes (wip.txt)',
        'kept .worktrees/ai/x/F3-unlanded: ai/x/F3-unlanded holds work not on main',
      ].sort(),
    );
    expect(existsSync(wt('F1-merged'))).toBe(false);
    expect(repo.read('.worktrees/ai/x/F2-dirty/wip.txt')).toBe('wip\n');
    expect(repo.git('branch', '--list', 'ai/*', '--format=%(refname:short)').split('\n').sort()).toEqual(['ai/x/F2-dirty', 'ai/x/F3-unlanded']);
  });
});
