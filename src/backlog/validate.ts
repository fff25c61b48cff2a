import type { Problem } from '../errors.js';
import type { Task } from './task.js';

function lineOf(task: Task, key: string): number {
  return task.lines[key] ?? task.lines.id ?? 1;
}

function dependsKey(task: Task): string {
  return task.lines.depends_on !== undefined ? 'depends_on' : 'dependencies';
}

/** Problems that involve several tasks: duplicate ids, unknown dependencies, cycles. */
export function crossCheckTasks(tasks: readonly Task[]): Problem[] {
  const problems: Problem[] = [];
  const byId = new Map<string, Task>();
  for (const task of tasks) {
    const first = byId.get(task.id);
    if (first) {
      problems.push({
        path: task.file,
        line: lineOf(task, 'id'),
        message: `duplicate id "${task.id}" (also in ${first.file}:${lineOf(first, 'id')}; expected every id to be unique)`,
      });
    } else byId.set(task.id, task);
  }
  for (const task of tasks) {
    for (const dependency of task.dependsOn) {
      if (!byId.has(dependency)) {
        problems.push({
          path: task.file,
          line: lineOf(task, dependsKey(task)),
          message: `${dependsKey(task)}: unknown task "${dependency}" (expected the id of a task in the backlog)`,
        });
      } else if (dependency === task.id) {
        problems.push({ path: task.file, line: lineOf(task, dependsKey(task)), message: `${task.id} depends on itself (expected other task ids)` });
      }
    }
  }
  for (const cycle of findCycles(byId)) {
    const head = byId.get(cycle[0] ?? '');
    if (!head) continue;
    problems.push({
      path: head.file,
      line: lineOf(head, dependsKey(head)),
      message: `dependency cycle ${[...cycle, cycle[0]].join(' -> ')} (expected dependencies without cycles)`,
    });
  }
  return problems;
}

/** Each elementary cycle once, as found by a depth-first walk; self-loops are reported elsewhere. */
export function findCycles(byId: ReadonlyMap<string, Task>): string[][] {
  const state = new Map<string, 'open' | 'closed'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (id: string) => {
    state.set(id, 'open');
    stack.push(id);
    for (const next of byId.get(id)?.dependsOn ?? []) {
      if (next === id || !byId.has(next)) continue;
      const seen = state.get(next);
      if (seen === 'open') cycles.push(stack.slice(stack.indexOf(next)));
      else if (seen === undefined) visit(next);
    }
    stack.pop();
    state.set(id, 'closed');
  };
  for (const id of byId.keys()) if (!state.has(id)) visit(id);
  return cycles;
}
