import { afterEach, describe, expect, it } from 'vitest';
import { addScriptTask, nodeProject } from '../../helpers/node-project.js';
import { runCrew, type TempRepo } from '../../helpers/temp-repo.js';

const repos: TempRepo[] = [];
afterEach(() => repos.splice(0).forEach((repo) => repo.cleanup()));

/** Subjects of main's first-parent commits after `from`, oldest first. */
function firstParentSubjects(repo: TempRepo, from: string): string[] {
  return repo.git('log', '--first-parent', '--reverse', '--format=%s', `${from}..main`).split('\n').filter(Boolean);
}

describe('the commits a task costs main', () => {
  it('a crew run over 3 tasks adds a claim and a landing per task; events ride on them in order', () => {
    const repo = nodeProject();
    repos.push(repo);
    for (const id of ['S1', 'S2', 'S3']) addScriptTask(repo, { id, title: `Task ${id}` }, `echo ${id} > src/${id}.txt`);
    const start = repo.commitAll('chore: three tasks');
    const run = runCrew(repo.dir, ['run', '-j', '2', '--until-empty']);
    expect(run.code, run.stderr).toBe(0);
    const subjects = firstParentSubjects(repo, start);
    // At most a claim and a landing per task (the queue may land several in one commit).
    expect(subjects.length).toBeLessThanOrEqual(2 * 3);
    expect(subjects.filter((s) => /claimed by/.test(s)).sort()).toEqual(
      ['S1', 'S2', 'S3'].map((id) => expect.stringMatching(new RegExp(`^chore\\(backlog\\): ${id} claimed by .+ \\[skip ci\\]$`))),
    );
    // Landings carry code: CI must run on them, so no marker.
    const landings = subjects.filter((s) => !s.includes('claimed by'));
    expect(landings.length).toBeGreaterThanOrEqual(1);
    for (const subject of landings) expect(subject).not.toContain('[skip ci]');
    const log = repo.git('show', 'main:backlog/task.log');
    for (const id of ['S1', 'S2', 'S3']) {
      const events = log
        .split('\n')
        .filter((line) => line.split(' | ')[2] === id)
        .map((line) => line.split(' | ')[3]);
      expect(events).toEqual(['started', 'setup', 'gate-passed', 'committed', 'queued', 'merged', 'done']);
    }
    expect(repo.git('status', '--porcelain')).toBe('');
  }, 300_000);

  it('state_marker sets the marker, and an empty one leaves subjects alone', () => {
    const repo = nodeProject({ config: "agent: script\nstate_marker: '[ci skip]'\n" });
    repos.push(repo);
    addScriptTask(repo, { id: 'M1', title: 'Marked' }, 'true');
    repo.commitAll('chore: a task');
    expect(runCrew(repo.dir, ['claim', 'M1', '--worker', 'w1']).code).toBe(0);
    expect(repo.git('log', '-1', '--format=%s', 'main')).toBe('chore(backlog): M1 claimed by w1 [ci skip]');
    repo.write('.crewtree/config.yaml', "agent: script\nstate_marker: ''\n");
    repo.commitAll('chore: no marker');
    expect(runCrew(repo.dir, ['release', 'M1', '--force', '-m', 'test']).code).toBe(0);
    expect(repo.git('log', '-1', '--format=%s', 'main')).toMatch(/^chore\(backlog\): M1 released by [^[]+$/);
  }, 60_000);
});
