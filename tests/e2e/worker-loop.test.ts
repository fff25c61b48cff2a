import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addScriptTask, nodeProjectPerTest } from '../helpers/node-project.js';
import { runCrew } from '../helpers/temp-repo.js';

const project = nodeProjectPerTest();

const goodScript = `cat > src/double.js <<'JS'
export const double = (n) => n * 2;
JS
cat > test/double.test.js <<'JS'
import test from 'node:test';
import assert from 'node:assert/strict';
import { double } from '../src/double.js';
test('double', () => assert.equal(double(2), 4));
JS`;

describe('crew work', () => {
  it('takes one task through the whole loop onto main', () => {
    const repo = project();
    addScriptTask(repo, { id: 'A1', title: 'Add double' }, goodScript);
    repo.commitAll('chore: add A1');
    const run = runCrew(repo.dir, ['work', '--worker', 'w1']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^A1 done \([0-9a-f]{8} on main\)$/m);
    const subjects = repo.git('log', '--format=%s', 'main').split('\n');
    expect(subjects).toContain('feat(A1): Add double');
    const taskCommit = repo.git('log', '--format=%H', '--grep=^feat(A1)', 'main');
    expect(repo.git('log', '-1', '--format=%(trailers:key=Task,valueonly)', taskCommit)).toBe('A1');
    expect(repo.git('show', 'main:src/double.js')).toBe('export const double = (n) => n * 2;');
    const task = repo.git('show', 'main:backlog/tasks/A1-task.md');
    expect(task).toMatch(/^status: done$/m);
    expect(task).not.toMatch(/^lock:/m);
    const events = repo.git('show', 'main:backlog/task.log').split('\n').filter((line) => line.includes('| A1 |')).map((line) => line.split(' | ')[3]);
    expect(events).toEqual(['started', 'setup', 'gate-passed', 'committed', 'queued', 'merged', 'done']);
    expect(existsSync(join(repo.dir, '.worktrees/ai/w1/A1-add-double'))).toBe(false);
    expect(repo.git('branch', '--list', 'ai/*')).toBe('');
    expect(repo.git('status', '--porcelain')).toBe('');
    expect(existsSync(join(repo.dir, '.git/crewtree/runs/A1/1.log'))).toBe(true);
  });

  it('blocks a task whose script keeps breaking the tests, keeping its work on the branch', () => {
    const repo = project();
    addScriptTask(repo, { id: 'A2', title: 'Break sum' }, `echo "export const sum = (a, b) => a - b;" > src/sum.js`);
    const before = repo.commitAll('chore: add A2');
    const run = runCrew(repo.dir, ['work', '--worker', 'w1']);
    expect(run.code).toBe(5);
    expect(run.stdout).toMatch(/^A2 blocked: blocked after attempt 2: node --test test\/ exited with 1/m);
    expect(repo.git('diff', '--stat', before, 'main', '--', '.', ':(exclude)backlog')).toBe('');
    const task = repo.git('show', 'main:backlog/tasks/A2-task.md');
    expect(task).toMatch(/^status: blocked$/m);
    expect(task).not.toMatch(/^lock:/m);
    expect(task).toMatch(/blocked after attempt 2: node --test test\/ exited with 1; branch ai\/w1\/A2-break-sum keeps the work/);
    expect(task).toMatch(/not ok|fail/);
    expect(repo.git('show', 'ai/w1/A2-break-sum:src/sum.js')).toBe('export const sum = (a, b) => a - b;');
    const events = repo.git('show', 'main:backlog/task.log').split('\n').filter((line) => line.includes('| A2 |')).map((line) => line.split(' | ')[3]);
    expect(events).toEqual(['started', 'setup', 'gate-failed', 'gate-failed', 'blocked']);
  });

  it('passes the gate on the second attempt after the failure is handed back', () => {
    const repo = project();
    addScriptTask(
      repo,
      { id: 'A3', title: 'Flaky first attempt' },
      `if [ "$CREWTREE_ATTEMPT" = 1 ]; then echo "export const sum = () => 0;" > src/sum.js; else echo "export const sum = (a, b) => a + b + 0;" > src/sum.js; fi`,
    );
    repo.commitAll('chore: add A3');
    const run = runCrew(repo.dir, ['work', '--task', 'A3', '--worker', 'w2']);
    expect(run.code).toBe(0);
    expect(repo.git('show', 'main:src/sum.js')).toBe('export const sum = (a, b) => a + b + 0;');
    const events = repo.git('show', 'main:backlog/task.log').split('\n').filter((line) => line.includes('| A3 |')).map((line) => line.split(' | ')[3]);
    expect(events).toEqual(['started', 'setup', 'gate-failed', 'gate-passed', 'committed', 'queued', 'merged', 'done']);
  });

  it('never lets task text reach a shell and sanitizes the branch name', () => {
    const repo = project();
    const marker = join(repo.dir, 'pwned');
    addScriptTask(repo, { id: 'A9', title: `$(touch ${marker}); rm -rf ~` }, 'echo ok > src/ok.txt');
    repo.commitAll('chore: add A9');
    const run = runCrew(repo.dir, ['work', '--worker', 'w1', '--json']);
    expect(run.code).toBe(0);
    expect(existsSync(marker)).toBe(false);
    const log = repo.git('log', '--format=%s', 'main');
    expect(log).toContain(`feat(A9): $(touch ${marker}); rm -rf ~`);
    const started = repo.git('show', 'main:backlog/task.log').split('\n').find((line) => line.includes('| A9 | setup |'));
    expect(started).toMatch(/ai\/w1\/A9-touch-[a-z0-9-]+-rm-rf in \.worktrees\/ai\/w1\/A9-touch-[a-z0-9-]+-rm-rf/);
  });

  it('blocks at once an agent that cannot start: no attempt is spent running it again', () => {
    const repo = project();
    repo.write('backlog/tasks/N1-task.md', '---\nid: N1\ntitle: No script\nstatus: todo\npriority: medium\ntype: feat\n---\n# No script\n\nJust words.\n');
    repo.commitAll('chore: a task without a crew-script block');
    const run = runCrew(repo.dir, ['work', '--agent', 'script']);
    expect(run.code, run.stdout + run.stderr).toBe(5);
    expect(run.stdout).toMatch(/^N1 blocked: blocked after attempt 1: agent script failed: the task has no ```crew-script block for the script agent to run/m);
    expect(run.stdout).not.toMatch(/attempt 2/);
    expect(repo.git('show', 'main:backlog/tasks/N1-task.md')).toMatch(/^status: blocked$/m);
  });

  it('exits 3 when nothing is eligible', () => {
    const repo = project();
    const run = runCrew(repo.dir, ['work', '--worker', 'w1']);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/No eligible task/);
  });
});
