import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAgent } from '../../../src/agents/run-agent.js';
import type { AgentRunRequest } from '../../../src/agents/types.js';
import { configSchema } from '../../../src/config/schema.js';
import { projectRoot, tempRepo, type TempRepo } from '../../helpers/temp-repo.js';

const fakeAgents = join(projectRoot, 'tests', 'fixtures', 'fake-agents');

interface Call {
  agent: string;
  argv: string[];
  cwd: string;
  stdin: string;
  env: Record<string, string>;
}

let repo: TempRepo;
let scratch: string;
let prompt: string;

beforeEach(() => {
  repo = tempRepo();
  scratch = mkdtempSync(join(tmpdir(), 'crewtree-agents-'));
  // Every character a shell would act on, and a first line that looks like a flag.
  prompt = `--version\nTask A1: add the endpoint.\n$(touch ${scratch}/pwned); rm -rf ~ \`touch ${scratch}/pwned-too\`\n"double" and 'single' quotes, a tab\tand ünïcode.`;
});

afterEach(() => {
  repo.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

function request(agent: string, overrides: Partial<AgentRunRequest> = {}, config: Record<string, unknown> = {}): AgentRunRequest {
  return {
    agent,
    worktree: repo.dir,
    prompt,
    taskBody: 'Add the endpoint.',
    attempt: 1,
    runLog: join(scratch, 'runs', 'A1', '1.log'),
    env: {
      PATH: `${fakeAgents}:${process.env.PATH ?? ''}`,
      FAKE_AGENT_RECORD: join(scratch, 'calls.jsonl'),
      CREWTREE_TASK_ID: 'A1',
      CREWTREE_ATTEMPT: '1',
      PORT: '4101',
    },
    timeoutMs: 30_000,
    idleMs: 30_000,
    config: configSchema.parse(config),
    ...overrides,
  };
}

function calls(): Call[] {
  return readFileSync(join(scratch, 'calls.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Call);
}

describe('each agent CLI on PATH is run in the worktree with its documented flags and the full prompt', () => {
  it('claude: -p, stream-json, acceptEdits with allowed tools, config model, flags and env', async () => {
    const config = { agents: { claude: { model: 'sonnet', flags: ['--max-budget-usd', '2'], env: { FROM_CONFIG: 'yes' } } } };
    const result = await runAgent(request('claude', {}, config));
    const [call] = calls();
    expect(call?.argv).toEqual([
      '-p',
      '--output-format',
      'stream-json',
      '--verbose',
      '--permission-mode',
      'acceptEdits',
      '--allowedTools=Bash',
      '--model',
      'sonnet',
      '--max-budget-usd',
      '2',
      '--',
      prompt,
    ]);
    expect(call?.cwd).toBe(realpathSync(repo.dir));
    expect(call?.stdin).toBe('');
    expect(call?.env).toEqual({
      PWD: repo.dir,
      PORT: '4101',
      CREWTREE_TASK_ID: 'A1',
      CREWTREE_ATTEMPT: '1',
      CREWTREE_PROMPT_FILE: join(scratch, 'runs', 'A1', '1.prompt.md'),
      CLAUDE_CODE_MAX_RETRIES: '3',
      FROM_CONFIG: 'yes',
    });
    expect(result).toMatchObject({
      ok: true,
      exitCode: 0,
      finalMessage: 'fake claude: done',
      usage: { inputTokens: 6000, outputTokens: 340, cacheReadTokens: 4500, cacheWriteTokens: 300, costUsd: 0.0421 },
    });
    expect(readFileSync(join(scratch, 'runs', 'A1', '1.prompt.md'), 'utf8')).toBe(prompt);
    expect(existsSync(join(scratch, 'pwned'))).toBe(false);
    expect(existsSync(join(scratch, 'pwned-too'))).toBe(false);
  });

  it('codex: -a never before exec, --json, workspace-write, -C the worktree', async () => {
    const result = await runAgent(request('codex', {}, { agents: { codex: { model: 'gpt-5-codex' } } }));
    const [call] = calls();
    expect(call?.argv).toEqual(['-a', 'never', 'exec', '--json', '-s', 'workspace-write', '-c', 'sandbox_workspace_write.exclude_slash_tmp=true', '-C', repo.dir, '-m', 'gpt-5-codex', '--', prompt]);
    expect(call?.cwd).toBe(realpathSync(repo.dir));
    expect(result).toMatchObject({ ok: true, finalMessage: 'fake codex: done', usage: { inputTokens: 2100, outputTokens: 210, cacheReadTokens: 1000 } });
  });

  it('gemini: stream-json, approval mode yolo, the prompt as --prompt=', async () => {
    const result = await runAgent(request('gemini'));
    const [call] = calls();
    expect(call?.argv).toEqual(['--output-format', 'stream-json', '--approval-mode', 'yolo', '--skip-trust', `--prompt=${prompt}`]);
    expect(call?.cwd).toBe(realpathSync(repo.dir));
    expect(result).toMatchObject({ ok: true, finalMessage: 'fake gemini: done', usage: { inputTokens: 900, outputTokens: 90 } });
  });

  it('aider: one message, yes to all, no commits, history files beside the run log', async () => {
    const result = await runAgent(request('aider'));
    const [call] = calls();
    expect(call?.argv).toEqual([
      '--yes-always',
      '--no-auto-commits',
      '--no-gitignore',
      '--no-check-update',
      '--no-analytics',
      '--no-pretty',
      '--chat-history-file',
      join(scratch, 'runs', 'A1', '1.aider.chat.md'),
      '--input-history-file',
      join(scratch, 'runs', 'A1', '1.aider.input'),
      `--message=${prompt}`,
    ]);
    expect(call?.cwd).toBe(realpathSync(repo.dir));
    // aider prints free text, no final message of its own: its reply stays in the run log.
    expect(result).toMatchObject({ ok: true, finalMessage: undefined, usage: { inputTokens: 1500, outputTokens: 150, costUsd: 0.003 } });
  });

  it('opencode: run --format json, the prompt on stdin, PWD the worktree', async () => {
    const result = await runAgent(request('opencode'));
    const [call] = calls();
    expect(call?.argv).toEqual(['run', '--format', 'json']);
    expect(call?.stdin).toBe(prompt);
    expect(call?.cwd).toBe(realpathSync(repo.dir));
    expect(call?.env.PWD).toBe(repo.dir);
    expect(result).toMatchObject({ ok: true, finalMessage: 'fake opencode: done', usage: { inputTokens: 700, outputTokens: 70, costUsd: 0.007 } });
  });

  it('command: a custom agent from config gets the prompt file, its own args and env', async () => {
    const config = { agents: { mybot: { command: join(fakeAgents, 'codex'), args: ['--prompt-file', '{prompt_file}', '--try', '{attempt}'], env: { FROM_CONFIG: 'mybot' } } } };
    const result = await runAgent(request('mybot', { attempt: 2, runLog: join(scratch, 'runs', 'A1', '2.log') }, config));
    const [call] = calls();
    expect(call?.argv).toEqual(['--prompt-file', join(scratch, 'runs', 'A1', '2.prompt.md'), '--try', '2']);
    expect(call?.env.FROM_CONFIG).toBe('mybot');
    expect(readFileSync(join(scratch, 'runs', 'A1', '2.prompt.md'), 'utf8')).toBe(prompt);
    expect(result.ok).toBe(true);
  });

  it("command: a relative command is the repository's own tool, found from the worktree", async () => {
    repo.write('tools/mybot.sh', `#!/usr/bin/env bash\necho "mybot read $(wc -c < "$1") bytes in $(pwd)"\n`);
    execFileSync('chmod', ['+x', join(repo.dir, 'tools', 'mybot.sh')]);
    const result = await runAgent(request('mybot', {}, { agents: { mybot: { command: './tools/mybot.sh' } } }));
    expect(result).toMatchObject({ ok: true, finalMessage: `mybot read ${Buffer.byteLength(prompt)} bytes in ${realpathSync(repo.dir)}` });
  });

  it('command: the prompt on stdin when configured', async () => {
    await runAgent(request('command', {}, { agents: { command: { command: join(fakeAgents, 'gemini'), args: ['--quiet'], prompt: 'stdin' } } }));
    const [call] = calls();
    expect(call?.argv).toEqual(['--quiet']);
    expect(call?.stdin).toBe(prompt);
  });
});

describe('what the run log and the result say', () => {
  it('the run log holds the header, every output line, and the outcome with usage', async () => {
    const lines: string[] = [];
    await runAgent(request('claude', { onOutput: (line) => lines.push(line) }));
    const log = readFileSync(join(scratch, 'runs', 'A1', '1.log'), 'utf8');
    expect(log).toContain('crewtree run: agent claude, attempt 1\n');
    expect(log).toContain(`cwd:      ${repo.dir}\n`);
    expect(log).toContain(
      `command:  claude -p --output-format stream-json --verbose --permission-mode acceptEdits --allowedTools=Bash -- <prompt: ${prompt.length} characters, in 1.prompt.md>\n`,
    );
    expect(log).toContain('limits:   timeout 30s, idle 30s\n');
    expect(log).toContain('"result":"fake claude: done"');
    expect(log).toContain('result:   ok\n');
    expect(log).toContain('usage:    6,000 input tokens (4,500 from cache), 340 output tokens, $0.0421\n');
    expect(log).toContain('message:  fake claude: done\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[2] ?? '{}')).toMatchObject({ type: 'result', result: 'fake claude: done' });
  });

  it("claude's is_error result fails the run with its text", async () => {
    const result = await runAgent(request('claude', { env: { ...request('claude').env, FAKE_AGENT_SCENARIO: 'error' } }));
    expect(result).toMatchObject({ ok: false, failure: 'agent-error', exitCode: 1, reason: 'API Error: 529 Overloaded' });
    expect(readFileSync(join(scratch, 'runs', 'A1', '1.log'), 'utf8')).toContain('result:   failed (agent-error): API Error: 529 Overloaded\n');
  });

  it('an agent CLI that is not installed is reported as such', async () => {
    const result = await runAgent(request('codex', {}, { agents: { codex: { command: 'crewtree-no-such-codex' } } }));
    expect(result).toMatchObject({ ok: false, exitCode: null, failure: 'not-started', reason: 'could not start crewtree-no-such-codex: not found' });
  });
});
