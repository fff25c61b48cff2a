import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addScriptTask, nodeProject } from '../helpers/node-project.js';
import { projectRoot, runCrew, type TempRepo } from '../helpers/temp-repo.js';

const repos: TempRepo[] = [];
afterEach(() => repos.splice(0).forEach((repo) => repo.cleanup()));

describe('crew run with roles and budgets', () => {
  it("files a role's standing duty once when nothing else fits, and works it", () => {
    const repo = nodeProject();
    repos.push(repo);
    repo.write(
      '.crewtree/roles/reviewer.md',
      ['---', 'role: reviewer', 'paths: ["docs/**"]', 'duty: |', '  Review the code and write notes.', '', '  ```crew-script', '  mkdir -p docs && echo "reviewed" > docs/review.md', '  ```', '---', '# Reviewer', '', 'You review code.', ''].join('\n'),
    );
    repo.commitAll('chore: reviewer role');
    const run = runCrew(repo.dir, ['run', '--roles', 'reviewer=1', '--agent', 'script', '--until-empty']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/studio finished: 1 done, 0 blocked/);
    expect(repo.git('show', 'main:docs/review.md')).toBe('reviewed');
    const list = JSON.parse(runCrew(repo.dir, ['task', 'list', '--json']).stdout) as { title: string; role: string; status: string }[];
    expect(list).toEqual([expect.objectContaining({ title: 'reviewer: standing duty', role: 'reviewer', status: 'done' })]);
  });

  it('stops starting tasks once the run budget is spent', () => {
    const repo = nodeProject({ config: 'agent: claude\ngate: ["node --test test/"]\nbudget: { run_tokens: 10000 }\n' });
    repos.push(repo);
    for (const id of ['K1', 'K2', 'K3']) addScriptTask(repo, { id, title: `Budget ${id}` }, 'true');
    repo.commitAll('chore: three tasks');
    const path = `${join(projectRoot, 'tests/fixtures/writing-claude')}:${process.env.PATH}`;
    const run = runCrew(repo.dir, ['run', '-j', '1', '--until-empty'], { PATH: path });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/run token budget spent \(12680 of 10000\); no new tasks are started/);
    const statuses = (JSON.parse(runCrew(repo.dir, ['task', 'list', '--json']).stdout) as { id: string; status: string }[]).map((t) => `${t.id}:${t.status}`);
    expect(statuses).toEqual(['K1:done', 'K2:done', 'K3:todo']);
    const usage = JSON.parse(repo.read('.git/crewtree/runs/K1/usage.json')) as { totals: { inputTokens: number; outputTokens: number; costUsd: number } };
    expect(usage.totals).toEqual({ inputTokens: 6000, outputTokens: 340, costUsd: 0.0421 });
  });
});
