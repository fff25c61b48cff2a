// The scripted model server's own parts: what it reads from a request and what it answers.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { anthropicStream, readAnthropicRequest } from './anthropic.js';
import { openAiItem, patchWriting, readOpenAiRequest } from './openai.js';
import { missingPromptText, shellWrite, stepAt } from './script.js';
import { startModelServer } from './server.js';

const dir = mkdtempSync(join(tmpdir(), 'crewtree-model-server-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('shellWrite', () => {
  it.each([
    ['with a final newline', 'a.txt', "it's $HOME and `x`\n\\n\n"],
    ['without one', 'sub dir/b.txt', 'no newline at the end'],
  ])('writes the content exactly, %s', (_, path, content) => {
    execFileSync('bash', ['-c', shellWrite(path, content)], { cwd: dir });
    expect(readFileSync(join(dir, path), 'utf8')).toBe(content);
  });
});

describe('patchWriting', () => {
  it('adds a new file, and replaces every line of one that is there', () => {
    expect(patchWriting('new.js', 'a\nb\n', dir)).toBe('*** Begin Patch\n*** Add File: new.js\n+a\n+b\n*** End Patch\n');
    writeFileSync(join(dir, 'old.js'), 'x\n');
    expect(patchWriting('old.js', 'y\n', dir)).toBe('*** Begin Patch\n*** Update File: old.js\n@@\n-x\n+y\n*** End Patch\n');
  });
});

describe('the script', () => {
  const script = { conversations: [{ promptIncludes: ['6 !== 4'], steps: [{ reply: 'one' }] }] };
  it('plays steps by turn, replies "done" past the end, and says when a run has no conversation', () => {
    expect(stepAt(script, 0, 0)).toEqual({ reply: 'one' });
    expect(stepAt(script, 0, 5)).toEqual({ reply: 'done' });
    expect(stepAt(script, 1, 0)).toEqual({ missing: 'the script has 1 conversation(s); run 2 asked for more' });
    expect(missingPromptText(script.conversations[0], 'failed: 6 !== 4')).toBeUndefined();
    expect(missingPromptText(script.conversations[0], 'all green')).toBe('6 !== 4');
  });
});

describe('reading requests', () => {
  it("anthropic: the user's prompt without Claude Code's reminders, the turn, the working directory", () => {
    const body = {
      stream: true,
      tools: [{ name: 'Write' }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: '<system-reminder>\ncontext\n</system-reminder>' }, { type: 'text', text: 'Add double.' }] },
        { role: 'system', content: [{ type: 'text', text: '# Environment\n - Primary working directory: /tmp/wt\n - Platform: linux' }] },
        { role: 'assistant', content: [{ type: 'tool_use' }] },
      ],
    };
    expect(readAnthropicRequest(body)).toMatchObject({ main: true, turn: 1, prompt: 'Add double.', cwd: '/tmp/wt' });
    expect(readAnthropicRequest({ messages: [{ role: 'user', content: 'Title?' }] })).toMatchObject({ main: false, turn: 0 });
  });

  it('openai: the last user message before the first call, calls of either kind as turns, apply_patch offered', () => {
    const input = [
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: '<environment_context>\n  <cwd>/tmp/wt</cwd>\n</environment_context>' }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Add double.' }] },
      { type: 'custom_tool_call' },
      { type: 'custom_tool_call_output' },
      { type: 'function_call' },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'later' }] },
    ];
    expect(readOpenAiRequest({ stream: true, tools: [{ name: 'apply_patch' }], input })).toMatchObject({ main: true, turn: 2, prompt: 'Add double.', cwd: '/tmp/wt', applyPatch: true });
  });
});

describe('answers', () => {
  it('anthropic: a Write tool_use at the absolute path, with the cached input apart and the output in message_delta', () => {
    const turn = { main: true, turn: 0, prompt: '', cwd: '/tmp/wt', model: 'm', stream: true };
    const events = anthropicStream({ write: 'src/a.js', content: 'x\n', usage: { input: 100, output: 7, cacheRead: 60 } }, turn, '1');
    expect(events.map(([name]) => name)).toEqual(['message_start', 'content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
    expect(JSON.stringify(events[0])).toContain('"input_tokens":40,"cache_read_input_tokens":60');
    expect(events[2]?.[1]).toMatchObject({ delta: { type: 'input_json_delta', partial_json: JSON.stringify({ file_path: '/tmp/wt/src/a.js', content: 'x\n' }) } });
    expect(events[4]?.[1]).toMatchObject({ delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 7 } });
  });

  it('openai: apply_patch when codex offers it, exec_command otherwise', () => {
    expect(openAiItem({ write: 'n.js', content: 'x\n' }, { applyPatch: true, cwd: dir }, '1')).toMatchObject({ type: 'custom_tool_call', name: 'apply_patch' });
    expect(openAiItem({ write: 'n.js', content: 'x\n' }, { applyPatch: false, cwd: dir }, '1')).toMatchObject({ type: 'function_call', name: 'exec_command' });
    expect(openAiItem({ run: 'npm test' }, { applyPatch: true, cwd: dir }, '1')).toMatchObject({ arguments: '{"cmd":"npm test"}' });
  });
});

describe('the server', () => {
  it('answers a prompt lacking an expected text with an API error naming it, and records the problem', async () => {
    const server = await startModelServer({ conversations: [{ promptIncludes: ['6 !== 4'], steps: [] }] });
    const response = await fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-claude-code-session-id': 's1' },
      body: JSON.stringify({ stream: true, tools: [{ name: 'Write' }], messages: [{ role: 'user', content: 'no failure here' }] }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: 'scripted model server: run 1: the prompt lacks "6 !== 4"' } });
    expect(server.problems).toEqual(['run 1: the prompt lacks "6 !== 4"']);
    await server.close();
  });
});
