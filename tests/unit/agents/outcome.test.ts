import { describe, expect, it } from 'vitest';
import { decideOutcome, outputTail, type OutcomeInput } from '../../../src/agents/outcome.js';
import { formatDuration } from '../../../src/terminal/duration-text.js';

describe('formatDuration', () => {
  it('writes durations as config does', () => {
    expect([250, 1500, 1000, 90_000, 1_800_000, 3_600_000, 5_400_000, 12_345].map(formatDuration)).toEqual([
      '250ms',
      '1.5s',
      '1s',
      '1m30s',
      '30m',
      '1h',
      '1h30m',
      '12.3s',
    ]);
  });
});

describe('outputTail', () => {
  it('takes the last non-empty stderr lines, else stdout', () => {
    expect(outputTail(['warming up', 'Traceback:', '  File x', 'ValueError: bad', ''], ['out'])).toBe('Traceback: | File x | ValueError: bad');
    expect(outputTail([], ['one', 'two'])).toBe('one | two');
    expect(outputTail([], [])).toBe('');
  });
});

describe('decideOutcome', () => {
  type Overrides = Partial<Omit<OutcomeInput, 'run'>> & { run?: Partial<OutcomeInput['run']> };
  const input = (overrides: Overrides = {}): OutcomeInput => ({
    agent: 'claude',
    command: 'claude',
    parsed: {},
    timeoutMs: 1_800_000,
    idleMs: 600_000,
    tail: '',
    now: new Date('2026-11-27T14:00:00Z'),
    ...overrides,
    run: { exitCode: 0, exitSignal: null, durationMs: 1234, ...overrides.run },
  });

  it('is ok on exit 0 with no error in the output, keeping usage and the final message', () => {
    const usage = { inputTokens: 10, outputTokens: 2 };
    expect(decideOutcome(input({ parsed: { usage, finalMessage: 'done' } }))).toEqual({
      ok: true,
      exitCode: 0,
      durationMs: 1234,
      usage,
      finalMessage: 'done',
      warnings: undefined,
    });
  });

  it('names the limit that stopped the agent', () => {
    expect(decideOutcome(input({ run: { exitCode: null, exitSignal: 'SIGTERM', stoppedBy: 'timeout' } }))).toMatchObject({ ok: false, failure: 'timeout', reason: 'timed out after 30m' });
    expect(decideOutcome(input({ run: { exitCode: null, exitSignal: 'SIGTERM', stoppedBy: 'idle' } }))).toMatchObject({ ok: false, failure: 'idle', reason: 'no output for 10m' });
    expect(decideOutcome(input({ run: { exitCode: 143, exitSignal: null, stoppedBy: 'aborted' } }))).toMatchObject({ ok: false, failure: 'aborted', reason: 'stopped' });
  });

  it('keeps what the agent last said when a limit stopped it', () => {
    const parsed = { error: 'Agent loop crashed: TypeError' };
    const stopped = decideOutcome(input({ agent: 'codex', parsed, run: { exitCode: null, exitSignal: 'SIGTERM', stoppedBy: 'timeout' } }));
    expect(stopped).toMatchObject({ failure: 'timeout', reason: 'timed out after 30m; codex last said: Agent loop crashed: TypeError' });
  });

  it('counts an agent stopped while it waited for its API as an outage, not an attempt', () => {
    const parsed = { error: 'Reconnecting... waiting for network (Connection failed: error sending request)' };
    const stopped = decideOutcome(input({ agent: 'codex', parsed, run: { exitCode: null, exitSignal: 'SIGTERM', stoppedBy: 'timeout' } }));
    expect(stopped).toMatchObject({ failure: 'transient', transient: { kind: 'unreachable' }, reason: 'API unreachable (stopped after 30m); codex last said: Reconnecting... waiting for network (Connection failed: error sending request)' });
  });

  it("prefers the agent's own error to the exit code", () => {
    const outcome = decideOutcome(input({ run: { exitCode: 1 }, parsed: { error: 'API Error: 400 scripted refusal' }, tail: 'noise' }));
    expect(outcome).toMatchObject({ ok: false, failure: 'agent-error', reason: 'API Error: 400 scripted refusal', exitCode: 1 });
  });

  it('fails on is_error even with exit 0', () => {
    expect(decideOutcome(input({ parsed: { error: 'error_max_turns after 41 turns' } }))).toMatchObject({ ok: false, failure: 'agent-error' });
  });

  it('gives the exit code and the stderr tail', () => {
    expect(decideOutcome(input({ run: { exitCode: 3 }, tail: 'boom: bad thing' }))).toMatchObject({ ok: false, failure: 'exit-code', reason: 'exited with 3: boom: bad thing' });
    expect(decideOutcome(input({ run: { exitCode: null, exitSignal: 'SIGSEGV' } }))).toMatchObject({ reason: 'was killed by SIGSEGV' });
  });

  it('says a program that could not start was not found', () => {
    const startError = Object.assign(new Error('spawn claude ENOENT'), { code: 'ENOENT' });
    expect(decideOutcome(input({ run: { exitCode: null, startError } }))).toMatchObject({ ok: false, failure: 'not-started', reason: 'could not start claude: not found' });
  });
});
