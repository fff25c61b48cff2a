// merge.strategy squash and rebase through the built CLI: what `crew run` leaves on main.
import { afterEach, describe, expect, it } from 'vitest';
import { addScriptTask, nodeProject } from '../helpers/node-project.js';
import { runCrew, type TempRepo } from '../helpers/temp-repo.js';

const repos: TempRepo[] = [];
afterEach(() => repos.splice(0).forEach((repo) => repo.cleanup()));

function project(strategy: string, extra = ''): TempRepo {
  const repo = nodeProject({ config: `agent: script\ngate: ["node --test test/"]\nattempts: 1\nlease: 30s\ntimeout: 60s\nmerge:\n  strategy: ${strategy}\n${extra}` });
  repos.push(repo);
  return repo;
}

/** main's first-parent commits after `from`, oldest first: subject, body and parent count. */
function history(repo: TempRepo, from: string): { subject: string; body: string; parents: number }[] {
  const out = repo.git('log', '--first-parent', '--reverse', '--format=%P%x00%B%x1e', `${from}..main`);
  return out
    .split('\x1e')
    .map((record) => record.replace(/^\n/, ''))
    .filter(Boolean)
    .map((record) => {
      const [parents = '', body = ''] = record.split('\0');
      return { subject: body.split('\n')[0] ?? '', body: body.trim(), parents: parents.split(' ').length };
    });
}

describe.each(['squash', 'rebase'])('merge.strategy: %s through crew run', (strategy) => {
  it('two tasks land as one commit each with the conventional subject and trailer; main stays linear', () => {
    const repo = project(strategy);
    for (const id of ['S1', 'S2']) addScriptTask(repo, { id, title: `Task ${id}` }, `echo ${id} > src/${id}.txt`);
    const start = repo.commitAll('chore: two tasks');
    const run = runCrew(repo.dir, ['run', '-j', '2', '--until-empty']);
    expect(run.code, run.stdout + run.stderr).toBe(0);

    const commits = history(repo, start);
    expect(commits.every((c) => c.parents === 1)).toBe(true);
    expect(repo.git('rev-list', '--min-parents=2', `${start}..main`)).toBe('');
    const landings = commits.filter((c) => !c.subject.includes('claimed by'));
    expect(landings.map((c) => c.body).sort()).toEqual(['S1', 'S2'].map((id) => `feat(${id}): Task ${id}\n\nTask: ${id}`));
    expect(commits).toHaveLength(4); // a claim and a landing per task
    for (const id of ['S1', 'S2']) expect(repo.git('show', `main:src/${id}.txt`)).toBe(id);
    expect(repo.git('status', '--porcelain')).toBe('');
  }, 180_000);
});

describe('merge.strategy: squash through crew run', () => {
  it("a blocked attempt's wip commit never reaches main: the retried task lands as one commit with all its work", () => {
    const repo = project('squash');
    addScriptTask(repo, { id: 'W1', title: 'Two runs' }, 'if [ -f src/partial.txt ]; then echo final > src/final.txt; else echo partial > src/partial.txt; exit 1; fi');
    const start = repo.commitAll('chore: task');
    expect(runCrew(repo.dir, ['run', '--until-empty']).code).not.toBe(0);
    const wip = repo.git('for-each-ref', '--format=%(objectname) %(subject)', 'refs/heads/ai/');
    expect(wip).toMatch(/^[0-9a-f]{40} wip\(W1\): Two runs \(blocked\)$/);
    const wipCommit = wip.split(' ')[0]!;

    expect(runCrew(repo.dir, ['retry', 'W1']).code).toBe(0);
    const second = runCrew(repo.dir, ['run', '--until-empty']);
    expect(second.code, second.stdout + second.stderr).toBe(0);

    const landing = history(repo, start).filter((c) => c.subject.startsWith('feat('));
    expect(landing).toEqual([{ subject: 'feat(W1): Two runs', body: 'feat(W1): Two runs\n\nTask: W1', parents: 1 }]);
    expect(repo.git('show', 'main:src/partial.txt')).toBe('partial');
    expect(repo.git('show', 'main:src/final.txt')).toBe('final');
    expect(repo.git('log', '--format=%s', 'main')).not.toContain('wip(');
    expect(repo.git('branch', '--contains', wipCommit, '--list', 'main')).toBe('');
    expect(repo.git('rev-list', '--min-parents=2', `${start}..main`)).toBe('');
  }, 180_000);
});
