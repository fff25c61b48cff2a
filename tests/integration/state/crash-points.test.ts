// Kills crewtree at every git call of `task add`, `claim` and `release` (a wrapper named `git`
// first on PATH, one run per call index), in two ways: right after the git call finished, and,
// for the calls that hold a lock file, during it (the lock is left behind, as SIGKILL leaves it).
// After each, the next command must succeed by itself and leave the checkout clean but for the
// user's own edits.
import { describe, expect, it } from 'vitest';
import { crashingGitBin, crashingRun, crashPoints } from '../../helpers/crash-git.js';
import { runCrew, tempRepo, type TempRepo } from '../../helpers/temp-repo.js';
import { seedTasks, taskPath } from './state-helpers.js';

const bin = crashingGitBin();

/** What a user checks: HEAD is main, nothing of crewtree's is staged or changed, the user's edits are intact. */
function expectCleanCheckout(repo: TempRepo, context: string): void {
  expect(repo.git('symbolic-ref', 'HEAD'), context).toBe('refs/heads/main');
  // NOTE: trimmed lines: whether README.md's edit is staged is checked by the diff --cached below.
  expect(repo.git('status', '--porcelain').split('\n').map((line) => line.trim()).sort(), context).toEqual(['?? notes.txt', 'M README.md']);
  expect(repo.read('README.md'), context).toBe('# my uncommitted edit\n');
  expect(repo.git('diff', '--cached', '--name-only'), context).toBe('');
}

/** Tasks T1..T120 already held by w1, to be released. */
function seedLockedTasks(repo: TempRepo): void {
  for (let i = 1; i <= 120; i++) {
    const id = `T${i}`;
    const lock = ['lock:', '  worker: w1', `  token: ${String(i).padStart(8, '0')}`, `  branch: ai/w1/${id}-task`, `  worktree: .worktrees/ai/w1/${id}-task`, '  host: elsewhere', '  pid: 1', '  since: 2025-12-02T11:03:23Z'];
    repo.write(taskPath(id), ['---', `id: ${id}`, `title: Task ${id}`, 'status: in-progress', 'priority: medium', 'type: feat', 'role: developer', ...lock, '---', `# Task ${id}`, ''].join('\n'));
  }
  repo.commitAll('test: 120 held tasks');
}

interface Case {
  name: string;
  setup(repo: TempRepo): void;
  command(round: number): string[];
}

const cases: Case[] = [
  { name: 'task add', setup: () => undefined, command: (round) => ['task', 'add', `Crash round ${round}`] },
  { name: 'claim', setup: (repo) => void seedTasks(repo, 120), command: (round) => ['claim', `T${round}`, '--worker', 'w1'] },
  { name: 'release', setup: seedLockedTasks, command: (round) => ['release', `T${round}`, '--force', '-m', 'crash test'] },
];

describe('a crash at any git call leaves nothing the next command refuses', () => {
  for (const testCase of cases) {
    it(`${testCase.name}: killed after and during each git call, the next ${testCase.name} succeeds and the checkout is clean`, () => {
      const repo = tempRepo({ init: true });
      try {
        testCase.setup(repo);
        repo.write('README.md', '# my uncommitted edit\n');
        repo.write('notes.txt', 'untracked scratch\n');
        let round = 1;
        const total = crashingRun(bin, repo, testCase.command(round++), 0, 'after');
        expect(total.code, total.stderr).toBe(0);
        expect(total.calls).toBeGreaterThan(3);
        for (const { at, mode } of crashPoints(total.commands)) {
          const context = `${testCase.name}, killed ${mode} git call ${at} of ${total.calls} (${total.commands[at - 1]})`;
          const crashed = crashingRun(bin, repo, testCase.command(round++), at, mode);
          expect(crashed.code, context).not.toBe(0);
          const next = runCrew(repo.dir, testCase.command(round++));
          expect(next.code, `${context}: ${next.stderr}`).toBe(0);
          expectCleanCheckout(repo, context);
        }
        expect(repo.git('worktree', 'list')).not.toContain('prunable');
      } finally {
        repo.cleanup();
      }
    }, 900_000);
  }
});
