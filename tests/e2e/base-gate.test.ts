// Main's gate first: before the first claim the gate runs on main itself; a red main stops the
// run before any task is claimed or agent started, naming the failing command; a green main is
// remembered per code, so it is gated once per tree.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addScriptTask, nodeProject } from '../helpers/node-project.js';
import { crewBin, runCrew, type TempRepo } from '../helpers/temp-repo.js';
import { isRunning, waitFor } from '../integration/agents/process-tree.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

const redTest = "import test from 'node:test';\nimport assert from 'node:assert/strict';\nimport { sum } from '../src/sum.js';\n\ntest('sum is red', () => assert.equal(sum(1, 2), 4));\n";

function project(config?: string): TempRepo {
  const repo = nodeProject(config ? { config } : {});
  cleanups.push(() => repo.cleanup());
  return repo;
}

/** What a user checks after a refused run: main unmoved, the task untouched, nothing started. */
function expectNothingStarted(repo: TempRepo, main: string, id: string): void {
  expect(repo.git('rev-parse', 'main')).toBe(main);
  const task = repo.git('show', `main:backlog/tasks/${id}-task.md`);
  expect(task).toMatch(/^status: todo$/m);
  expect(task).not.toMatch(/^lock:/m);
  expect(repo.git('branch', '--list', 'ai/*')).toBe('');
  expect(existsSync(join(repo.dir, '.worktrees/ai'))).toBe(false);
  expect(existsSync(join(repo.dir, `.git/crewtree/runs/${id}`))).toBe(false);
}

describe("main's gate first", () => {
  it('a red main stops crew work and crew run before any claim, naming the command; nothing eligible gates nothing', () => {
    const repo = project();
    repo.write('test/sum.test.js', redTest);
    addScriptTask(repo, { id: 'P1', title: 'Docs only' }, 'echo docs > docs.md');
    repo.commitAll('test: a red suite on main, and a task');
    const main = repo.git('rev-parse', 'main');

    const work = runCrew(repo.dir, ['work', '--agent', 'script']);
    expect(work.code, work.stdout + work.stderr).toBe(5);
    expect(work.stdout).toContain(`gate: main first (${main.slice(0, 8)}): node --test test/`);
    expect(work.stderr).toContain(`The gate fails on main itself (${main.slice(0, 8)}): \`node --test test/\` is red before any agent ran, so no task was claimed and no agent started.`);
    expect(work.stderr).toMatch(/^ *# fail 1$/m);
    expect(work.stderr).toMatch(new RegExp(`the whole output: \\S+/\\.git/crewtree/base-gate/${main.slice(0, 8)}\\.log`));
    expectNothingStarted(repo, main, 'P1');

    // Red is not remembered (the fix may be outside the tree, an `npm install`): crew run checks again.
    const run = runCrew(repo.dir, ['run', '-j', '2', '--until-empty']);
    expect(run.code, run.stdout + run.stderr).toBe(5);
    expect(run.stdout).toMatch(/ script-1 gate: main first/);
    expect(run.stderr).toContain('`node --test test/` is red before any agent ran');
    expectNothingStarted(repo, main, 'P1');

    // With no eligible task, there is nothing to protect: exit 3 at once, no gate.
    const other = runCrew(repo.dir, ['work', '--agent', 'script', '--role', 'architect']);
    expect(other.code, other.stdout + other.stderr).toBe(3);
    expect(other.stdout).not.toMatch(/main first/);
  }, 60_000);

  it('a green main is gated once per tree: a landing or a backlog change does not re-run it, a code change does', () => {
    const repo = project();
    for (const id of ['G1', 'G2', 'G3']) addScriptTask(repo, { id, title: `Add ${id}` }, `echo ${id} > src/${id}.txt`);
    repo.commitAll('chore: three tasks');
    const first = runCrew(repo.dir, ['work', '--agent', 'script', '--task', 'G1']);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toMatch(/gate: main first \([0-9a-f]{8}\): node --test test\//);
    expect(first.stdout).toMatch(/^G1 done/m);
    // main is now G1's landing, gated before main moved to it, plus a task edited by hand (backlog only).
    repo.write('backlog/tasks/G2-task.md', repo.read('backlog/tasks/G2-task.md').replace('priority: medium', 'priority: high'));
    repo.commitAll('chore: G2 first');
    const second = runCrew(repo.dir, ['work', '--agent', 'script']);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(second.stdout).not.toMatch(/main first/);
    expect(second.stdout).toMatch(/^G2 done/m);
    // A commit that changes code outside crewtree: gated again, on that commit.
    repo.write('src/extra.js', 'export const extra = 1;\n');
    const changed = repo.commitAll('feat: extra code');
    const third = runCrew(repo.dir, ['run', '--until-empty']);
    expect(third.code, third.stdout + third.stderr).toBe(0);
    expect(third.stdout).toContain(`gate: main first (${changed.slice(0, 8)})`);
    expect(third.stdout).toMatch(/studio finished: 1 done/);
    expect(repo.git('show', 'main:src/G3.txt')).toBe('G3');
    // Green runs leave no output file behind, only the remembered verdicts.
    expect(readdirSync(join(repo.dir, '.git/crewtree/base-gate')).filter((name) => name.endsWith('.log'))).toEqual([]);
  }, 90_000);

  it('Ctrl-C during main\'s gate stops it within 5 s; nothing is claimed', async () => {
    const marks = mkdtempSync(join(tmpdir(), 'crewtree-marks-'));
    cleanups.push(() => rmSync(marks, { recursive: true, force: true }));
    const repo = project(`agent: script\ngate: ["echo $$ > ${marks}/gate.pid; sleep 60"]\nattempts: 1\nlease: 30s\ntimeout: 60s\n`);
    addScriptTask(repo, { id: 'S1', title: 'Stopped' }, 'echo s1 > src/s1.txt');
    repo.commitAll('chore: task');
    const main = repo.git('rev-parse', 'main');
    const child = spawn(process.execPath, [crewBin, 'work', '--agent', 'script'], { cwd: repo.dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    cleanups.push(() => child.kill('SIGKILL'));
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const pidFile = join(marks, 'gate.pid');
    expect(await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '', 30_000), output).toBe(true);
    const gatePid = Number(readFileSync(pidFile, 'utf8').trim());
    const stoppedAt = Date.now();
    child.kill('SIGINT');
    expect(await exit, output).toBe(130);
    expect(Date.now() - stoppedAt).toBeLessThan(5000);
    expect(await waitFor(() => !isRunning(gatePid), 1000)).toBe(true);
    expectNothingStarted(repo, main, 'S1');
    // Its detached checkout of main is gone too.
    expect(repo.git('worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
  }, 60_000);
});
