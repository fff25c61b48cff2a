import { describe, expect, it } from 'vitest';
import { findTask, naturalCompare, parseBacklog } from '../../../src/backlog/backlog.js';
import { findCycles } from '../../../src/backlog/validate.js';
import { CrewError, formatProblem } from '../../../src/errors.js';
import { makeTask } from './task-builder.js';

const file = (id: string, extra = '') => ({ path: `backlog/tasks/${id}-x.md`, text: `---\nid: ${id}\ntitle: Task ${id}\n${extra}---\n` });

describe('parseBacklog', () => {
  it('fills defaults and accepts the spellings the design allows', () => {
    const backlog = parseBacklog([
      file('A1'),
      file('A2', 'status: In Progress\npriority: High\ndepends_on: A1, A3\nlabels: api\nepic: 2026\n'),
      file('A3', 'status: " done "\npriority: LOW\ntype: fix\nrole: architect\nreview: true\ndepends_on: null\n'),
    ]);
    expect(backlog.problems).toEqual([]);
    expect(backlog.tasks.map((t) => [t.id, t.status, t.priority, t.type, t.role, t.dependsOn, t.labels, t.epic, t.review])).toEqual([
      ['A1', 'todo', 'medium', 'feat', 'developer', [], [], undefined, false],
      ['A2', 'in-progress', 'high', 'feat', 'developer', ['A1', 'A3'], ['api'], '2026', false],
      ['A3', 'done', 'low', 'fix', 'architect', [], [], undefined, true],
    ]);
    expect(backlog.tasks[1]?.lines).toEqual({ id: 2, title: 3, status: 4, priority: 5, depends_on: 6, labels: 7, epic: 8 });
  });

  it('orders tasks by file name, numbers compared as numbers', () => {
    const backlog = parseBacklog([file('A10'), file('A9'), file('A1')]);
    expect(backlog.tasks.map((t) => [t.id, t.order])).toEqual([
      ['A1', 0],
      ['A9', 1],
      ['A10', 2],
    ]);
  });

  it('reads a chain of 10,000 dependencies without overflowing the stack, and finds a cycle at its end', () => {
    const count = 10_000;
    const files = Array.from({ length: count }, (_, index) => file(`T${index + 1}`, index > 0 ? `depends_on: [T${index}]\n` : ''));
    expect(parseBacklog(files).problems).toEqual([]);
    files[0] = file('T1', `depends_on: [T${count}]\n`);
    const problems = parseBacklog(files).problems.map(formatProblem);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^backlog\/tasks\/T1-x\.md:4: dependency cycle T1 -> T10000 -> T9999 -> .* -> T2 -> T1 \(expected dependencies without cycles\)$/);
  });

  it('reports each cycle once', () => {
    const tasks = [
      makeTask({ id: 'A', dependsOn: ['B'] }),
      makeTask({ id: 'B', dependsOn: ['A', 'C'] }),
      makeTask({ id: 'C', dependsOn: ['D'] }),
      makeTask({ id: 'D', dependsOn: ['C', 'D'] }),
    ];
    expect(findCycles(new Map(tasks.map((t) => [t.id.toLowerCase(), t])))).toEqual([
      ['A', 'B'],
      ['C', 'D'],
    ]);
  });
});

describe('naturalCompare', () => {
  it('orders digit runs as numbers, ignores ASCII case, and is total', () => {
    const names = ['task-10 - b.md', 'task-9 - a.md', 'A10', 'a2', 'A2', 'task-1', 'task-01', 'B', 'a', 'task-1 - x.md', 'x007', 'x7', 'x8'];
    expect([...names].sort(naturalCompare)).toEqual(['a', 'A2', 'a2', 'A10', 'B', 'task-01', 'task-1', 'task-1 - x.md', 'task-9 - a.md', 'task-10 - b.md', 'x007', 'x7', 'x8']);
    for (const a of names) for (const b of names) expect(Math.sign(naturalCompare(a, b)) + Math.sign(naturalCompare(b, a)), `${a} ${b}`).toBe(0);
    expect(names.filter((a) => names.some((b) => a !== b && naturalCompare(a, b) === 0))).toEqual([]);
  });
});

describe('findTask', () => {
  const backlog = parseBacklog([file('A32'), file('task-7')]);

  it('finds by exact id, then ignoring case', () => {
    expect(findTask(backlog, 'A32').id).toBe('A32');
    expect(findTask(backlog, 'TASK-7').id).toBe('task-7');
  });

  it('says which id is missing and how to see the ids', () => {
    let thrown: unknown;
    try {
      findTask(backlog, 'A99');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CrewError);
    expect((thrown as CrewError).message).toBe('There is no task A99 in the backlog.');
    expect((thrown as CrewError).hint).toBe('See the ids with `crew task list`.');
    expect((thrown as CrewError).exitCode).toBe(2);
  });
});
