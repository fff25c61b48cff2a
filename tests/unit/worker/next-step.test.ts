import { describe, expect, it } from 'vitest';
import type { AgentRunResult } from '../../../src/agents/types.js';
import { agentOutcome } from '../../../src/worker/attempts.js';
import { agentFailure, gateFailure, nextStep, pathFailure, waitOrGiveUp, type Happened, type WorkerState, type WorkerStep } from '../../../src/worker/next-step.js';

/** A worker of agent `claude` on base `main` with 3 attempts, after `last`, at `attempt`. */
function state(last: Happened, overrides: Partial<WorkerState> = {}): WorkerState {
  return { worker: 'w1', agent: 'claude', base: 'main', attempt: 1, maxAttempts: 3, review: false, stopRequested: false, last, ...overrides };
}

const role = { name: 'frontend', paths: ['web/**'] };
const red = { kind: 'failed' as const, command: 'npm test', exitCode: 1, timedOut: false, tail: 'expected 4, got 5' };
const testFeedback = { failedCommand: 'npm test', tail: 'expected 4, got 5' };

type Row = [string, WorkerState, WorkerStep];

function table(rows: Row[]): void {
  it.each(rows)('%s', (_name, input, expected) => {
    expect(nextStep(input)).toEqual(expected);
  });
}

describe('nextStep: run the agent', () => {
  table([
    ['the worktree is set up: attempt 1, nothing to hand back', state({ kind: 'set-up' }, { attempt: 0 }), { kind: 'run-agent', attempt: 1, feedback: undefined }],
    ['the agent ran: book its usage', state({ kind: 'agent-ran', outcome: { kind: 'ok' } }), { kind: 'record-attempt' }],
    ['a failed run is booked too', state({ kind: 'agent-ran', outcome: { kind: 'failed', failure: 'exit-code', reason: 'exited with 1' } }), { kind: 'record-attempt' }],
    [
      'the API stayed down past outage: back to todo, never blocked',
      state({ kind: 'agent-ran', outcome: { kind: 'outage', reason: 'claude: rate limited for 31m, more than outage: 30m allows' } }),
      { kind: 'release', why: "released after waiting out its agent's API: claude: rate limited for 31m, more than outage: 30m allows" },
    ],
    ['a stop during the run releases, unbooked', state({ kind: 'agent-ran', outcome: { kind: 'failed', failure: 'aborted', reason: 'stopped' } }, { stopRequested: true }), { kind: 'release', why: 'stopped before it finished' }],
    ['a stop wins over an outage', state({ kind: 'agent-ran', outcome: { kind: 'outage', reason: 'x' } }, { stopRequested: true }), { kind: 'release', why: 'stopped before it finished' }],
  ]);
});

describe('nextStep: after the agent run is booked', () => {
  const failed = (failure: 'idle' | 'timeout' | 'exit-code' | 'not-started', reason: string | undefined): Happened => ({ kind: 'attempt-recorded', outcome: { kind: 'failed', failure, reason } });
  table([
    ['an ok run goes to the path check', state({ kind: 'attempt-recorded', outcome: { kind: 'ok' } }), { kind: 'check-paths' }],
    [
      'an idle agent gets another attempt with its failure handed back',
      state(failed('idle', 'no output for 10m')),
      { kind: 'run-agent', attempt: 2, feedback: { failedCommand: 'the claude agent run', tail: 'no output for 10m' }, log: { event: 'agent-failed', detail: 'attempt 1: no output for 10m' } },
    ],
    [
      'a timed-out agent on its last attempt blocks the task',
      state(failed('timeout', 'timed out after 30m'), { attempt: 3 }),
      { kind: 'block', reason: 'blocked after attempt 3: agent claude failed: timed out after 30m', tail: 'timed out after 30m', log: { event: 'agent-failed', detail: 'attempt 3: timed out after 30m' } },
    ],
    [
      'an agent that could not start blocks at once: it would fail the same way every time',
      state(failed('not-started', 'claude is not installed')),
      { kind: 'block', reason: 'blocked after attempt 1: agent claude failed: claude is not installed', tail: 'claude is not installed', log: { event: 'agent-failed', detail: 'attempt 1: claude is not installed' } },
    ],
    [
      'a failure without a reason says so',
      state(failed('exit-code', undefined), { attempt: 3 }),
      { kind: 'block', reason: 'blocked after attempt 3: agent claude failed: unknown reason', tail: '', log: { event: 'agent-failed', detail: 'attempt 3: failed' } },
    ],
    [
      'a spent budget blocks with attempts left, naming what was spent',
      state(failed('exit-code', 'exited with 1'), { budgetSpent: 'token budget spent (12000 of 10000)' }),
      { kind: 'block', reason: 'blocked after attempt 1: token budget spent (12000 of 10000)', tail: 'exited with 1', log: { event: 'agent-failed', detail: 'attempt 1: exited with 1' } },
    ],
    ['a spent budget does not stop an ok run from going on', state({ kind: 'attempt-recorded', outcome: { kind: 'ok' } }, { budgetSpent: 'token budget spent (1 of 1)' }), { kind: 'check-paths' }],
    ['a stop requested meanwhile releases', state(failed('exit-code', 'exited with 1'), { stopRequested: true }), { kind: 'release', why: 'stopped before it finished' }],
  ]);
});

describe('nextStep: the path check and the gate', () => {
  table([
    ['no file outside the role paths: run the gate', state({ kind: 'paths-checked', outside: [], role }), { kind: 'gate' }],
    [
      'files outside the role paths fail the attempt like a red gate',
      state({ kind: 'paths-checked', outside: ['api/server.ts', 'README.md'], role }),
      {
        kind: 'run-agent',
        attempt: 2,
        feedback: { failedCommand: 'path check', tail: 'These files are outside the paths role frontend may change (web/**):\napi/server.ts\nREADME.md' },
        log: { event: 'gate-failed', detail: 'attempt 1: changes outside allowed paths: api/server.ts, README.md' },
      },
    ],
    ['a stop after the path check releases without running the gate', state({ kind: 'paths-checked', outside: [], role }, { stopRequested: true }), { kind: 'release', why: 'stopped before it finished' }],
    ['a green gate commits the work', state({ kind: 'gate-ran', gate: { kind: 'passed' } }, { attempt: 2 }), { kind: 'commit', log: { event: 'gate-passed', detail: 'attempt 2' } }],
    ['a red gate retries with its output', state({ kind: 'gate-ran', gate: red }), { kind: 'run-agent', attempt: 2, feedback: testFeedback, log: { event: 'gate-failed', detail: 'attempt 1: npm test exited with 1' } }],
    [
      'a red gate on the last attempt blocks with its output',
      state({ kind: 'gate-ran', gate: red }, { attempt: 3 }),
      { kind: 'block', reason: 'blocked after attempt 3: npm test exited with 1', tail: 'expected 4, got 5', log: { event: 'gate-failed', detail: 'attempt 3: npm test exited with 1' } },
    ],
    [
      'a gate that timed out says so',
      state({ kind: 'gate-ran', gate: { ...red, exitCode: null, timedOut: true } }, { attempt: 3, maxAttempts: 3 }),
      { kind: 'block', reason: 'blocked after attempt 3: npm test timed out', tail: 'expected 4, got 5', log: { event: 'gate-failed', detail: 'attempt 3: npm test timed out' } },
    ],
    ['a gate stopped by the signal is no verdict: release', state({ kind: 'gate-ran', gate: { kind: 'stopped' } }), { kind: 'release', why: 'stopped before it finished' }],
    ['a stop wins over a green gate', state({ kind: 'gate-ran', gate: { kind: 'passed' } }, { stopRequested: true }), { kind: 'release', why: 'stopped before it finished' }],
    ['one attempt allowed: the first red gate blocks', state({ kind: 'gate-ran', gate: red }, { maxAttempts: 1 }), { kind: 'block', reason: 'blocked after attempt 1: npm test exited with 1', tail: 'expected 4, got 5', log: { event: 'gate-failed', detail: 'attempt 1: npm test exited with 1' } }],
  ]);
});

describe('nextStep: commit, queue or review', () => {
  table([
    ['a commit goes to the merge queue', state({ kind: 'committed', tip: 'c0ffee' }), { kind: 'queue', tip: 'c0ffee' }],
    ['in review mode it parks for crew approve instead', state({ kind: 'committed', tip: 'c0ffee' }, { review: true }), { kind: 'review', tip: 'c0ffee' }],
    ['no changes at all blocks the task', state({ kind: 'committed', tip: undefined }), { kind: 'block', reason: 'the agent left no changes', tail: '' }],
  ]);
});

describe('nextStep: after the landing', () => {
  const landed = (outcome: Extract<Happened, { kind: 'landing-ended' }>['outcome'], overrides: Partial<WorkerState> = {}) => state({ kind: 'landing-ended', outcome }, overrides);
  table([
    ['landed: done, with the attempts it took', landed({ kind: 'landed', commit: 'abc123', regated: false }, { attempt: 2 }), { kind: 'finish', commit: 'abc123', attempts: 2 }],
    ['stopped during the landing gate: release', landed({ kind: 'stopped' }), { kind: 'release', why: 'stopped before it landed' }],
    ['fenced: the lock is someone else’s, touch nothing', landed({ kind: 'fenced', message: 'A1 is locked by w2' }), { kind: 'fenced', detail: 'A1 is locked by w2' }],
    ['a conflict merges the base into the branch, logged first', landed({ kind: 'conflict', files: ['a.ts', 'b.ts'] }), { kind: 'merge-base', conflicts: ['a.ts', 'b.ts'], log: { event: 'conflict', detail: 'a.ts, b.ts' } }],
    [
      'the merge failed the gate: the next attempt sees the failure on the merge',
      landed({ kind: 'gate-failed', command: 'npm test', tail: 'boom' }),
      { kind: 'run-agent', attempt: 2, feedback: { failedCommand: 'npm test (on the merge with main)', tail: 'boom' } },
    ],
    ['the merge failed the gate with no attempt left: blocked', landed({ kind: 'gate-failed', command: 'npm test', tail: 'boom' }, { attempt: 3 }), { kind: 'block', reason: 'the merge with main failed the gate: npm test', tail: 'boom' }],
  ]);
});

describe('nextStep: after merging the base into the branch', () => {
  const merged = (clean: boolean, overrides: Partial<WorkerState> = {}) => state({ kind: 'base-merged', conflicts: ['a.ts'], clean, unmerged: clean ? [] : ['a.ts'] }, overrides);
  table([
    ['a clean merge: another attempt, nothing to hand back', merged(true), { kind: 'run-agent', attempt: 2, feedback: undefined }],
    ['unmerged files: the agent resolves them', merged(false), { kind: 'run-agent', attempt: 2, feedback: { conflictFiles: ['a.ts'] } }],
    ['no attempt left: blocked on the conflict', merged(false, { attempt: 3 }), { kind: 'block', reason: 'conflicts with main in a.ts', tail: '' }],
  ]);
});

describe('nextStep: after an error', () => {
  const error = (worktreeReady: boolean, overrides: Partial<WorkerState> = {}) => state({ kind: 'error', message: 'git died', worktreeReady }, overrides);
  table([
    ['before the worktree was ready: release, nothing to save', error(false), { kind: 'release-unstarted', why: 'worker w1 failed before its worktree was ready: git died' }],
    ['with a worktree: save the work and report the failure', error(true), { kind: 'fail' }],
    ['a stop explains the error: released as stopped', error(true, { stopRequested: true }), { kind: 'release', why: 'stopped before it finished' }],
  ]);
});

describe('a whole task, step by step', () => {
  it('red gate, green gate, conflict on landing, clean merge, landed', () => {
    const happenings: Happened[] = [
      { kind: 'set-up' },
      { kind: 'agent-ran', outcome: { kind: 'ok' } },
      { kind: 'attempt-recorded', outcome: { kind: 'ok' } },
      { kind: 'paths-checked', outside: [], role },
      { kind: 'gate-ran', gate: red },
      { kind: 'agent-ran', outcome: { kind: 'ok' } },
      { kind: 'attempt-recorded', outcome: { kind: 'ok' } },
      { kind: 'paths-checked', outside: [], role },
      { kind: 'gate-ran', gate: { kind: 'passed' } },
      { kind: 'committed', tip: 't1' },
      { kind: 'landing-ended', outcome: { kind: 'conflict', files: ['x'] } },
      { kind: 'base-merged', conflicts: ['x'], clean: true, unmerged: [] },
      { kind: 'agent-ran', outcome: { kind: 'ok' } },
      { kind: 'attempt-recorded', outcome: { kind: 'ok' } },
      { kind: 'paths-checked', outside: [], role },
      { kind: 'gate-ran', gate: { kind: 'passed' } },
      { kind: 'committed', tip: 't2' },
      { kind: 'landing-ended', outcome: { kind: 'landed', commit: 'm3', regated: true } },
    ];
    let current = state({ kind: 'set-up' }, { attempt: 0 });
    const steps: string[] = [];
    for (const happened of happenings) {
      const step = nextStep({ ...current, last: happened });
      steps.push(step.kind === 'run-agent' ? `run-agent ${step.attempt}` : step.kind);
      current = { ...current, last: happened, attempt: step.kind === 'run-agent' ? step.attempt : current.attempt };
    }
    expect(steps).toEqual([
      'run-agent 1', 'record-attempt', 'check-paths', 'gate', 'run-agent 2', 'record-attempt', 'check-paths', 'gate', 'commit', 'queue', 'merge-base',
      'run-agent 3', 'record-attempt', 'check-paths', 'gate', 'commit', 'queue', 'finish',
    ]);
    expect(nextStep({ ...current, last: happenings.at(-1)! })).toEqual({ kind: 'finish', commit: 'm3', attempts: 3 });
  });
});

describe('the failures handed back to the agent', () => {
  it('names the agent run, the path check, the gate command', () => {
    expect(agentFailure('codex', 'exited with 2')).toEqual({ reason: 'agent codex failed: exited with 2', command: 'the codex agent run', tail: 'exited with 2' });
    expect(pathFailure({ name: 'docs', paths: ['docs/**', '*.md'] }, ['src/a.ts'])).toEqual({
      reason: 'changes outside allowed paths: src/a.ts',
      command: 'path check',
      tail: 'These files are outside the paths role docs may change (docs/**, *.md):\nsrc/a.ts',
    });
    expect(gateFailure({ ...red, exitCode: 2 })).toEqual({ reason: 'npm test exited with 2', command: 'npm test', tail: 'expected 4, got 5' });
  });
});

describe('waitOrGiveUp: an API limit spends no attempt, up to outage', () => {
  const input = { agent: 'claude', what: 'rate limited', outageMs: 30 * 60_000 };
  it.each([
    [0, 15_000, { kind: 'wait' }],
    [29 * 60_000, 60_000, { kind: 'wait' }],
    [29 * 60_000, 61_000, { kind: 'outage', reason: 'claude: rate limited for 30m1s, more than outage: 30m allows' }],
    [20 * 60_000, 20 * 60_000, { kind: 'outage', reason: 'claude: rate limited for 40m, more than outage: 30m allows' }],
  ])('waited %i ms, next wait %i ms', (waitedMs, delayMs, expected) => {
    expect(waitOrGiveUp({ ...input, waitedMs, delayMs })).toEqual(expected);
  });
});

describe('agentOutcome: the agent run as the decisions see it', () => {
  const ran = (result: Partial<AgentRunResult>) => ({ kind: 'ran' as const, result: { ok: false, exitCode: 1, durationMs: 5, ...result } });
  it.each([
    ['an ok run', ran({ ok: true, exitCode: 0 }), { kind: 'ok' }],
    ['a run that went quiet', ran({ failure: 'idle', reason: 'no output for 10m' }), { kind: 'failed', failure: 'idle', reason: 'no output for 10m' }],
    ['an agent that could not start', ran({ exitCode: null, failure: 'not-started', reason: 'aider is not installed' }), { kind: 'failed', failure: 'not-started', reason: 'aider is not installed' }],
    ['an API down past outage', { kind: 'outage' as const, reason: 'claude: unreachable for 31m' }, { kind: 'outage', reason: 'claude: unreachable for 31m' }],
  ])('%s', (_name, run, expected) => {
    expect(agentOutcome(run)).toEqual(expected);
  });
});
