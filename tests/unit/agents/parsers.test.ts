import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAiderOutput, parseTokenCount } from '../../../src/agents/aider.js';
import { parseClaudeOutput } from '../../../src/agents/claude.js';
import { parseCodexOutput } from '../../../src/agents/codex.js';
import { parsePlainOutput } from '../../../src/agents/command.js';
import { parseGeminiOutput } from '../../../src/agents/gemini.js';
import { parseOpencodeOutput } from '../../../src/agents/opencode.js';
import { oneLine } from '../../../src/agents/json-lines.js';

const sample = (name: string) => readFileSync(join(import.meta.dirname, 'samples', name), 'utf8').split('\n');

describe('claude stream-json', () => {
  it('reads the result of a successful run: text, tokens with cache, cost', () => {
    expect(parseClaudeOutput(sample('claude-success.jsonl'), 0)).toEqual({
      usage: { inputTokens: 240, outputTokens: 84, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0.00264 },
      finalMessage: 'Done: wrote hello.txt',
      error: undefined,
      warnings: undefined,
    });
  });

  it('fails a run whose result says "subtype":"success" with "is_error":true (API unreachable)', () => {
    const parsed = parseClaudeOutput(sample('claude-unreachable.jsonl'), 1);
    expect(parsed.error).toBe('could not reach its API: API Error: Connection refused — a firewall or proxy may be blocking it (ECONNREFUSED)');
    expect(parsed.finalMessage).toBeUndefined();
    expect(parsed.usage).toEqual({ inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0 });
  });

  it('fails on is_error even when the exit code is 0', () => {
    const lines = sample('claude-api-400.jsonl');
    expect(parseClaudeOutput(lines, 0).error).toBe('API Error: 400 scripted refusal');
  });

  it('reports error_max_turns with the turn count, the tokens spent and the last thing it said', () => {
    const parsed = parseClaudeOutput(sample('claude-max-turns.jsonl'), 1);
    expect(parsed.error).toBe('error_max_turns after 41 turns');
    expect(parsed.usage).toEqual({ inputTokens: 5120 + 20480 + 401230, outputTokens: 9876, cacheReadTokens: 401230, cacheWriteTokens: 20480, costUsd: 0.8123 });
    expect(parsed.finalMessage).toBe('The test still fails on the date format; trying the UTC variant next.');
  });

  it('reports error_during_execution with its errors', () => {
    const line = JSON.stringify({ type: 'result', subtype: 'error_during_execution', is_error: true, num_turns: 3, errors: ['Tool Bash crashed', 'aborted'], usage: { input_tokens: 10, output_tokens: 5 } });
    expect(parseClaudeOutput([line], 1).error).toBe('error_during_execution: Tool Bash crashed; aborted');
  });

  it('keeps a successful run ok but warns about the tool calls it was refused', () => {
    const parsed = parseClaudeOutput(sample('claude-permission-denied.jsonl'), 0);
    expect(parsed.error).toBeUndefined();
    expect(parsed.warnings).toEqual([`claude was refused Bash(node -e "require('fs').writeFileSync('n.txt','x')")`]);
  });

  it('names the refusals in the reason of a failed run', () => {
    const line = JSON.stringify({
      type: 'result',
      subtype: 'success',
      is_error: true,
      result: 'I could not write the file.',
      permission_denials: [{ tool_name: 'Write', tool_use_id: 't1', tool_input: { file_path: '/etc/hosts', content: 'x' } }],
    });
    expect(parseClaudeOutput([line], 1).error).toBe('I could not write the file.; refused Write(/etc/hosts)');
  });

  it('fails a clean exit that printed no result event', () => {
    expect(parseClaudeOutput(['Hello from a text-mode claude'], 0).error).toBe('claude ended without a result event');
    expect(parseClaudeOutput(['Error: When using --print, --output-format=stream-json requires --verbose'], 1).error).toBeUndefined();
  });
});

describe('codex exec --json', () => {
  it('reads the final agent message and the turn usage, cached input included in input', () => {
    expect(parseCodexOutput(sample('codex-success.jsonl'), 0)).toEqual({
      usage: { inputTokens: 3000, outputTokens: 120, cacheReadTokens: 2000, cacheWriteTokens: 0 },
      finalMessage: 'All done: wrote codex.txt',
      error: undefined,
      warnings: ['codex: Model metadata for `test-model` not found. Defaulting to fallback metadata; this can degrade performance and cause issues.'],
    });
  });

  it('fails on turn.failed with its message', () => {
    const parsed = parseCodexOutput(sample('codex-turn-failed.jsonl'), 1);
    expect(parsed.error).toBe('Missing environment variable: `DUMMY_KEY`.');
    expect(parsed.usage).toBeUndefined();
  });

  it('explains a run stopped while reconnecting by its last error, without failing a run that recovered', () => {
    const lines = sample('codex-unreachable.jsonl');
    expect(parseCodexOutput(lines, null).error).toBe('Reconnecting... waiting for network (Connection failed: error sending request)');
    const recovered = [...lines, JSON.stringify({ type: 'turn.completed', usage: { input_tokens: 10, output_tokens: 2 } })];
    expect(parseCodexOutput(recovered, 0).error).toBeUndefined();
  });

  it('sums usage over several turns', () => {
    const turn = (input: number, output: number) => JSON.stringify({ type: 'turn.completed', usage: { input_tokens: input, cached_input_tokens: 0, output_tokens: output } });
    expect(parseCodexOutput([turn(100, 10), 'not json', turn(50, 5)], 0).usage).toEqual({ inputTokens: 150, outputTokens: 15, cacheReadTokens: 0, cacheWriteTokens: 0 });
  });
});

describe('gemini stream-json', () => {
  it('reads the stats and the reply after the last tool call', () => {
    expect(parseGeminiOutput(sample('gemini-success.jsonl'), 0)).toEqual({
      usage: { inputTokens: 13900, outputTokens: 330, cacheReadTokens: 8000 },
      finalMessage: 'Added src/a.ts with its export.',
      error: undefined,
    });
  });

  it('fails on an error result, not on a warning', () => {
    expect(parseGeminiOutput(sample('gemini-auth-error.jsonl'), 1).error).toBe('Could not load the default credentials: set GEMINI_API_KEY');
  });

  it('names the turn limit exit code', () => {
    expect(parseGeminiOutput([], 53).error).toBe('gemini reached its turn limit (exit 53)');
  });
});

describe('opencode run --format json', () => {
  it('sums tokens and cost over its steps and keeps its last text', () => {
    expect(parseOpencodeOutput(sample('opencode-success.jsonl'), 0)).toEqual({
      usage: { inputTokens: 1200 + 3000 + 500 + 300 + 4200, outputTokens: 80 + 40 + 10, cacheReadTokens: 7200, cacheWriteTokens: 500, costUsd: 0.0123 + 0.0045 },
      finalMessage: 'Added src/a.ts with the export.',
      error: undefined,
      warnings: ['opencode was refused permission external_directory'],
    });
  });

  it('fails on an error event with its message', () => {
    expect(parseOpencodeOutput(sample('opencode-error.jsonl'), 1).error).toBe('No API key for anthropic: run opencode auth login');
  });
});

describe('aider', () => {
  it('reads rounded token counts', () => {
    expect([parseTokenCount('116'), parseTokenCount('2.5k'), parseTokenCount('12k')]).toEqual([116, 2500, 12000]);
  });

  it('sums the usage lines of a session and keeps the session cost', () => {
    expect(parseAiderOutput(sample('aider-session.txt'), 0)).toEqual({
      usage: { inputTokens: 2500 + 3100 + 2500, outputTokens: 275, cacheReadTokens: 2500, cacheWriteTokens: 1100, costUsd: 0.02 },
    });
  });

  it('has no usage when aider printed none', () => {
    expect(parseAiderOutput(['Aider v0.86.1', 'Model error'], 1)).toEqual({ usage: undefined });
  });
});

describe('plain output (command, script)', () => {
  it('takes the last non-empty line as the final message', () => {
    expect(parsePlainOutput(['building', 'wrote src/a.ts  ', '', ''], 0)).toEqual({ finalMessage: 'wrote src/a.ts' });
    expect(parsePlainOutput([], 0)).toEqual({ finalMessage: undefined });
  });
});

describe('oneLine', () => {
  it('folds an agent colored, multi-line error to the plain line a task note keeps', () => {
    expect(oneLine('\u001b[31mError:\u001b[0m 429\r\n\u001b]0;title\u0007Too Many\rRequests\u202e')).toBe('Error: 429 Too Many Requests');
    expect(oneLine('x'.repeat(10), 5)).toBe('xxxx…');
  });
});
