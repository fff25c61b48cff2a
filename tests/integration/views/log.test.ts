import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crewBin, runCrew } from '../../helpers/temp-repo.js';
import { fixedBacklogRepo, HOST, TASK_LOG, type FixedBacklog } from './fixed-backlog.js';

const env = { CREWTREE_HOST: HOST };

describe('crew log', () => {
  let fixture: FixedBacklog;
  beforeAll(() => {
    fixture = fixedBacklogRepo();
  });
  afterAll(() => fixture.repo.cleanup());

  it('prints the whole task log without an id', () => {
    const run = runCrew(fixture.repo.dir, ['log'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(TASK_LOG);
  });

  it('with an id: exactly that task\'s lines, each attempt with tokens and final message, then its run logs', () => {
    const run = runCrew(fixture.repo.dir, ['log', 'a1'], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        '2025-12-02 11:00:00 UTC | user | A1 | created | Add members list',
        '2025-12-02 11:03:23 UTC | dev-1 | A1 | started | picked from backlog',
        '2025-12-02 11:04:00 UTC | dev-1 | A1 | gate-failed | npm test: 1 failing (see A10 notes)',
        '',
        'attempt 1 · dev-1 · script · ok · gate failed · 2025-12-02 11:03:50 UTC',
        '  tokens: 1,200 input tokens, 300 output tokens, $0.0100',
        '  final message: Wrote the list.',
        'attempt 2 · dev-1 · script · ok · gate passed · 2025-12-02 11:04:30 UTC',
        '  tokens: 800 input tokens, 200 output tokens, $0.0050',
        '  final message: Fixed the failing test.',
        'total: 2,000 input tokens, 500 output tokens, $0.0150',
        '',
        '===== .git/crewtree/runs/A1/1.log =====',
        'crewtree run: agent script, attempt 1',
        '----- output -----',
        'wrote members.js',
        '',
        '===== .git/crewtree/runs/A1/1.gate.log =====',
        '$ npm test',
        '1 failing',
        '',
        '===== .git/crewtree/runs/A1/2.log =====',
        'crewtree run: agent script, attempt 2',
        '----- output -----',
        'fixed the test',
        '',
      ].join('\n'),
    );
  });

  it('--json gives the events and runs; an unknown id is a usage error', () => {
    const run = runCrew(fixture.repo.dir, ['log', 'A10', '--json'], env);
    const view = JSON.parse(run.stdout);
    expect(view.task).toBe('A10');
    expect(view.events.map((e: { worker: string; event: string }) => `${e.worker} ${e.event}`)).toEqual(['user created', 'dev-3 started']);
    expect(view.runs).toMatchObject({ dir: '.git/crewtree/runs/A10', attempts: [], files: [] });
    const missing = runCrew(fixture.repo.dir, ['log', 'Z9'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('There is no task Z9 in the backlog or the task log.');
  });

  it('-f prints the line a later claim appends, and only that task\'s lines; Ctrl-C stops it with exit 0', async () => {
    const child = spawn(process.execPath, [crewBin, 'log', 'A10', '-f'], { cwd: fixture.repo.dir, env: { ...process.env, ...env, NO_COLOR: '1' } });
    let output = '';
    const seen = (text: string) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for "${text}"; output so far:\n${output}`)), 30_000);
        const check = () => {
          if (!output.includes(text)) return;
          clearTimeout(timer);
          child.stdout.off('data', check);
          resolve();
        };
        child.stdout.on('data', check);
        check();
      });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await seen('| dev-3 | A10 | started |');
    expect(runCrew(fixture.repo.dir, ['task', 'add', 'Another task', '--id', 'B1'], env).code).toBe(0);
    expect(runCrew(fixture.repo.dir, ['claim', 'A10', '--worker', 'dev-7', '--pid', String(process.pid)], env).code).toBe(0);
    await seen('| dev-7 | A10 | started |');
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    const lines = output.trimEnd().split('\n');
    expect(lines.slice(0, 2)).toEqual(TASK_LOG.split('\n').filter((line) => line.includes('| A10 |')));
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \| dev-7 \| A10 \| started \| /);
  });
});
