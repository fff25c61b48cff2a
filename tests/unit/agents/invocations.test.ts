import { describe, expect, it } from 'vitest';
import { aiderAgent } from '../../../src/agents/aider.js';
import { claudeAgent } from '../../../src/agents/claude.js';
import { codexAgent } from '../../../src/agents/codex.js';
import { commandAgent } from '../../../src/agents/command.js';
import { geminiAgent } from '../../../src/agents/gemini.js';
import { opencodeAgent } from '../../../src/agents/opencode.js';
import { MAX_PROMPT_ARGUMENT_BYTES } from '../../../src/agents/prompt-delivery.js';
import { runFiles } from '../../../src/agents/run-agent.js';
import { scriptAgent } from '../../../src/agents/script.js';
import type { AgentAdapter, InvocationInput } from '../../../src/agents/types.js';
import { agentSchema } from '../../../src/config/schema.js';
import { isCrewError } from '../../../src/errors.js';

const worktree = '/repo/.worktrees/ai/w1/A1-add-endpoint';
const prompt = '--help is not a flag here.\nAdd the endpoint; never run $(touch /tmp/pwned).';
const files = runFiles('/repo/.git/crewtree/runs/A1/2.log');

function input(agent: string, settings: Record<string, unknown> = {}, overrides: Partial<InvocationInput['request']> = {}): InvocationInput {
  return {
    request: { agent, worktree, prompt, taskBody: 'Body.', attempt: 2, ...overrides },
    settings: agentSchema.parse(settings),
    files,
  };
}

function invoke(adapter: AgentAdapter, request: InvocationInput) {
  const result = adapter.invocation(request);
  if ('error' in result) throw new Error(result.error);
  return result;
}

describe('run files', () => {
  it('sit beside the run log', () => {
    expect(files).toEqual({
      base: '/repo/.git/crewtree/runs/A1/2',
      promptFile: '/repo/.git/crewtree/runs/A1/2.prompt.md',
      scriptFile: '/repo/.git/crewtree/runs/A1/2.script.sh',
    });
  });
});

describe('claude', () => {
  it('runs headless with stream-json, edits accepted, the prompt after --', () => {
    const call = invoke(claudeAgent, input('claude'));
    expect(call.command).toBe('claude');
    expect(call.args).toEqual([
      '-p',
      '--output-format',
      'stream-json',
      '--verbose',
      '--permission-mode',
      'acceptEdits',
      '--allowedTools=Bash',
      '--',
      prompt,
    ]);
    expect(call.stdin).toBeUndefined();
    expect(call.env).toEqual({ CLAUDE_CODE_MAX_RETRIES: '3' });
    expect(call.promptArgIndex).toBe(8);
  });

  it('takes the model, the command and extra flags from config', () => {
    const call = invoke(claudeAgent, input('claude', { command: '/opt/claude/bin/claude', model: 'sonnet', flags: ['--max-budget-usd', '2'] }));
    expect(call.command).toBe('/opt/claude/bin/claude');
    expect(call.args.slice(6)).toEqual(['--allowedTools=Bash', '--model', 'sonnet', '--max-budget-usd', '2', '--', prompt]);
  });

  it('passes the prompt on stdin when config says so, or when it is too long for one argument', () => {
    const configured = invoke(claudeAgent, input('claude', { prompt: 'stdin' }));
    expect(configured.args.at(-1)).toBe('--allowedTools=Bash');
    expect(configured.stdin).toBe(prompt);
    const long = 'x'.repeat(MAX_PROMPT_ARGUMENT_BYTES + 1);
    const tooLong = invoke(claudeAgent, input('claude', {}, { prompt: long }));
    expect(tooLong.args).not.toContain(long);
    expect(tooLong.stdin).toBe(long);
  });

  it('refuses a prompt way it does not have', () => {
    let thrown: unknown;
    try {
      claudeAgent.invocation(input('claude', { prompt: 'file' }));
    } catch (error) {
      thrown = error;
    }
    expect(isCrewError(thrown, 'config-invalid')).toBe(true);
    expect((thrown as Error).message).toBe('agents.claude.prompt: claude takes its prompt as argument or stdin, not file');
  });

  it('uses config args as the whole command line, placeholders filled, parsing kept', () => {
    const call = invoke(claudeAgent, input('claude', { args: ['-p', '--output-format', 'stream-json', '--verbose', '--model', '{model}', '{prompt}'], model: 'opus' }));
    expect(call.args).toEqual(['-p', '--output-format', 'stream-json', '--verbose', '--model', 'opus', prompt]);
    expect(call.env).toEqual({ CLAUDE_CODE_MAX_RETRIES: '3' });
  });
});

describe('codex', () => {
  it('never asks for approval (before exec), writes only its workspace, works in the worktree', () => {
    const call = invoke(codexAgent, input('codex', { model: 'gpt-5-codex' }));
    expect(call.command).toBe('codex');
    expect(call.args).toEqual(['-a', 'never', 'exec', '--json', '-s', 'workspace-write', '-c', 'sandbox_workspace_write.exclude_slash_tmp=true', '-C', worktree, '-m', 'gpt-5-codex', '--', prompt]);
    expect(call.stdin).toBeUndefined();
  });

  it('reads the prompt from stdin with `-`', () => {
    const call = invoke(codexAgent, input('codex', { prompt: 'stdin', flags: ['-c', 'sandbox_workspace_write.network_access=true'] }));
    expect(call.args).toEqual(['-a', 'never', 'exec', '--json', '-s', 'workspace-write', '-c', 'sandbox_workspace_write.exclude_slash_tmp=true', '-C', worktree, '-c', 'sandbox_workspace_write.network_access=true', '-']);
    expect(call.stdin).toBe(prompt);
  });
});

describe('gemini', () => {
  it('runs headless with stream-json and every tool approved', () => {
    const call = invoke(geminiAgent, input('gemini', { model: 'gemini-2.5-pro' }));
    expect(call.command).toBe('gemini');
    expect(call.args).toEqual(['--output-format', 'stream-json', '--approval-mode', 'yolo', '--skip-trust', '--model', 'gemini-2.5-pro', `--prompt=${prompt}`]);
  });

  it('reads the prompt from stdin without --prompt', () => {
    const call = invoke(geminiAgent, input('gemini', { prompt: 'stdin' }));
    expect(call.args).toEqual(['--output-format', 'stream-json', '--approval-mode', 'yolo', '--skip-trust']);
    expect(call.stdin).toBe(prompt);
  });
});

describe('aider', () => {
  it('sends one message, answers yes, commits nothing, keeps its history files out of the worktree', () => {
    const call = invoke(aiderAgent, input('aider', { model: 'sonnet' }));
    expect(call.command).toBe('aider');
    expect(call.args).toEqual([
      '--yes-always',
      '--no-auto-commits',
      '--no-gitignore',
      '--no-check-update',
      '--no-analytics',
      '--no-pretty',
      '--chat-history-file',
      '/repo/.git/crewtree/runs/A1/2.aider.chat.md',
      '--input-history-file',
      '/repo/.git/crewtree/runs/A1/2.aider.input',
      '--model',
      'sonnet',
      `--message=${prompt}`,
    ]);
  });

  it('reads the prompt file with --message-file', () => {
    const call = invoke(aiderAgent, input('aider', { prompt: 'file' }));
    expect(call.args.slice(-2)).toEqual(['--message-file', '/repo/.git/crewtree/runs/A1/2.prompt.md']);
    expect(call.args.some((arg) => arg.includes(prompt))).toBe(false);
  });
});

describe('opencode', () => {
  it('runs `opencode run --format json` with the prompt on stdin', () => {
    const call = invoke(opencodeAgent, input('opencode', { model: 'anthropic/claude-sonnet-4-5' }));
    expect(call.command).toBe('opencode');
    expect(call.args).toEqual(['run', '--format', 'json', '--model', 'anthropic/claude-sonnet-4-5']);
    expect(call.stdin).toBe(prompt);
  });

  it('takes the prompt as an argument after -- when config says so', () => {
    const call = invoke(opencodeAgent, input('opencode', { prompt: 'argument' }));
    expect(call.args).toEqual(['run', '--format', 'json', '--', prompt]);
    expect(call.stdin).toBeUndefined();
  });
});

describe('command', () => {
  const mybot = commandAgent('mybot');

  it('passes the prompt file path as the only argument by default', () => {
    const call = invoke(mybot, input('mybot', { command: './tools/mybot' }));
    expect(call).toMatchObject({ command: './tools/mybot', args: ['/repo/.git/crewtree/runs/A1/2.prompt.md'], stdin: undefined });
  });

  it('fills placeholders, each one argument, never a shell word', () => {
    const call = invoke(mybot, input('mybot', { command: 'mybot', args: ['--in', '{prompt_file}', '--cwd={worktree}', '--try', '{attempt}', '--model', '{model}'], model: 'm1' }));
    expect(call.args).toEqual(['--in', '/repo/.git/crewtree/runs/A1/2.prompt.md', `--cwd=${worktree}`, '--try', '2', '--model', 'm1']);
  });

  it('puts the prompt text where {prompt} stands', () => {
    const call = invoke(mybot, input('mybot', { command: 'mybot', args: ['ask', '{prompt}'] }));
    expect(call.args).toEqual(['ask', prompt]);
    expect(call.promptArgIndex).toBe(1);
  });

  it('writes the prompt to stdin when prompt: stdin', () => {
    const call = invoke(mybot, input('mybot', { command: 'mybot', args: ['--quiet'], prompt: 'stdin' }));
    expect(call.args).toEqual(['--quiet']);
    expect(call.stdin).toBe(prompt);
  });

  it('appends the prompt file when args name no placeholder and prompt: file', () => {
    const call = invoke(mybot, input('mybot', { command: 'mybot', args: ['--quiet'], prompt: 'file' }));
    expect(call.args).toEqual(['--quiet', '/repo/.git/crewtree/runs/A1/2.prompt.md']);
  });

  it('is a config error without a command', () => {
    expect(() => mybot.invocation(input('mybot'))).toThrow('agents.mybot.command is missing: the mybot agent has no program to run');
  });
});

describe('script', () => {
  it('runs the crew-script block as a file with bash', () => {
    const body = 'Make it so.\n\n```crew-script\necho "$CREWTREE_ATTEMPT" > out.txt\n```\n';
    const call = invoke(scriptAgent, input('script', {}, { taskBody: body }));
    expect(call.command).toBe('bash');
    expect(call.args).toEqual(['/repo/.git/crewtree/runs/A1/2.script.sh']);
    expect(call.files).toEqual([{ path: '/repo/.git/crewtree/runs/A1/2.script.sh', text: 'echo "$CREWTREE_ATTEMPT" > out.txt\n' }]);
    expect(call.stdin).toBeUndefined();
  });

  it('says so when the task has no block', () => {
    expect(scriptAgent.invocation(input('script', {}, { taskBody: 'Just words.' }))).toEqual({
      error: 'the task has no ```crew-script block for the script agent to run',
    });
  });
});
