// The real Claude Code and Codex CLIs (pinned dev dependencies) driven by the built `crew work`,
// offline: a scripted model server on 127.0.0.1 plays the model, the CLIs do the rest (their own
// tools, permissions and sandbox), and crewtree gates, commits and lands what they leave.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { crewAsync, realAgentsProject, runAsync, type ProjectOptions, type RealAgentsProject } from '../model-server/real-agents-project.js';
import { crewBin } from '../helpers/temp-repo.js';
import { startModelServer, type ModelServer } from '../model-server/server.js';
import type { ModelScript } from '../model-server/script.js';

// NOTE: a real CLI run takes a few seconds; on a loaded two-core machine a whole task can take 20.
vi.setConfig({ testTimeout: 120_000 });

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(script: ModelScript, options: Omit<ProjectOptions, 'serverUrl'>): Promise<{ server: ModelServer; project: RealAgentsProject }> {
  const server = await startModelServer(script);
  cleanups.push(() => server.close());
  const project = realAgentsProject({ ...options, serverUrl: server.url });
  cleanups.push(() => project.cleanup());
  return { server, project };
}

const DOUBLE = 'export const double = (n) => n * 2;\n';
const DOUBLE_TEST = "import test from 'node:test';\nimport assert from 'node:assert/strict';\nimport { double } from '../src/double.js';\n\ntest('double', () => assert.equal(double(2), 4));\n";
const DOUBLE_TASK = 'Add `src/double.js` exporting `double(n)`, which returns twice `n`, with a test in `test/double.test.js`.';

interface Usage {
  attempts: { attempt: number; agent: string; ok: boolean; reason?: string; finalMessage?: string; usage?: { inputTokens: number; outputTokens: number; costUsd?: number } }[];
  totals: { inputTokens: number; outputTokens: number; costUsd: number };
}

function usageOf(project: RealAgentsProject, id: string): Usage {
  return JSON.parse(readFileSync(join(project.repo.dir, '.git/crewtree/runs', id, 'usage.json'), 'utf8')) as Usage;
}

function runLog(project: RealAgentsProject, id: string, attempt: number): string {
  return readFileSync(join(project.repo.dir, '.git/crewtree/runs', id, `${attempt}.log`), 'utf8');
}

/** Every file under `dir` except git's own, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() || entry.isSymbolicLink())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .filter((path) => path !== '.git' && !path.startsWith('.git/') && !path.startsWith('backlog/'))
    .sort();
}

function taskEvents(project: RealAgentsProject, id: string): string[] {
  return project.repo
    .git('show', 'main:backlog/task.log')
    .split('\n')
    .filter((line) => line.includes(`| ${id} |`))
    .map((line) => line.split(' | ')[3] ?? '');
}

describe.each(['claude', 'codex'] as const)('crew work --agent %s with the real CLI', (agent) => {
  it('writes a file and its test, passes the gate, lands on main, and records the tokens and the final message', async () => {
    const reply = `Added double() in src/double.js with its test; node --test passes (${agent}).`;
    const { server, project } = await setUp(
      {
        conversations: [
          {
            promptIncludes: ['src/double.js', 'node --test test/'],
            steps: [
              { write: 'src/double.js', content: DOUBLE, usage: { input: 2100, output: 60 } },
              { write: 'test/double.test.js', content: DOUBLE_TEST, usage: { input: 2300, output: 140, cacheRead: 2000 } },
              { run: 'node --test test/', usage: { input: 2500, output: 30, cacheRead: 2200 } },
              { reply, usage: { input: 2900, output: 45, cacheRead: 2400 } },
            ],
          },
        ],
      },
      { agent },
    );
    project.addTask('R1', 'Add double', DOUBLE_TASK);

    const run = await crewAsync(project, ['work', '--agent', agent, '--worker', 'w1']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^R1 done \([0-9a-f]{8} on main\)$/m);
    expect(run.code).toBe(0);
    expect(server.problems).toEqual([]);

    const { repo } = project;
    expect(repo.git('show', 'main:src/double.js')).toBe(DOUBLE.trimEnd());
    expect(repo.git('show', 'main:test/double.test.js')).toBe(DOUBLE_TEST.trimEnd());
    expect(repo.git('log', '--format=%s', 'main')).toContain('feat(R1): Add double');
    const task = repo.git('show', 'main:backlog/tasks/R1-task.md');
    expect(task).toMatch(/^status: done$/m);
    expect(task).not.toMatch(/^lock:/m);
    expect(taskEvents(project, 'R1')).toEqual(['started', 'setup', 'gate-passed', 'committed', 'queued', 'merged', 'done']);

    // The agent was given the task and the gate, and really ran the tests it wrote.
    expect(server.prompts()).toHaveLength(1);
    expect(server.prompts()[0]).toContain(DOUBLE_TASK);
    const afterTests = server.requests.filter((request) => request.main && request.turn === 3);
    expect(JSON.stringify(afterTests.at(-1)?.body)).toMatch(/pass 2/);

    const usage = usageOf(project, 'R1');
    expect(usage.attempts).toHaveLength(1);
    expect(usage.attempts[0]).toMatchObject({ attempt: 1, agent, ok: true, finalMessage: reply });
    expect(server.totals()).toEqual({ inputTokens: 9800, outputTokens: 275 });
    expect(usage.totals).toMatchObject(server.totals());
    expect(usage.attempts[0]?.usage).toMatchObject(server.totals());
    if (agent === 'claude') expect(usage.totals.costUsd).toBeGreaterThan(0);
    else expect(usage.totals.costUsd).toBe(0);

    const log = runLog(project, 'R1', 1);
    expect(log).toContain(`message:  ${reply}\n`);
    expect(log).toContain(`usage:    9,800 input tokens (6,600 from cache), 275 output tokens`);
    const shown = await crewAsync(project, ['log', 'R1']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`final message: ${reply}`);
  });
  it('hands the red gate back: the second attempt is told the failure and fixes it', async () => {
    const wrong = 'export const double = (n) => n * 3;\n';
    const { server, project } = await setUp(
      {
        conversations: [
          { steps: [{ write: 'src/double.js', content: wrong }, { write: 'test/double.test.js', content: DOUBLE_TEST }, { reply: 'Added double().' }] },
          { promptIncludes: ['6 !== 4'], steps: [{ write: 'src/double.js', content: DOUBLE }, { run: 'node --test test/' }, { reply: 'Fixed double(): it doubled by three.' }] },
        ],
      },
      { agent },
    );
    project.addTask('R2', 'Add double', DOUBLE_TASK);

    const run = await crewAsync(project, ['work', '--agent', agent, '--worker', 'w1']);
    expect(run.stdout).toMatch(/^R2 done \([0-9a-f]{8} on main\)$/m);
    expect(run.code).toBe(0);
    expect(server.problems).toEqual([]);
    const [first, second] = server.prompts();
    expect(server.prompts()).toHaveLength(2);
    expect(first).not.toContain('6 !== 4');
    expect(second).toContain('node --test test/');
    expect(second).toMatch(/# Your previous attempt failed\n+`node --test test\/` failed[\s\S]*Expected values to be strictly equal:\s+6 !== 4/);
    expect(project.repo.git('show', 'main:src/double.js')).toBe(DOUBLE.trimEnd());
    expect(taskEvents(project, 'R2')).toEqual(['started', 'setup', 'gate-failed', 'gate-passed', 'committed', 'queued', 'merged', 'done']);
    const usage = usageOf(project, 'R2');
    expect(usage.attempts.map((attempt) => [attempt.attempt, attempt.ok, attempt.finalMessage])).toEqual([
      [1, true, 'Added double().'],
      [2, true, 'Fixed double(): it doubled by three.'],
    ]);
    expect(usage.totals).toMatchObject(server.totals());
    expect(usage.attempts[1]?.usage).toMatchObject(server.totals(1));
  });

  it('keeps the agent inside its worktree: writes beside it, in the main checkout and above it are refused', async () => {
    const name = `escaped-${agent}-${process.pid}.txt`;
    const escapes = [`../../${name}`, `../../../../${name}`, `../../../../../${name}`];
    const shellEscape = agent === 'codex' ? [{ run: `echo escaped > ../../sh-${name}` }] : [];
    const { server, project } = await setUp(
      {
        conversations: [
          {
            steps: [
              ...escapes.map((path) => ({ write: path, content: 'escaped\n' })),
              ...shellEscape,
              { write: 'src/inside.js', content: 'export const inside = true;\n' },
              { reply: 'Wrote src/inside.js.' },
            ],
          },
        ],
      },
      { agent },
    );
    project.addTask('R4', 'Stay inside', 'Write `src/inside.js`.');
    const { repo } = project;
    const before = filesUnder(repo.dir);
    const worktree = join(repo.dir, '.worktrees/ai/w1/R4-stay-inside');

    const run = await crewAsync(project, ['work', '--agent', agent, '--worker', 'w1']);
    expect(run.stdout).toMatch(/^R4 done \([0-9a-f]{8} on main\)$/m);
    expect(run.code).toBe(0);
    expect(server.problems).toEqual([]);
    expect(repo.git('show', 'main:src/inside.js')).toBe('export const inside = true;');
    for (const path of escapes) expect(existsSync(join(worktree, path))).toBe(false);
    expect(existsSync(join(repo.dir, '.worktrees/ai', `sh-${name}`))).toBe(false);
    // Nothing else changed outside the worktree: the main checkout gained only what landed.
    const after = filesUnder(repo.dir);
    expect(after.filter((file) => !before.includes(file))).toEqual(['src/inside.js']);
    expect(before.filter((file) => !after.includes(file))).toEqual([]);
    expect(readdirSync(dirname(repo.dir)).filter((entry) => entry.includes(name))).toEqual([]);
    expect(repo.git('status', '--porcelain')).toBe('');

    // The CLI itself refused each write, and said so to the model.
    const refusals = server.requests.filter((request) => request.main && (request.turn ?? 0) >= 1 && (request.turn ?? 0) <= escapes.length + shellEscape.length);
    expect(refusals).toHaveLength(escapes.length + shellEscape.length);
    if (agent === 'claude') {
      for (const request of refusals) expect(JSON.stringify(request.body)).toMatch(/Claude requested permissions to write to [^"]*escaped-claude/);
      const warnings = runLog(project, 'R4', 1).split('\n').filter((line) => line.startsWith('warning:'));
      expect(warnings).toEqual(escapes.map((path) => `warning:  claude was refused Write(${join(worktree, path)})`));
    } else {
      const said = refusals.map((request) => JSON.stringify((request.body as { input: unknown[] }).input.at(-1)));
      for (const text of said.slice(0, escapes.length)) expect(text).toContain('patch rejected: writing outside of the project');
      expect(said.at(-1)).toContain(`../../sh-${name}: Read-only file system`);
    }
  });
});

describe('the model API goes away in the middle of a run', () => {
  const partialWork: ModelScript = { conversations: [{ steps: [{ write: 'src/partial.js', content: 'export const partial = true;\n' }, { hangUp: true }] }] };

  /** Waited out, then released back to todo (never blocked): no attempt spent, no lock, the partial file kept on the branch. */
  async function expectReleasedKeepingWork(agent: 'claude' | 'codex', extra: Partial<ProjectOptions>): Promise<void> {
    const { server, project } = await setUp(partialWork, { agent, attempts: 1, ...extra });
    project.repo.write('.crewtree/config.yaml', `${project.repo.read('.crewtree/config.yaml')}backoff: 1s\noutage: 3s\n`);
    project.repo.commitAll('chore: a short outage limit');
    project.addTask('R3', 'Add double', DOUBLE_TASK);
    const run = await crewAsync(project, ['work', '--agent', agent, '--worker', 'w1']);
    expect(server.problems).toEqual([]);
    expect(run.stdout).toMatch(new RegExp(`^R3 released: released after waiting out its agent's API: ${agent}: API unreachable`, 'm'));
    const { repo } = project;
    const task = repo.git('show', 'main:backlog/tasks/R3-task.md');
    expect(task).toMatch(/^status: todo$/m);
    expect(task).not.toMatch(/^lock:/m);
    const branch = 'ai/w1/R3-add-double';
    expect(repo.git('show', `${branch}:src/partial.js`)).toBe('export const partial = true;');
    expect(existsSync(join(repo.dir, '.worktrees/ai/w1/R3-add-double'))).toBe(false);
    expect(usageOf(project, 'R3').attempts).toEqual([]);
    expect(taskEvents(project, 'R3')).not.toContain('blocked');
  }

  it('claude: its refused connections are waited out and the task goes back to todo, its work on the branch', async () => {
    await expectReleasedKeepingWork('claude', {});
  });

  it('codex: its reconnecting is waited out and the task goes back to todo, its work on the branch', async () => {
    await expectReleasedKeepingWork('codex', { codexExtra: 'timeout: 8s' });
  });
});

describe('crew doctor with the real CLIs on PATH', () => {
  it('shows their versions and that they look logged in through the config, without sending a request', async () => {
    const { server, project } = await setUp({ conversations: [] }, { agent: 'codex' });
    const run = await crewAsync(project, ['doctor']);
    const lines = run.stdout.split('\n');
    const claude = lines.findIndex((line) => /^ {7}claude {4}2\.1\.330 \(Claude Code\) .*node_modules\/\.bin\/claude$/.test(line));
    const codex = lines.findIndex((line) => /^ {7}codex {5}codex-cli 0\.169\.0 .*node_modules\/\.bin\/codex$/.test(line));
    expect(lines[claude + 1]).toBe(`${' '.repeat(17)}looks logged in: ANTHROPIC_API_KEY is set (API at ${server.url})`);
    expect(lines[codex + 1]).toBe(`${' '.repeat(17)}looks logged in: model provider scripted from crewtree's config, key in SCRIPTED_MODEL_KEY`);
    expect(server.requests).toEqual([]);
  });
});

/** A user without privileges: `nobody` when the tests run as root, else whoever runs them. */
const NOBODY = 65534;
const normalUid = process.getuid?.() === 0 ? NOBODY : (process.getuid?.() ?? NOBODY);

/** What the last tool call printed, as the CLI handed it back to the model. */
function lastToolOutput(server: ModelServer): string {
  const body = server.requests.filter((request) => request.main).at(-1)?.body as { messages?: { content: { content?: unknown }[] }[]; input?: { output?: unknown }[] };
  const output = body.messages ? body.messages.at(-1)?.content.at(-1)?.content : body.input?.at(-1)?.output;
  return typeof output === 'string' ? output : JSON.stringify(output);
}

describe.each(['claude', 'codex'] as const)('%s as a normal user', (agent) => {
  it('lands the task when crewtree and the CLI run without root', async () => {
    const { server, project } = await setUp(
      { conversations: [{ steps: [{ write: 'src/double.js', content: DOUBLE }, { run: 'id -u' }, { reply: 'Added double().' }] }] },
      { agent },
    );
    project.addTask('R5', 'Add double', DOUBLE_TASK);
    const asUser = process.getuid?.() === 0;
    if (asUser) execFileSync('chown', ['-R', `${NOBODY}:${NOBODY}`, project.repo.dir, project.home]);
    const args = [crewBin, 'work', '--agent', agent, '--worker', 'w1'];
    const run = asUser
      ? await runAsync('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, ...args], { cwd: project.repo.dir, env: project.env })
      : await crewAsync(project, args.slice(1));
    // NOTE: git refuses a repository another user owns; give it back before reading it.
    if (asUser) execFileSync('chown', ['-R', '0:0', project.repo.dir, project.home]);
    expect(run.stdout).toMatch(/^R5 done \([0-9a-f]{8} on main\)$/m);
    expect(run.code).toBe(0);
    expect(server.problems).toEqual([]);
    expect(lastToolOutput(server)).toMatch(new RegExp(`(^|\\n)${normalUid}(\\n|$)`));
    expect(project.repo.git('show', 'main:src/double.js')).toBe(DOUBLE.trimEnd());
  });
});
