import { chmodSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import { formatProblem } from '../../../src/errors.js';
import { runCrew, tempRepo, type TempRepo } from '../../helpers/temp-repo.js';
import { deadPid, HOST, writeTask } from './fixed-backlog.js';

/** A PATH with git, bash and a fake `claude` that records how it was called. */
function fakePath(): { dir: string; calls: string } {
  const dir = mkdtempSync(join(tmpdir(), 'crewtree-path-'));
  for (const tool of ['git', 'bash']) symlinkSync(execFileSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim(), join(dir, tool));
  const calls = join(dir, 'claude-calls.txt');
  writeFileSync(join(dir, 'claude'), `#!/bin/sh\necho "$@" >> '${calls}'\necho '9.9.9 (Fake Code)'\n`);
  chmodSync(join(dir, 'claude'), 0o755);
  return { dir, calls };
}

const gitVersion = execFileSync('git', ['--version'], { encoding: 'utf8' }).trim().replace('git version ', '');

describe('crew doctor', () => {
  let path: ReturnType<typeof fakePath>;
  const repos: TempRepo[] = [];
  beforeAll(() => {
    path = fakePath();
  });
  afterAll(() => {
    rmSync(path.dir, { recursive: true, force: true });
    for (const repo of repos) repo.cleanup();
  });

  it('passes a healthy repository: exit 0, git version and agent versions shown, no prompt sent', () => {
    const repo = tempRepo();
    repos.push(repo);
    repo.write('.crewtree/config.yaml', 'agent: script\n');
    repo.write('.gitignore', '.worktrees/\n');
    writeTask(repo, { id: 'A1', title: 'Add members list', status: 'todo' });
    repo.commitAll('chore: crewtree');
    const run = runCrew(repo.dir, ['doctor'], { PATH: path.dir, CREWTREE_HOST: HOST });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`ok   git: git ${gitVersion} (needs 2.38+: merge-tree --write-tree, update-ref --stdin transactions, worktrees)`);
    expect(lines).toContain('ok   agents: script configured; on PATH: claude');
    expect(lines).toContain(`       claude    9.9.9 (Fake Code) ${join(path.dir, 'claude')}`);
    expect(lines).toContain('       codex     not found');
    expect(lines).toContain('ok   config: .crewtree/config.yaml is valid');
    expect(lines).toContain(`ok   backlog: 1 task on main at ${repo.git('rev-parse', '--short=8', 'main')}, valid`);
    expect(lines).toContain('ok   worktrees and locks: 0 locks, 0 task worktrees');
    expect(lines.at(-1)).toBe('No problems found.');
    expect(readFileSync(path.calls, 'utf8')).toBe('--version\n');
  });

  it('lists exactly the problems of a broken repository (bad config line, stale lock) and exits 1', () => {
    const repo = tempRepo();
    repos.push(repo);
    const dead = deadPid();
    const config = 'agent: script\nbase: main\nlease: soon\n';
    repo.write('.crewtree/config.yaml', config);
    // NOTE: the loader's own wording, so this test follows it; the line number is what matters here.
    const configProblem = parseConfig(config).problems.map(formatProblem).join('; ');
    expect(configProblem).toMatch(/^\.crewtree\/config\.yaml:3: lease "soon" is not valid/);
    repo.write('.gitignore', '.worktrees/\n');
    writeTask(repo, { id: 'A1', title: 'Add members list', status: 'in-progress', lock: { worker: 'dev-1', host: HOST, pid: dead, since: '2025-12-02T11:03:23Z', token: 'aaaa1111' } });
    repo.commitAll('chore: crewtree');
    const run = runCrew(repo.dir, ['doctor', '--json'], { PATH: path.dir, CREWTREE_HOST: HOST });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.ok).toBe(false);
    // With the config broken, the defaults apply: claude, which is on PATH but not logged in.
    expect(report.problems).toBe(4);
    const problems = report.checks.flatMap((check: { name: string; problems: { message: string; fix: string }[] }) => check.problems.map((p) => [check.name, p.message, p.fix]));
    expect(problems).toEqual([
      ['agents', expect.stringMatching(/^the configured agent claude is not logged in: /), expect.stringMatching(/^Log in/)],
      ['config', configProblem, 'Fix that line; every key is described in the file `crew init` writes.'],
      ['worktrees and locks', `A1 is locked by dev-1, but its process ${dead} on ${HOST} is gone`, 'Run `crew sweep` to release it (its branch and worktree are kept).'],
      [
        'worktrees and locks',
        'A1 is locked by dev-1 but its worktree .worktrees/ai/dev-1/A1-add-members-list is missing',
        'Run `crew sweep` to release it.',
      ],
    ]);
    const text = runCrew(repo.dir, ['doctor'], { PATH: path.dir, CREWTREE_HOST: HOST });
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`FAIL config: .crewtree/config.yaml has 1 problem (the checks below use the defaults)\n     ✗ ${configProblem}\n`);
    expect(text.stdout.trimEnd().split('\n').at(-1)).toBe('4 problems found.');
  });
});
