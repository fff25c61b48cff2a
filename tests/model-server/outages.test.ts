// The real Claude Code and Codex CLIs meet a model API that rate limits, breaks or hangs: crewtree
// waits out the first two without spending an attempt, and stops the third at the idle limit.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isRunning } from '../integration/agents/process-tree.js';
import { crewAsync, realAgentsConfig, realAgentsProject, type ProjectOptions, type RealAgentsProject } from './real-agents-project.js';
import type { ModelScript } from './script.js';
import { startModelServer, type ModelServer } from './server.js';

vi.setConfig({ testTimeout: 240_000 });

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const DOUBLE = 'export const double = (n) => n * 2;\n';

async function setUp(script: ModelScript, options: Omit<ProjectOptions, 'serverUrl'>, extraConfig: string): Promise<{ server: ModelServer; project: RealAgentsProject }> {
  const server = await startModelServer(script);
  cleanups.push(() => server.close());
  const project = realAgentsProject({ ...options, serverUrl: server.url });
  cleanups.push(() => project.cleanup());
  // NOTE: codex retries a 5xx many times on its own; two tries per run keep the outage longer than one run.
  const config = realAgentsConfig({ ...options, serverUrl: server.url }).replace('env_key=\\"SCRIPTED_MODEL_KEY\\"', 'env_key=\\"SCRIPTED_MODEL_KEY\\",request_max_retries=1,stream_max_retries=1');
  project.repo.write('.crewtree/config.yaml', config + extraConfig);
  project.repo.commitAll('chore: outage settings');
  return { server, project };
}

interface Usage {
  attempts: { attempt: number; ok: boolean }[];
  waits?: { attempt: number; run: number; kind: string; reason: string }[];
}

const usageOf = (project: RealAgentsProject, id: string) => JSON.parse(readFileSync(join(project.repo.dir, '.git/crewtree/runs', id, 'usage.json'), 'utf8')) as Usage;
const taskEvents = (project: RealAgentsProject, id: string) =>
  project.repo
    .git('show', 'main:backlog/task.log')
    .split('\n')
    .filter((line) => line.includes(`| ${id} |`))
    .map((line) => line.split(' | ')[3] ?? '');

describe.each([
  // claude retries 3 times on its own (CLAUDE_CODE_MAX_RETRIES), codex twice here: the outage outlasts one run.
  { agent: 'claude' as const, status: 429 as const, count: 5, kind: 'rate-limit', shown: /waiting \(rate limited until \d\d:\d\d\)/ },
  // codex says a 500 is "high demand", which crewtree reads as an overloaded API.
  { agent: 'codex' as const, status: 500 as const, count: 4, kind: 'overloaded', shown: /waiting \(API overloaded until \d\d:\d\d\)/ },
])('$agent against an API answering $status $count times', ({ agent, status, count, kind, shown }) => {
  it('waits it out and lands the task with one attempt spent', async () => {
    const { server, project } = await setUp(
      { outage: { status, count, retryAfterSeconds: 1 }, conversations: [{ steps: [{ write: 'src/double.js', content: DOUBLE }, { reply: 'Added double().' }] }] },
      { agent, attempts: 1 },
      'backoff: 1s\noutage: 5m\n',
    );
    project.addTask('O1', 'Add double', 'Add `src/double.js` exporting `double(n)`.');

    const run = await crewAsync(project, ['work', '--agent', agent, '--worker', 'w1']);
    expect(run.stdout, run.stderr).toMatch(/^O1 done \([0-9a-f]{8} on main\)$/m);
    expect(run.code).toBe(0);
    expect(server.requests.filter((request) => request.main && request.status === status)).toHaveLength(count);
    expect(run.stdout).toMatch(shown);

    const { repo } = project;
    expect(repo.git('show', 'main:src/double.js')).toBe(DOUBLE.trimEnd());
    expect(repo.git('show', 'main:backlog/tasks/O1-task.md')).toMatch(/^status: done$/m);
    expect(taskEvents(project, 'O1')).not.toContain('agent-failed');
    const usage = usageOf(project, 'O1');
    expect(usage.attempts).toEqual([expect.objectContaining({ attempt: 1, ok: true })]);
    expect(usage.waits?.length).toBeGreaterThanOrEqual(1);
    expect(usage.waits?.every((wait) => wait.attempt === 1 && wait.kind === kind)).toBe(true);
    // Every run's log is kept: the first of attempt 1, then the one after the wait.
    const runs = join(repo.dir, '.git/crewtree/runs/O1');
    expect(existsSync(join(runs, '1.log'))).toBe(true);
    expect(existsSync(join(runs, '1-2.log'))).toBe(true);
  });
});

describe('an API that never ends its long outage', () => {
  it('releases the task back to todo (never blocked) once outage: is spent', async () => {
    const { project } = await setUp(
      { outage: { status: 429, count: 1000, retryAfterSeconds: 1 }, conversations: [] },
      { agent: 'codex', attempts: 1 },
      'backoff: 1s\noutage: 2s\n',
    );
    project.addTask('O2', 'Add double', 'Add `src/double.js`.');
    const run = await crewAsync(project, ['work', '--agent', 'codex', '--worker', 'w1']);
    expect(run.stdout).toMatch(/^O2 released: released after waiting out its agent's API: codex: rate limited for/m);
    const task = project.repo.git('show', 'main:backlog/tasks/O2-task.md');
    expect(task).toMatch(/^status: todo$/m);
    expect(task).not.toMatch(/^lock:/m);
    expect(usageOf(project, 'O2').attempts).toEqual([]);
  });
});

describe('a model API that accepts the request and never answers', () => {
  it('stops claude at the idle limit and says which task, which agent and how long', async () => {
    const { server, project } = await setUp({ hang: true, conversations: [] }, { agent: 'claude', attempts: 1, claudeExtra: 'idle: 8s' }, '');
    project.addTask('H1', 'Add double', 'Add `src/double.js`.');
    const started = Date.now();
    const run = await crewAsync(project, ['work', '--agent', 'claude', '--worker', 'w1']);
    const elapsed = Date.now() - started;
    expect(server.requests.some((request) => request.main && request.status === 0)).toBe(true);
    expect(run.stdout).toMatch(/H1 agent \(attempt 1\): claude failed: no output for 8s/);
    expect(run.stdout).toMatch(/^H1 blocked: blocked after attempt 1: agent claude failed: no output for 8s/m);
    // 8 s of silence after claude's first words, plus the claim, the start and the landing of the note.
    expect(elapsed).toBeLessThan(60_000);
    const log = readFileSync(join(project.repo.dir, '.git/crewtree/runs/H1/1.log'), 'utf8');
    const pid = Number(/pid (\d+)/.exec(log)?.[1] ?? 0);
    if (pid > 0) expect(isRunning(pid)).toBe(false);
  });
});
