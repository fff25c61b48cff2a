// Stopping is stopping: Ctrl-C reaches the gate and the landing, nothing lands after it, the work
// is saved on the branch (or kept in the worktree when it cannot be), and one failing worker
// fails alone.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addScriptTask, nodeProject } from '../helpers/node-project.js';
import { crewBin, runCrew, type TempRepo } from '../helpers/temp-repo.js';
import { isRunning, waitFor } from '../integration/agents/process-tree.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

function setup(config: (marks: string) => string): { repo: TempRepo; marks: string } {
  const marks = mkdtempSync(join(tmpdir(), 'crewtree-marks-'));
  const repo = nodeProject({ config: config(marks) });
  cleanups.push(() => repo.cleanup(), () => rmSync(marks, { recursive: true, force: true }));
  return { repo, marks };
}

function start(repo: TempRepo, args: string[]): { child: ChildProcess; output: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [crewBin, ...args], { cwd: repo.dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { child, output: () => output, exit };
}

async function pidIn(file: string): Promise<number> {
  expect(await waitFor(() => existsSync(file) && readFileSync(file, "utf8").trim() !== "", 90_000), `${file} never written`).toBe(true);
  return Number(readFileSync(file, 'utf8').trim());
}

/** Ctrl-C, then what a user checks: exit within 5 s with 130, the process gone, main unmoved. */
async function interrupt(run: ReturnType<typeof start>, pid: number): Promise<void> {
  const stoppedAt = Date.now();
  run.child.kill('SIGINT');
  const code = await run.exit;
  expect(Date.now() - stoppedAt, run.output()).toBeLessThan(5000);
  expect(code, run.output()).toBe(130);
  expect(await waitFor(() => !isRunning(pid), 1000)).toBe(true);
}

function expectReleasedWithWorkOnBranch(repo: TempRepo, id: string, file: string): void {
  const task = repo.git('show', `main:backlog/tasks/${id}-task.md`);
  expect(task).toMatch(/^status: todo$/m);
  expect(task).not.toMatch(/^lock:/m);
  const branch = repo.git('branch', '--list', `ai/*/${id}-*`, '--format=%(refname:short)');
  expect(repo.git('show', `${branch}:${file}`)).toBe('partial');
  expect(task).toContain(`branch ${branch} keeps the work`);
}

describe('Ctrl-C', () => {
  it('during the gate stops the gate within 5 s; the task does not land and its work is on its branch', async () => {
    // The gate passes at once on main (no src/g1.txt yet) and hangs in the task's worktree.
    const { repo, marks } = setup((marks) => `agent: script\ngate: ['[ -f src/g1.txt ] || exit 0; echo $$ > ${marks}/gate.pid; sleep 60']\nattempts: 1\nlease: 30s\ntimeout: 60s\n`);
    addScriptTask(repo, { id: 'G1', title: 'Gated' }, 'echo partial > src/g1.txt');
    repo.commitAll('chore: task');
    const main = repo.git('rev-parse', 'main');
    const run = start(repo, ['work', '--agent', 'script']);
    await interrupt(run, await pidIn(join(marks, 'gate.pid')));
    expectReleasedWithWorkOnBranch(repo, 'G1', 'src/g1.txt');
    expect(repo.git('log', '--format=%s', `${main}..main`)).not.toMatch(/feat\(G1\)|merge/i);
    expect(repo.git('ls-tree', '--name-only', 'main', 'src/')).not.toContain('g1.txt');
  }, 150_000);

  it('during the landing gate stops it; nothing lands after the stop', async () => {
    // The gate passes at once on main and in the task's worktree, and hangs on the merged commit the queue gates.
    // NOTE: sandbox off: this agent moves main from inside its run, which a sandbox forbids.
    const { repo, marks } = setup((marks) => `agent: script\ngate: ['[ -f src/l1.txt ] || exit 0; case "$PWD" in */.worktrees/*) exit 0;; esac; echo $$ > ${marks}/landing.pid; sleep 60']\nattempts: 1\nlease: 30s\ntimeout: 60s\nsandbox: off\n`);
    // Main moves meanwhile, so the queue gates the merged commit rather than reuse the worktree's verdict.
    addScriptTask(repo, { id: 'L1', title: 'Landing' }, 'echo partial > src/l1.txt\ncd "$(dirname "$(git rev-parse --path-format=absolute --git-common-dir)")" && echo other > other.txt && git add other.txt && git commit -qm "chore: other"');
    repo.commitAll('chore: task');
    const run = start(repo, ['work', '--agent', 'script']);
    await interrupt(run, await pidIn(join(marks, 'landing.pid')));
    const task = repo.git('show', 'main:backlog/tasks/L1-task.md');
    expect(task).toMatch(/^status: todo$/m);
    expect(task).not.toMatch(/^lock:/m);
    expect(task).toContain('stopped before it landed');
    // A later queue run does not land the stopped task's entry: its lock is gone.
    runCrew(repo.dir, ['merge']);
    expect(repo.git('ls-tree', '--name-only', 'main', 'src/')).not.toContain('l1.txt');
    expect(repo.git('show', 'main:backlog/tasks/L1-task.md')).toMatch(/^status: todo$/m);
  }, 150_000);

  it('keeps the worktree, and says where, when the work cannot be committed', async () => {
    // NOTE: sandbox off: the agent leaves a lock in the git folder, which a sandbox keeps out of its reach.
    const { repo, marks } = setup(() => 'agent: script\ngate: []\nattempts: 1\nlease: 30s\ntimeout: 60s\nsandbox: off\n');
    // A killed agent's git left its index lock: the stop's commit fails.
    addScriptTask(repo, { id: 'K1', title: 'Locked index' }, `echo partial > src/k1.txt\ntouch "$(git rev-parse --git-dir)/index.lock"\necho $$ > ${marks}/agent.pid\nsleep 60`);
    repo.commitAll('chore: task');
    const run = start(repo, ['work', '--agent', 'script']);
    await interrupt(run, await pidIn(join(marks, 'agent.pid')));
    const task = repo.git('show', 'main:backlog/tasks/K1-task.md');
    expect(task).toMatch(/^status: todo$/m);
    expect(task).not.toMatch(/^lock:/m);
    const worktree = /kept, uncommitted, in (\S+)/.exec(task)?.[1];
    expect(worktree, task).toMatch(/^\.worktrees\/ai\/.*K1-locked-index$/);
    expect(readFileSync(join(repo.dir, worktree!, 'src/k1.txt'), 'utf8')).toBe('partial\n');
    expect(task).not.toContain('keeps the work');
  }, 150_000);
});

describe('a failing worker', () => {
  it('fails alone: its lock is released with a note and the other worker lands its task', async () => {
    const { repo } = setup(() => 'agent: script\ngate: ["node --test test/"]\nattempts: 1\nlease: 30s\ntimeout: 60s\n');
    addScriptTask(repo, { id: 'F1', title: 'Blocked path', priority: 'high' }, 'echo f1 > src/f1.txt');
    addScriptTask(repo, { id: 'F2', title: 'Fine' }, 'echo f2 > src/f2.txt');
    repo.commitAll('chore: tasks');
    // Whichever worker takes F1 finds a folder (not a worktree) where its worktree should go.
    for (const worker of ['script-1', 'script-2']) mkdirSync(join(repo.dir, `.worktrees/ai/${worker}/F1-blocked-path/junk`), { recursive: true });
    const run = runCrew(repo.dir, ['run', '-j', '2', '--agent', 'script', '--until-empty']);
    expect(run.stdout + run.stderr).toMatch(/studio finished: 1 done/);
    expect(repo.git('show', 'main:src/f2.txt')).toBe('f2');
    const f1 = repo.git('show', 'main:backlog/tasks/F1-task.md');
    expect(f1).toMatch(/^status: todo$/m);
    expect(f1).not.toMatch(/^lock:/m);
    expect(f1).toMatch(/released by script-\d: worker script-\d failed before its worktree was ready: Could not/);
    expect(runCrew(repo.dir, ['sweep', '--dry-run']).stdout).toMatch(/No stale locks/);
  }, 150_000);
});
