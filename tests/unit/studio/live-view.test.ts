import { describe, expect, it } from 'vitest';
import { parseRoles } from '../../../src/cli/commands/run.js';
import { renderLiveView, terminalReporter } from '../../../src/studio/live-view.js';
import { planSlots } from '../../../src/studio/run-studio.js';
import { formatWorkerEvent, type WorkerEvent } from '../../../src/worker/events.js';

const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 10, 0, seconds));

describe('the live view', () => {
  const events: WorkerEvent[] = [
    { worker: 'claude-1', task: 'A1', title: 'Add members', phase: 'agent', attempt: 2, time: at(0) },
    { worker: 'claude-2', phase: 'idle', time: at(5) },
  ];

  it('renders one line per worker and a footer', () => {
    const since = new Map([['claude-1', at(0)], ['claude-2', at(5)]]);
    const lines = renderLiveView(events, since, { done: 3, blocked: 1, review: 0, waiting: 4 }, at(75), false, 100);
    expect(lines).toEqual([
      'claude-1     agent     1m15s #2  A1 Add members',
      'claude-2     idle      1m10s     -',
      'done 3 · blocked 1 · review 0 · waiting 4   (Ctrl-C stops cleanly)',
    ]);
  });

  it('cuts lines to the terminal width, with an ellipsis', () => {
    const lines = renderLiveView([{ ...events[0]!, title: 'x'.repeat(200) }], new Map(), { done: 0, blocked: 0, review: 0, waiting: 0 }, at(1), false, 40);
    expect(lines[0]).toBe(`claude-1     agent        1s #2  A1 ${'x'.repeat(2)}…`);
    expect(lines[0]).toHaveLength(39);
  });

  it('counts columns as the terminal shows them: colour codes take none, so coloured lines keep their width', () => {
    const lines = renderLiveView([{ ...events[0]!, title: 'x'.repeat(200) }], new Map(), { done: 0, blocked: 0, review: 0, waiting: 0 }, at(1), true, 50);
    const visible = (line: string) => line.replace(/\u001b\[[0-9;]*m/g, '');
    expect(visible(lines[0]!)).toBe(`claude-1     agent        1s #2  A1 ${'x'.repeat(12)}…`);
    expect(visible(lines[0]!)).toHaveLength(49);
    expect(lines[0]).toContain('\u001b[36magent   \u001b[39m');
    // The footer too: cut, with its colour closed.
    expect(visible(lines[1]!)).toBe('done 0 · blocked 0 · review 0 · waiting 0   (Ctr…');
    expect(lines[1]!.endsWith('\u001b[22m')).toBe(true);
  });

  it('redraws in place on a terminal: each frame erases exactly the lines of the one before', () => {
    const written: string[] = [];
    const reporter = terminalReporter({ interactive: true, color: false, write: (text) => written.push(text), width: () => 30 });
    reporter.emit({ worker: 'w1', task: 'A1', title: 'A title far longer than thirty columns', phase: 'agent', time: new Date() });
    reporter.emit({ worker: 'w2', phase: 'idle', time: new Date() });
    reporter.stop();
    const frame = written.join('');
    expect(frame.split('\n').filter((line) => line.includes('w1'))).toHaveLength(1);
    for (const line of frame.split('\n')) expect(line.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').length).toBeLessThanOrEqual(29);
    reporter.stop();
    expect(written.join('')).toBe(frame);
  });

  it('prints state changes in a pipe, not each idle poll', () => {
    const written: string[] = [];
    const reporter = terminalReporter({ interactive: false, color: false, write: (text) => written.push(text), width: () => 80 });
    for (let poll = 0; poll < 50; poll++) {
      reporter.emit({ worker: 'w1', phase: 'claiming', time: at(poll) });
      reporter.emit({ worker: 'w1', phase: 'idle', detail: 'waiting for an eligible task', time: at(poll) });
    }
    reporter.emit({ worker: 'w1', phase: 'claiming', time: at(51) });
    reporter.emit({ worker: 'w1', task: 'A1', phase: 'setup', time: at(52) });
    reporter.emit({ worker: 'w1', task: 'A1', phase: 'agent', attempt: 1, time: at(53) });
    reporter.emit({ worker: 'w1', task: 'A1', phase: 'agent', time: at(54) });
    reporter.emit({ worker: 'w1', task: 'A1', phase: 'agent', attempt: 2, time: at(55) });
    reporter.emit({ worker: 'w1', task: 'A1', phase: 'done', time: at(56) });
    reporter.emit({ worker: 'w1', phase: 'claiming', time: at(57) });
    reporter.emit({ worker: 'w1', phase: 'idle', detail: 'waiting for an eligible task', time: at(57) });
    reporter.stop();
    expect(written.join('')).toBe(
      [
        '10:00:00 w1 claiming',
        '10:00:52 w1 A1 setup',
        '10:00:53 w1 A1 agent (attempt 1)',
        '10:00:55 w1 A1 agent (attempt 2)',
        '10:00:56 w1 A1 done',
        '10:00:57 w1 claiming',
        '',
      ].join('\n'),
    );
  });

  it('prints plain event lines in a pipe', () => {
    const written: string[] = [];
    const reporter = terminalReporter({ interactive: false, color: false, write: (text) => written.push(text), width: () => 80 });
    reporter.emit({ worker: 'w1', task: 'A1', phase: 'gate', attempt: 1, detail: 'npm test', time: at(3) });
    reporter.stop();
    reporter.stop();
    expect(written).toEqual(['10:00:03 w1 A1 gate (attempt 1): npm test\n']);
    expect(formatWorkerEvent({ worker: 'w1', phase: 'idle', time: at(4) })).toBe('10:00:04 w1 idle');
  });
});

describe('worker slots', () => {
  it('plans -j N and --roles', () => {
    expect(planSlots({ jobs: 2, agent: 'codex' })).toEqual([{ worker: 'codex-1' }, { worker: 'codex-2' }]);
    expect(planSlots({ roles: parseRoles('developer=2,architect'), agent: 'claude' })).toEqual([
      { worker: 'claude-developer-1', role: 'developer' },
      { worker: 'claude-developer-2', role: 'developer' },
      { worker: 'claude-architect-3', role: 'architect' },
    ]);
    expect(() => parseRoles('developer=x')).toThrow(/"developer=x" is not role=count/);
  });
});
