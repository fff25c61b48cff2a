import { hostname } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCrew, tempRepo, type TempRepo } from '../../helpers/temp-repo.js';
import { addedLogLines, parseLogLine, seedTasks, taskPath } from './state-helpers.js';

const ISO = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z';
const LOG_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/;

let repo: TempRepo;
beforeEach(() => {
  repo = tempRepo({ init: true });
  seedTasks(repo, 2);
});
afterEach(() => repo.cleanup());

/** Claims T1 for a process that is not this test (pid 1 is always alive), so only the token proves holding it. */
function claimForOther(): { token: string; since: string } {
  const run = runCrew(repo.dir, ['claim', 'T1', '--worker', 'w1', '--pid', '1', '--json']);
  expect(run.code, run.stderr).toBe(0);
  const lock = (JSON.parse(run.stdout) as { lock: { token: string; since: string } }).lock;
  return lock;
}

function lastLogLine(): string {
  const lines = addedLogLines(repo, 'main');
  expect(lines).toHaveLength(1);
  return lines[0] ?? '';
}

function notesOf(id: string): string[] {
  const text = repo.git('show', `main:${taskPath(id)}`);
  return text.slice(text.indexOf('## Notes')).split('\n').slice(2);
}

describe('crew release: only the holder gives a lock back', () => {
  it('refuses anyone without the token (exit 4, saying who holds it) and moves nothing', () => {
    const lock = claimForOther();
    const before = repo.git('rev-parse', 'main');
    const plain = runCrew(repo.dir, ['release', 'T1']);
    expect(plain.code).toBe(4);
    expect(plain.stderr).toBe(
      `crew: T1 is locked by w1 since ${lock.since} (pid 1 on ${hostname()}); only its holder may release it.\nhint: Pass the lock token (--token), or use --force -m "why" to take it away.\n`,
    );
    expect(runCrew(repo.dir, ['release', 'T1', '--token', 'deadbeef']).code).toBe(4);
    expect(repo.git('rev-parse', 'main')).toBe(before);
  });

  it('releases with the token: status todo, lock gone, the note in the task, a released line', () => {
    const lock = claimForOther();
    const run = runCrew(repo.dir, ['release', 'T1', '--token', lock.token, '-m', 'out of time', '--worker', 'w1']);
    expect(run).toMatchObject({ code: 0, stdout: 'T1 released (todo)\n' });
    const task = repo.git('show', `main:${taskPath('T1')}`);
    expect(task).toMatch(/^status: todo$/m);
    expect(task).not.toMatch(/^lock:/m);
    expect(notesOf('T1')).toEqual([expect.stringMatching(new RegExp(`^- ${ISO} released by w1: out of time$`))]);
    const line = parseLogLine(lastLogLine());
    expect(line).toEqual({ time: expect.stringMatching(LOG_TIME), worker: 'w1', task: 'T1', event: 'released', detail: 'out of time' });
    expect(repo.git('log', '-1', '--format=%s', 'main')).toBe('chore(backlog): T1 released by w1 [skip ci]');
    expect(repo.git('for-each-ref', 'refs/crewtree/heartbeats/')).toBe('');
  });

  it('releases for the same process on the same host without a token (claim then release from one script)', () => {
    expect(runCrew(repo.dir, ['claim', 'T1', '--worker', 'w1']).code).toBe(0);
    const run = runCrew(repo.dir, ['release', 'T1']);
    expect(run).toMatchObject({ code: 0, stdout: 'T1 released (todo)\n' });
    expect(parseLogLine(lastLogLine())).toMatchObject({ worker: 'w1', task: 'T1', event: 'released', detail: '' });
    expect(lastLogLine()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC \| w1 \| T1 \| released \| $/);
  });

  it('--force needs a reason, and logs it', () => {
    claimForOther();
    const bare = runCrew(repo.dir, ['release', 'T1', '--force']);
    expect(bare).toMatchObject({ code: 2, stderr: 'crew: --force needs a reason: -m "why".\n' });
    const run = runCrew(repo.dir, ['release', 'T1', '--force', '-m', 'agent hung', '--worker', 'alice']);
    expect(run).toMatchObject({ code: 0, stdout: 'T1 released (todo)\n' });
    expect(notesOf('T1')).toEqual([expect.stringMatching(new RegExp(`^- ${ISO} released by alice \\(forced\\): agent hung$`))]);
    expect(parseLogLine(lastLogLine())).toMatchObject({ worker: 'w1', task: 'T1', event: 'released', detail: 'forced by alice: agent hung' });
    expect(repo.git('log', '-1', '--format=%s', 'main')).toBe('chore(backlog): T1 released by alice (forced) [skip ci]');
  });

  it('--blocked sets status blocked and logs blocked', () => {
    const lock = claimForOther();
    const run = runCrew(repo.dir, ['release', 'T1', '--token', lock.token, '--blocked', '-m', 'needs an API key']);
    expect(run).toMatchObject({ code: 0, stdout: 'T1 released (blocked)\n' });
    expect(repo.git('show', `main:${taskPath('T1')}`)).toMatch(/^status: blocked$/m);
    expect(notesOf('T1')).toEqual([expect.stringMatching(new RegExp(`^- ${ISO} blocked by user: needs an API key$`))]);
    expect(parseLogLine(lastLogLine())).toMatchObject({ worker: 'w1', task: 'T1', event: 'blocked', detail: 'needs an API key' });
    expect(runCrew(repo.dir, ['claim', '--next', '--worker', 'w2']).stdout).toMatch(/^T2 claimed by w2 /);
  });

  it('says so when the task is not locked (exit 4) and when it does not exist (exit 2)', () => {
    expect(runCrew(repo.dir, ['release', 'T2'])).toMatchObject({ code: 4, stderr: 'crew: T2 is not locked; there is nothing to release.\n' });
    expect(runCrew(repo.dir, ['release', 'T9']).code).toBe(2);
  });
});
