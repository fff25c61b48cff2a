import { describe, expect, it } from 'vitest';
import { parseBacklog } from '../../../src/backlog/backlog.js';
import { buildDashboardState, COLUMN_LIMIT, LOG_TAIL } from '../../../src/dashboard/state.js';
import { hostAllowed, newToken, tokenMatches } from '../../../src/dashboard/token.js';
import { taskFile } from '../../integration/views/fixed-backlog.js';

describe('dashboard token', () => {
  it('is 32 hex characters, new each time', () => {
    const token = newToken();
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect(newToken()).not.toBe(token);
  });

  it('matches only the exact token', () => {
    const token = newToken();
    expect(tokenMatches(token, token)).toBe(true);
    expect(tokenMatches(token.slice(0, -1), token)).toBe(false);
    expect(tokenMatches(`${token}0`, token)).toBe(false);
    expect(tokenMatches(token.toUpperCase(), token)).toBe(false);
    expect(tokenMatches('', token)).toBe(false);
    expect(tokenMatches(null, token)).toBe(false);
  });

  it('accepts loopback and localhost on its own port as the Host, nothing else', () => {
    expect(hostAllowed('127.0.0.1:4000', 4000)).toBe(true);
    expect(hostAllowed('localhost:4000', 4000)).toBe(true);
    expect(hostAllowed('127.0.0.1:4001', 4000)).toBe(false);
    expect(hostAllowed('attacker.example:4000', 4000)).toBe(false);
    expect(hostAllowed(undefined, 4000)).toBe(false);
  });
});

describe('buildDashboardState', () => {
  const backlog = parseBacklog([
    { path: 'backlog/tasks/A1-a.md', text: taskFile({ id: 'A1', title: 'Low one', status: 'todo', priority: 'low' }) },
    { path: 'backlog/tasks/A2-b.md', text: taskFile({ id: 'A2', title: 'High one', status: 'in-progress', priority: 'high', lock: { worker: 'dev-1', host: 'h', pid: 1, since: '2025-12-02T11:00:00Z', token: 't' } }) },
  ]);
  const lines = Array.from({ length: LOG_TAIL + 5 }, (_, n) => `2025-12-02 11:00:00 UTC | w | A1 | edited | ${n}`);
  const state = buildDashboardState({
    base: 'main',
    commit: 'c'.repeat(40),
    now: new Date('2025-12-02T11:10:00Z'),
    tasks: backlog.tasks,
    problems: [{ path: 'backlog/tasks/x.md', line: 2, message: 'bad' }],
    logLines: lines,
    workers: [],
    queue: { runner: null, waiting: [], recent: [] },
    usage: new Map([
      ['A2', { inputTokens: 10, outputTokens: 5, costUsd: 0.001 }],
      ['A1', { inputTokens: 0, outputTokens: 0, costUsd: 0 }],
    ]),
  });

  it('orders tasks as workers rank them and carries lock holder and usage', () => {
    expect(state.tasks.map((t) => [t.id, t.status, t.worker, t.usage])).toEqual([
      ['A2', 'in-progress', 'dev-1', { inputTokens: 10, outputTokens: 5, costUsd: 0.001 }],
      ['A1', 'todo', null, null],
    ]);
  });

  it('sends only the tail of the log, with the total, and the backlog problems as text', () => {
    expect(state.log).toHaveLength(LOG_TAIL);
    expect(state.log.at(-1)).toBe(lines.at(-1));
    expect(state.logTotal).toBe(LOG_TAIL + 5);
    expect(state.problems).toEqual(['backlog/tasks/x.md:2: bad']);
    expect(state.now).toBe('2025-12-02T11:10:00.000Z');
  });
});

describe('buildDashboardState at scale', () => {
  it('sends each column its first COLUMN_LIMIT tasks in board order, with every count and the whole cost', () => {
    const files = Array.from({ length: 2 * COLUMN_LIMIT + 40 }, (_, n) => ({ path: `backlog/tasks/B${n + 1}-b.md`, text: taskFile({ id: `B${n + 1}`, title: `Task ${n + 1}`, status: n % 2 ? 'done' : 'todo', priority: 'medium' }) }));
    const big = parseBacklog([...files, { path: 'backlog/tasks/Z1-z.md', text: taskFile({ id: 'Z1', title: 'Blocked', status: 'blocked', priority: 'low' }) }]);
    const last = `B${2 * COLUMN_LIMIT + 40}`;
    const state = buildDashboardState({ base: 'main', commit: 'c'.repeat(40), now: new Date(), tasks: big.tasks, problems: [], logLines: [], workers: [], queue: { runner: null, waiting: [], recent: [] }, usage: new Map([[last, { inputTokens: 1, outputTokens: 1, costUsd: 0.5 }]]) });
    expect(state.counts).toEqual({ todo: COLUMN_LIMIT + 20, 'in-progress': 0, review: 0, done: COLUMN_LIMIT + 20, blocked: 1 });
    const shown = (status: string) => state.tasks.filter((task) => task.status === status).map((task) => task.id);
    expect(shown('todo')).toEqual(Array.from({ length: COLUMN_LIMIT }, (_, n) => `B${2 * n + 1}`));
    expect(shown('done')).toEqual(Array.from({ length: COLUMN_LIMIT }, (_, n) => `B${2 * n + 2}`));
    expect(shown('blocked')).toEqual(['Z1']);
    expect(state.spentUsd).toBe(0.5);
  });
});
