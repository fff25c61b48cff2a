import { describe, expect, it } from 'vitest';
import { displayCommand, formatRunFooter, formatRunHeader, formatUsage, quoteForDisplay } from '../../../src/agents/run-log.js';

describe('displayCommand', () => {
  it('quotes what a shell would split and shortens the prompt to where it is', () => {
    const prompt = "Fix it's tests\nnow";
    const line = displayCommand({ command: 'claude', args: ['-p', '--allowedTools=Bash,Edit', '--', prompt], promptArgIndex: 3 }, prompt, '/runs/A1/2.prompt.md');
    expect(line).toBe('claude -p --allowedTools=Bash,Edit -- <prompt: 18 characters, in 2.prompt.md>');
  });

  it('shortens a prompt inside a longer argument', () => {
    const line = displayCommand({ command: 'aider', args: ['--message=do it now'], promptArgIndex: 0 }, 'do it now', '/runs/A1/1.prompt.md');
    expect(line).toBe(`aider '--message=<prompt: 9 characters, in 1.prompt.md>'`);
  });

  it("quotes a quote the shell's way", () => {
    expect(quoteForDisplay("it's")).toBe(`'it'\\''s'`);
    expect(quoteForDisplay('/a/b-c_d.e')).toBe('/a/b-c_d.e');
  });
});

describe('run log header and footer', () => {
  it('says which agent, attempt, where, how, and the limits', () => {
    const header = formatRunHeader({
      agent: 'opencode',
      attempt: 2,
      started: new Date('2026-11-22T03:00:00.000Z'),
      cwd: '/repo/.worktrees/ai/w1/A1-x',
      command: 'opencode run --format json',
      stdinIsPrompt: true,
      promptFile: '/runs/A1/2.prompt.md',
      promptLength: 120,
      envNames: ['PORT', 'CREWTREE_TASK_ID'],
      timeoutMs: 1_800_000,
      idleMs: 600_000,
    });
    expect(header).toBe(
      [
        'crewtree run: agent opencode, attempt 2',
        'started:  2026-11-22T03:00:00.000Z',
        'cwd:      /repo/.worktrees/ai/w1/A1-x',
        'command:  opencode run --format json',
        'stdin:    <prompt: 120 characters, in 2.prompt.md>',
        'env:      PORT, CREWTREE_TASK_ID',
        'limits:   timeout 30m, idle 10m',
        '----- output -----',
        '',
      ].join('\n'),
    );
  });

  it('ends with the result, exit, duration, usage, warnings and the final message', () => {
    const footer = formatRunFooter(
      {
        ok: true,
        exitCode: 0,
        durationMs: 12_345,
        usage: { inputTokens: 2350, outputTokens: 120, cacheReadTokens: 2000, costUsd: 0.00264 },
        warnings: ['claude was refused Bash(curl x)'],
        finalMessage: 'Done.\nWrote hello.txt',
      },
      new Date('2026-11-22T03:00:12.345Z'),
    );
    expect(footer).toBe(
      [
        '----- end of output -----',
        'result:   ok',
        'exit:     0',
        'finished: 2026-11-22T03:00:12.345Z',
        'duration: 12.3s',
        'usage:    2,350 input tokens (2,000 from cache), 120 output tokens, $0.0026',
        'warning:  claude was refused Bash(curl x)',
        'message:  Done.',
        '          Wrote hello.txt',
        '',
      ].join('\n'),
    );
  });

  it('says why a run failed', () => {
    const footer = formatRunFooter({ ok: false, exitCode: null, failure: 'timeout', reason: 'timed out after 1s', durationMs: 1004 }, new Date(0));
    expect(footer.split('\n').slice(1, 3)).toEqual(['result:   failed (timeout): timed out after 1s', 'exit:     killed']);
  });

  it('writes usage without cost where the agent reports none', () => {
    expect(formatUsage({ inputTokens: 3000, outputTokens: 120 })).toBe('3,000 input tokens, 120 output tokens');
  });
});
