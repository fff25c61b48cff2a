import { describe, expect, it } from 'vitest';
import { linesOfTask, logLines, newLogLines, orderRunFiles, renderLog, renderRuns } from '../../../src/views/log.js';
import { TASK_LOG } from '../../integration/views/fixed-backlog.js';

describe('linesOfTask', () => {
  it('keeps exactly the lines whose task field is the id (not A10, not a mention in a detail)', () => {
    expect(linesOfTask(logLines(TASK_LOG), 'A1')).toEqual([
      '2025-12-02 11:00:00 UTC | user | A1 | created | Add members list',
      '2025-12-02 11:03:23 UTC | dev-1 | A1 | started | picked from backlog',
      '2025-12-02 11:04:00 UTC | dev-1 | A1 | gate-failed | npm test: 1 failing (see A10 notes)',
    ]);
    expect(linesOfTask(logLines(TASK_LOG), 'A10')).toEqual([
      '2025-12-02 11:00:01 UTC | user | A10 | created | Export members as CSV',
      '2025-12-02 11:06:00 UTC | dev-3 | A10 | started | mentions A1 in its detail',
    ]);
    expect(linesOfTask(logLines(TASK_LOG), 'a1')).toEqual([]);
  });
});

describe('newLogLines', () => {
  const a = '2025-12-02 11:00:00 UTC | w | A1 | started | x';
  const b = '2025-12-02 11:00:01 UTC | w | A2 | started | x';
  const c = '2025-12-02 11:00:02 UTC | w | A3 | started | x';
  it('returns appended lines', () => expect(newLogLines(`${a}\n`, `${a}\n${b}\n`)).toEqual([b]));
  it('finds lines a union merge put in the middle', () => expect(newLogLines(`${a}\n${c}\n`, `${a}\n${b}\n${c}\n`)).toEqual([b]));
  it('counts repeated lines', () => expect(newLogLines(`${a}\n`, `${a}\n${a}\n`)).toEqual([a]));
  it('returns nothing when nothing was added', () => expect(newLogLines(`${a}\n${b}\n`, `${a}\n${b}\n`)).toEqual([]));
});

describe('orderRunFiles', () => {
  it('orders attempts numerically (run log, then its gate log), then landing logs, then the rest', () => {
    expect(orderRunFiles(['10.log', 'landing-1.log', '2.gate.log', 'dispatch.log', '1.gate.log', '2.log', '1.log', 'landing-2.log'])).toEqual([
      '1.log',
      '1.gate.log',
      '2.log',
      '2.gate.log',
      '10.log',
      'landing-1.log',
      'landing-2.log',
      'dispatch.log',
    ]);
  });
});

describe('renderLog', () => {
  it('prints the lines, each attempt with its tokens and final message, the total and each run log', () => {
    const text = renderLog({
      task: 'A1',
      lines: ['2025-12-02 11:03:23 UTC | dev-1 | A1 | started | picked from backlog'],
      runs: {
        dir: '.git/crewtree/runs/A1',
        attempts: [{ attempt: 1, worker: 'dev-1', agent: 'claude', ok: false, reason: 'timed out after 30m', usage: { inputTokens: 2350, outputTokens: 120, costUsd: 0.0026 }, finalMessage: 'I could not\nfinish.', gate: 'skipped', at: '2025-12-02T11:33:23Z' }],
        totals: { inputTokens: 2350, outputTokens: 120, costUsd: 0.0026 },
        files: [{ name: '1.log', path: '.git/crewtree/runs/A1/1.log', text: 'agent output\n' }],
      },
    });
    expect(text).toBe(
      [
        '2025-12-02 11:03:23 UTC | dev-1 | A1 | started | picked from backlog',
        '',
        'attempt 1 · dev-1 · claude · failed: timed out after 30m · gate skipped · 2025-12-02 11:33:23 UTC',
        '  tokens: 2,350 input tokens, 120 output tokens, $0.0026',
        '  final message: I could not',
        '    finish.',
        'total: 2,350 input tokens, 120 output tokens, $0.0026',
        '',
        '===== .git/crewtree/runs/A1/1.log =====',
        'agent output',
      ].join('\n'),
    );
  });

  it('says so when there is nothing', () => {
    expect(renderLog({ task: 'A9', lines: [], runs: { dir: 'r/A9', attempts: [], totals: { inputTokens: 0, outputTokens: 0, costUsd: 0 }, files: [] } })).toBe(
      'No task log lines for A9.\n\nNo runs recorded in r/A9.',
    );
    expect(renderRuns({ dir: 'r', attempts: [], totals: { inputTokens: 0, outputTokens: 0, costUsd: 0 }, files: [{ name: 'x.log', path: 'r/x.log', text: 'x\n' }] })).toBe('===== r/x.log =====\nx');
    expect(renderLog({ task: null, lines: [], runs: null })).toBe('The task log is empty.');
  });
});

describe('what crew log prints of text from task files and agents', () => {
  const hostile = '2025-12-02 11:00:00 UTC | user | A1 | created | Title \u001b]52;c;ZWNobyBoaQ==\u0007with \u001b[2Jescapes\u009b31m';
  it('drops the escape sequences of a task log line (clipboard, clear screen, 8-bit CSI), keeping its text', () => {
    expect(renderLog({ task: null, lines: [hostile], runs: null })).toBe('2025-12-02 11:00:00 UTC | user | A1 | created | Title with escapes');
  });
  it('drops them from the run logs it prints too', () => {
    const out = renderRuns({ dir: 'runs/A1', attempts: [], totals: { inputTokens: 0, outputTokens: 0, costUsd: 0 }, files: [{ name: '1.log', path: 'runs/A1/1.log', text: 'agent said \u001b[31mred\u001b[0m\u001b]0;title\u0007' }] });
    expect(out).toBe('===== runs/A1/1.log =====\nagent said red');
  });
});
