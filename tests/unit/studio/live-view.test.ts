import { describe, expect, it } from 'vitest';
import { parseRoles } from '../../../src/cli/commands/run.js';
import { renderLiveView, terminalReporter } from '../../../src/studio/live-view.js';
import { planSlots } from '../../../src/studio/run-studio.js';
import { formatWorkerEvent, type WorkerEvent } from '../../../src/worker/events.js';

const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 10, 0, seconds));

describe('the live view', () => {
  const events: WorkerEvent[] = [
    { worker: 'claude-1', task: 'A1', title: 'Add members', phase: 'agent', attempt: 2, at: at(0) },
    { worker: 'claude-2', phase: 'idle', at: at(5) },
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

  it('cuts lines to the terminal width', () => {
    const lines = renderLiveView([{ ...events[0]!, title: 'x'.repeat(200) }], new Map(), { done: 0, blocked: 0, review: 0, waiting: 0 }, at(1), false, 40);
    expect(lines[0]).toHaveLength(39);
  });

  it('prints plain event lines in a pipe', () => {
    const written: string[] = [];
    const reporter = terminalReporter({ interactive: false, color: false, write: (text) => written.push(text), width: () => 80 });
    reporter.emit({ worker: 'w1', task: 'A1', phase: 'gate', attempt: 1, detail: 'npm test', at: at(3) });
    reporter.stop();
    reporter.stop();
    expect(written).toEqual(['10:00:03 w1 A1 gate (attempt 1): npm test\n']);
    expect(formatWorkerEvent({ worker: 'w1', phase: 'idle', at: at(4) })).toBe('10:00:04 w1 idle');
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
