// `--json` on run, work, merge and dispatch: NDJSON on stdout, one event per line and nothing
// else, each task's task-log events in the order task.log records them.
import { describe, expect, it } from 'vitest';
import { addScriptTask, nodeProjectPerTest } from '../helpers/node-project.js';
import { waitForExit } from '../helpers/process-gone.js';
import { runCrew, type TempRepo } from '../helpers/temp-repo.js';

interface Line {
  type: string;
  time: string;
  [field: string]: unknown;
}

const project = nodeProjectPerTest();

/** Every stdout line parsed as JSON; a line that is not one fails the test. */
function ndjson(stdout: string): Line[] {
  expect(stdout.endsWith('\n'), 'stdout ends with a newline').toBe(true);
  return stdout
    .slice(0, -1)
    .split('\n')
    .map((line) => {
      const event = JSON.parse(line) as Line;
      expect(typeof event.type, line).toBe('string');
      expect(new Date(event.time).toISOString(), line).toBe(event.time);
      return event;
    });
}

/** One task's lines of main's task log, as [event, detail]. */
function logOf(repo: TempRepo, id: string): [string, string][] {
  return repo
    .git('show', 'main:backlog/task.log')
    .split('\n')
    .map((line) => line.split(' | '))
    .filter((fields) => fields[2] === id)
    .map((fields) => [fields[3] ?? '', fields[4] ?? '']);
}

function taskEventsOf(events: Line[], id: string): [string, string][] {
  return events.filter((event) => event.type === 'task' && event.task === id).map((event) => [String(event.event), String(event.detail)]);
}

const fileTask = (name: string) => `echo ${name} > src/${name}.txt`;

describe('--json streams NDJSON events', () => {
  it('crew run --json: each task from claim to landing, in task.log order, then the summary', () => {
    const repo = project();
    addScriptTask(repo, { id: 'T1', title: 'One' }, fileTask('one'));
    addScriptTask(repo, { id: 'T2', title: 'Two' }, fileTask('two'));
    repo.commitAll('chore: two tasks');
    const run = runCrew(repo.dir, ['run', '-j', '2', '--agent', 'script', '--until-empty', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const events = ndjson(run.stdout);
    for (const id of ['T1', 'T2']) {
      const logged = logOf(repo, id);
      expect(logged.map(([event]) => event)).toEqual(['started', 'setup', 'gate-passed', 'committed', 'queued', 'merged', 'done']);
      expect(taskEventsOf(events, id)).toEqual(logged);
      const phases = events.filter((event) => event.type === 'worker' && event.task === id).map((event) => event.phase);
      expect(phases).toEqual(['setup', 'agent', 'gate', 'landing', 'done']);
    }
    const settled = events.filter((event) => event.type === 'queue' && event.step === 'settled');
    expect(settled.map((event) => [event.tasks, event.outcome]).sort()).toEqual([[['T1'], 'landed'], [['T2'], 'landed']]);
    expect(events.at(-1)).toMatchObject({ type: 'finished', command: 'run', exitCode: 0, result: { blocked: [], review: [], tokens: null } });
    expect(((events.at(-1)?.result as { done: string[] }).done ?? []).sort()).toEqual(['T1', 'T2']);
    // Times never go backwards within one task's events.
    const times = events.filter((event) => event.task === 'T1').map((event) => event.time);
    expect(times).toEqual([...times].sort());
  }, 90_000);

  it('crew work --json: the task events in task.log order and the landed commit', () => {
    const repo = project();
    addScriptTask(repo, { id: 'W1', title: 'Work' }, fileTask('work'));
    repo.commitAll('chore: a task');
    const run = runCrew(repo.dir, ['work', '--worker', 'w1', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const events = ndjson(run.stdout);
    // Main's gate first (README "When things go wrong"), then the claim.
    expect(events.slice(0, 2)).toMatchObject([
      { type: 'worker', worker: 'w1', phase: 'gate', detail: expect.stringMatching(/^main first \([0-9a-f]{8}\): /) },
      { type: 'worker', worker: 'w1', phase: 'claiming' },
    ]);
    expect(taskEventsOf(events, 'W1')).toEqual(logOf(repo, 'W1'));
    expect(events.at(-1)).toEqual({ type: 'finished', time: expect.any(String), command: 'work', exitCode: 0, result: { result: 'done', task: 'W1', commit: repo.git('rev-parse', 'main') } });
  }, 60_000);

  it('crew merge --json: a task at review approved, gated and landed; an empty queue is one line', () => {
    const repo = project();
    addScriptTask(repo, { id: 'R1', title: 'Reviewed', review: true }, fileTask('reviewed'));
    repo.commitAll('chore: a task for review');
    expect(runCrew(repo.dir, ['work', '--worker', 'w1']).code).toBe(0);
    const run = runCrew(repo.dir, ['merge', 'R1', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const events = ndjson(run.stdout);
    const logged = logOf(repo, 'R1');
    expect(logged.map(([event]) => event)).toEqual(['started', 'setup', 'gate-passed', 'committed', 'review', 'approved', 'queued', 'merged', 'done']);
    expect(taskEventsOf(events, 'R1')).toEqual(logged.slice(5));
    // NOTE: the merge's tree is the tip's, gated at review: the queue reuses that result.
    expect(events.filter((event) => event.type === 'queue').map((event) => [event.step, event.tasks, event.ok ?? event.outcome ?? null])).toEqual([
      ['batch', ['R1'], null],
      ['gated', ['R1'], true],
      ['settled', ['R1'], 'landed'],
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'finished', command: 'merge', exitCode: 0, result: { id: 'R1', kind: 'landed', commit: repo.git('rev-parse', 'main') } });

    const empty = runCrew(repo.dir, ['merge', '--json']);
    expect(empty.code).toBe(3);
    const lines = ndjson(empty.stdout);
    expect(lines).toEqual([{ type: 'finished', time: expect.any(String), command: 'merge', exitCode: 3, result: { results: [], gateRuns: 0, batches: 0 } }]);
  }, 90_000);

  it('crew dispatch --json: the created task and the background worker it started', async () => {
    const repo = project();
    const run = runCrew(repo.dir, ['dispatch', 'Greet\n\n```crew-script\necho hi > src/hi.txt\n```', '--agent', 'script', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const events = ndjson(run.stdout);
    expect(events.map((event) => event.type)).toEqual(['task', 'finished']);
    expect(events[0]).toMatchObject({ task: 'T1', worker: 'dispatch', event: 'created', detail: 'Greet' });
    expect(events[1]).toMatchObject({ command: 'dispatch', exitCode: 0, result: { id: 'T1', pid: expect.any(Number), log: expect.stringMatching(/runs\/T1\/dispatch\.log$/) } });
    // NOTE: the background worker finishes before the repository is removed.
    let events_ = '';
    for (let i = 0; i < 120 && !/\| T1 \| done \|/.test(events_); i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      events_ = repo.git('show', 'main:backlog/task.log');
    }
    expect(events_).toMatch(/\| T1 \| done \|/);
    // NOTE: and its process has ended: after `done` it still removes its worktree and status file
    // under .git, and a cleanup racing it fails with ENOTEMPTY.
    expect(await waitForExit(Number((events[1] as { result?: { pid?: number } }).result?.pid))).toBe(true);
  }, 60_000);
});
