// The real Claude Code and Codex CLIs (pinned dev dependencies): every flag crewtree passes is in
// their own --help, and they accept crewtree's whole command line. No network: the model API is a
// closed port on 127.0.0.1.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claudeAgent } from '../../../src/agents/claude.js';
import { codexAgent } from '../../../src/agents/codex.js';
import { runAgent, runFiles } from '../../../src/agents/run-agent.js';
import type { AgentAdapter, AgentRunRequest } from '../../../src/agents/types.js';
import { agentSchema, configSchema } from '../../../src/config/schema.js';
import { projectRoot, tempRepo, type TempRepo } from '../../helpers/temp-repo.js';

const bin = (name: string) => join(projectRoot, 'node_modules', '.bin', name);
let home: string;
let repo: TempRepo;

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'crewtree-home-'));
  mkdirSync(join(home, '.codex'));
  repo = tempRepo();
});

afterAll(() => {
  repo.cleanup();
  rmSync(home, { recursive: true, force: true });
});

function help(name: string, args: string[]): string {
  return execFileSync(bin(name), args, { encoding: 'utf8', env: { ...process.env, HOME: home, CODEX_HOME: home }, timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The options in an argument list, up to `--`: `--allowedTools=a,b` is `--allowedTools`. */
function optionsIn(args: readonly string[]): string[] {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).filter((arg) => arg.startsWith('-') && arg !== '-').map((arg) => arg.split('=')[0] ?? arg);
}

const listed = (text: string, option: string) => new RegExp(`(^|[\\s,])${option.replace(/[-/\\^$*+?.()|[\]{}]/g, '\\$&')}(?=[\\s,=]|$)`, 'm').test(text);

function argsOf(adapter: AgentAdapter, model: string): string[] {
  const call = adapter.invocation({
    request: { agent: adapter.name, worktree: '/tmp/worktree', prompt: 'Do it.', taskBody: '', attempt: 1 },
    settings: agentSchema.parse({ model }),
    files: runFiles('/tmp/runs/A1/1.log'),
  });
  if ('error' in call) throw new Error(call.error);
  return call.args;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 9;
}

describe('claude --help lists what crewtree passes', () => {
  it('every option, and the values it gives them', () => {
    const text = help('claude', ['--help']);
    const options = optionsIn(argsOf(claudeAgent, 'sonnet'));
    expect(options).toEqual(['-p', '--output-format', '--verbose', '--permission-mode', '--allowedTools', '--model']);
    expect(options.filter((option) => !listed(text, option))).toEqual([]);
    expect(text).toMatch(/--output-format[\s\S]*"stream-json"/);
    expect(text).toMatch(/--permission-mode[\s\S]*"acceptEdits"/);
  });
});

describe('codex --help and codex exec --help list what crewtree passes', () => {
  it('-a before exec, the rest after it, with their values', () => {
    const args = argsOf(codexAgent, 'gpt-5-codex');
    const exec = args.indexOf('exec');
    expect(exec).toBe(2);
    const top = help('codex', ['--help']);
    const execHelp = help('codex', ['exec', '--help']);
    expect(optionsIn(args.slice(0, exec)).filter((option) => !listed(top, option))).toEqual([]);
    expect(optionsIn(args.slice(exec + 1))).toEqual(['--json', '-s', '-c', '-C', '-m']);
    expect(optionsIn(args.slice(exec + 1)).filter((option) => !listed(execHelp, option))).toEqual([]);
    expect(top).toMatch(/--ask-for-approval[\s\S]*never:/);
    expect(execHelp).toMatch(/--sandbox[\s\S]*workspace-write/);
  });
});

function realRequest(agent: string, port: number, config: Record<string, unknown>, overrides: Partial<AgentRunRequest> = {}): AgentRunRequest {
  return {
    agent,
    worktree: repo.dir,
    prompt: '--version is text here: add a file named hello.txt.',
    taskBody: '',
    attempt: 1,
    runLog: join(home, 'runs', agent, '1.log'),
    env: { HOME: home, CODEX_HOME: join(home, '.codex'), ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: `http://127.0.0.1:${port}` },
    timeoutMs: 60_000,
    idleMs: 60_000,
    config: configSchema.parse(config),
    ...overrides,
  };
}

describe('the real CLIs take crewtree\'s whole command line', () => {
  it('claude with its API unreachable fails fast, as the API\'s failure (waited out), not the agent\'s', async () => {
    const port = await closedPort();
    const result = await runAgent(realRequest('claude', port, { agents: { claude: { command: bin('claude') } } }));
    expect(result).toMatchObject({ ok: false, failure: 'transient', exitCode: 1, transient: { kind: 'unreachable' } });
    expect(result.durationMs).toBeLessThan(20_000);
  });

  it('codex with its provider unreachable keeps retrying until crewtree stops it, as the API\'s failure', async () => {
    const port = await closedPort();
    const provider = `model_providers.crewtree_test={name="crewtree test",base_url="http://127.0.0.1:${port}/v1",wire_api="responses",env_key="CREWTREE_TEST_KEY",request_max_retries=0,stream_max_retries=0}`;
    const config = { agents: { codex: { command: bin('codex'), model: 'test-model', flags: ['-c', provider, '-c', 'model_provider=crewtree_test'] } } };
    const request = realRequest('codex', port, config, { timeoutMs: 4000 });
    const result = await runAgent({ ...request, env: { ...request.env, CREWTREE_TEST_KEY: 'test-key' } });
    expect(result).toMatchObject({ ok: false, failure: 'transient', transient: { kind: 'unreachable' } });
  });

  it('codex fails its turn with a clear reason when the provider key is missing', async () => {
    const port = await closedPort();
    const provider = `model_providers.crewtree_test={name="crewtree test",base_url="http://127.0.0.1:${port}/v1",wire_api="responses",env_key="CREWTREE_MISSING_KEY"}`;
    const config = { agents: { codex: { command: bin('codex'), model: 'test-model', flags: ['-c', provider, '-c', 'model_provider=crewtree_test'] } } };
    const result = await runAgent(realRequest('codex', port, config, { timeoutMs: 30_000 }));
    expect(result).toMatchObject({ ok: false, failure: 'agent-error', reason: 'Missing environment variable: `CREWTREE_MISSING_KEY`.' });
  });
});
