import { describe, expect, it } from 'vitest';
import { agentCheck, backlogCheck, configCheck, consistencyCheck, gitCheck, parseGitVersion, problemCount, renderDoctor, type ConsistencyInput } from '../../../src/views/doctor.js';

const lock = { worker: 'dev-1', token: 't', branch: 'ai/dev-1/A1-x', worktree: '.worktrees/ai/dev-1/A1-x', host: 'here', pid: 7, since: '2025-12-02T11:00:00Z' };
const healthy: ConsistencyInput = { base: 'main', host: 'here', worktreesDir: '.worktrees', worktreesIgnored: true, locks: [], worktrees: [], leftovers: [], stale: [] };

describe('git check', () => {
  it.each([
    ['git version 2.39.5', [2, 39, 5]],
    ['git version 2.37.1 (Apple Git-137.1)', [2, 37, 1]],
    ['git version 2.45.1.windows.1', [2, 45, 1]],
    ['git version 3.0', [3, 0, 0]],
  ])('reads %s', (text, version) => expect(parseGitVersion(text)).toEqual(version));

  const features = { mergeTree: true, updateRefTransaction: true, worktreeList: true };
  it('passes git 2.38 and newer', () => {
    expect(gitCheck({ versionText: 'git version 2.38.0', ...features }).problems).toEqual([]);
    expect(gitCheck({ versionText: 'git version 3.1.0', ...features }).problems).toEqual([]);
  });
  it('names what an old git lacks and what to do', () => {
    const check = gitCheck({ versionText: 'git version 2.37.9', ...features, mergeTree: false });
    expect(check.problems.map((p) => p.message)).toEqual([
      'git 2.37.9 is older than 2.38: it has no `merge-tree --write-tree`, which landing needs',
      '`git merge-tree --write-tree` failed',
    ]);
    expect(check.problems[0]?.fix).toMatch(/^Install git 2.38 or newer/);
  });
});

describe('agent check', () => {
  const probes = [
    { agent: 'claude', command: 'claude', path: '/usr/bin/claude', version: '2.1.330 (Claude Code)', error: null },
    { agent: 'codex', command: 'codex', path: null, version: null, error: null },
  ];
  it('lists each CLI with its version or "not found"', () => {
    const check = agentCheck({ probes, configured: 'claude', requirement: { command: 'claude', found: true } });
    expect(check.problems).toEqual([]);
    expect(check.notes).toEqual(['claude    2.1.330 (Claude Code) /usr/bin/claude', 'codex     not found']);
  });
  it('is a problem when the configured agent is missing', () => {
    const check = agentCheck({ probes, configured: 'codex', requirement: { command: 'codex', found: false } });
    expect(check.problems).toEqual([
      { message: 'the configured agent codex needs `codex`, which is not on PATH', fix: 'Install it, or pick an agent you have: `agent:` in .crewtree/config.yaml (or --agent), e.g. claude.' },
    ]);
  });
});

describe('config and backlog checks', () => {
  it('turns each problem into a line with its place', () => {
    const check = configCheck('.crewtree/config.yaml', [{ path: '.crewtree/config.yaml', line: 3, message: 'unknown key "bogus"' }]);
    expect(check.problems.map((p) => p.message)).toEqual(['.crewtree/config.yaml:3: unknown key "bogus"']);
    expect(backlogCheck({ base: 'main', commit: undefined, tasks: 0, problems: [] }).problems[0]?.message).toBe('the base branch main has no commits, so there is no backlog to read');
    expect(backlogCheck({ base: 'main', commit: 'abcdef1234', tasks: 3, problems: [] }).summary).toBe('3 tasks on main at abcdef12, valid');
  });
});

describe('consistency check', () => {
  it('is quiet when locks and worktrees agree', () => {
    const input: ConsistencyInput = {
      ...healthy,
      locks: [{ task: 'A1', status: 'in-progress', lock, worktreeExists: true, branchExists: true, phase: 'agent' }],
      worktrees: [{ path: '.worktrees/ai/dev-1/A1-x', branch: 'ai/dev-1/A1-x', exists: true, held: true, clean: false, changed: ['a'], unlanded: 2 }],
    };
    expect(consistencyCheck(input).problems).toEqual([]);
  });

  it('names a lock whose worktree is missing, unless its worker is still setting it up or it runs elsewhere', () => {
    const missing = { task: 'A1', status: 'in-progress' as const, lock, worktreeExists: false, branchExists: true, phase: null };
    expect(consistencyCheck({ ...healthy, locks: [missing] }).problems).toEqual([
      {
        message: 'A1 is locked by dev-1 but its worktree .worktrees/ai/dev-1/A1-x is missing',
        fix: 'If dev-1 is gone, `crew release A1` frees it; or bring the worktree back: git worktree add .worktrees/ai/dev-1/A1-x ai/dev-1/A1-x.',
      },
    ]);
    expect(consistencyCheck({ ...healthy, locks: [{ ...missing, phase: 'setup' }] }).problems).toEqual([]);
    expect(consistencyCheck({ ...healthy, locks: [{ ...missing, lock: { ...lock, host: 'laptop' } }] }).problems).toEqual([]);
  });

  it('names a task in review whose branch is gone, but not its removed worktree', () => {
    const review = { task: 'A1', status: 'review' as const, lock, worktreeExists: false, branchExists: true, phase: null };
    expect(consistencyCheck({ ...healthy, locks: [review] }).problems).toEqual([]);
    expect(consistencyCheck({ ...healthy, locks: [{ ...review, branchExists: false }] }).problems.map((p) => p.message)).toEqual(['A1 waits for review but its branch ai/dev-1/A1-x is gone']);
  });

  it('names unheld worktrees with unlanded work, vanished worktrees, leftover folders, stale locks and a folder git does not ignore', () => {
    const input: ConsistencyInput = {
      ...healthy,
      worktreesIgnored: false,
      worktrees: [
        { path: '.worktrees/ai/old/A7-y', branch: 'ai/old/A7-y', exists: true, held: false, clean: false, changed: ['x.js'], unlanded: 1 },
        { path: '.worktrees/ai/old/A8-z', branch: 'ai/old/A8-z', exists: true, held: false, clean: true, changed: [], unlanded: 0 },
        { path: '.worktrees/ai/old/A9-w', branch: 'ai/old/A9-w', exists: false, held: false, clean: null, changed: [], unlanded: 0 },
      ],
      leftovers: ['.worktrees/ai/lost/A6-v'],
      stale: [{ task: 'A5', worker: 'dev-9', reason: 'its process 9 on here is gone' }],
    };
    const check = consistencyCheck(input);
    expect(check.problems.map((p) => p.message)).toEqual([
      'A5 is locked by dev-9, but its process 9 on here is gone',
      '.worktrees/ai/old/A7-y holds work that no task\'s lock holds: 1 commit not on main and 1 uncommitted change',
      'git lists the worktree .worktrees/ai/old/A9-w, but its folder is gone',
      '.worktrees/ai/lost/A6-v is a folder under .worktrees/ that git does not know as a worktree',
      '.worktrees/ is not ignored by git: task worktrees would show up in `git status`',
    ]);
    expect(check.problems.map((p) => p.fix)).toEqual([
      'Run `crew sweep` to release it (its branch and worktree are kept).',
      'Look at it (git -C .worktrees/ai/old/A7-y status; git log main..ai/old/A7-y), then land it by hand or drop it: git worktree remove --force .worktrees/ai/old/A7-y && git branch -D ai/old/A7-y.',
      'Run `git worktree prune`.',
      'Check nothing in it is needed, then delete it (rm -rf .worktrees/ai/lost/A6-v).',
      'Add .worktrees/ to .gitignore (crew init does).',
    ]);
  });
});

describe('renderDoctor', () => {
  it('prints ok or FAIL per check, notes, problems with their fix, and a count', () => {
    const report = {
      agents: [],
      checks: [
        { name: 'git', summary: 'git 2.39.5', notes: [], problems: [] },
        { name: 'config', summary: 'bad', notes: ['a note'], problems: [{ message: 'x.yaml:1: wrong', fix: 'Fix it.' }] },
      ],
    };
    expect(problemCount(report)).toBe(1);
    expect(renderDoctor(report, { color: false })).toBe(
      ['ok   git: git 2.39.5', 'FAIL config: bad', '       a note', '     ✗ x.yaml:1: wrong', '       fix: Fix it.', '', '1 problem found.'].join('\n'),
    );
  });
});
