import type { Problem } from '../errors.js';
import type { Task } from './task.js';

function lineOf(task: Task, key: string): number {
  return task.lines[key] ?? task.lines.id ?? 1;
}

function dependsKey(task: Task): string {
  return task.lines.depends_on !== undefined ? 'depends_on' : 'dependencies';
}

/**
 * Problems that involve several tasks: duplicate ids, unknown dependencies, cycles. Ids are
 * compared ignoring case, as Backlog.md does (`TASK-35` in a file named `task-35 - ...`) and as
 * `crew task show` does. `otherIds` are ids declared by files that have problems of their own:
 * depending on them is not reported again as an unknown dependency.
 */
export function crossCheckTasks(tasks: readonly Task[], otherIds: ReadonlySet<string> = new Set()): Problem[] {
  const problems: Problem[] = [];
  const byId = new Map<string, Task>();
  const duplicated = new Set<string>();
  const others = new Set([...otherIds].map((id) => id.toLowerCase()));
  for (const task of tasks) {
    const key = task.id.toLowerCase();
    if (byId.has(key)) duplicated.add(key);
    else byId.set(key, task);
  }
  // NOTE: groups built only for the ids that repeat: a list per task cost 10,000 arrays a read.
  const groups = new Map<string, Task[]>();
  if (duplicated.size > 0) {
    for (const task of tasks) {
      const key = task.id.toLowerCase();
      if (duplicated.has(key)) groups.set(key, [...(groups.get(key) ?? []), task]);
    }
  }
  for (const same of groups.values()) {
    for (const task of same) {
      const others = same.filter((other) => other !== task).map((other) => `${other.file}:${lineOf(other, 'id')}`);
      problems.push({
        path: task.file,
        line: lineOf(task, 'id'),
        message: `duplicate id "${task.id}" (also in ${others.join(', ')}; expected every id to be unique, ignoring case)`,
      });
    }
  }
  for (const task of tasks) {
    if (task.dependsOn.length === 0) continue;
    for (const dependency of task.dependsOn) {
      const key = dependency.toLowerCase();
      if (key === task.id.toLowerCase()) {
        problems.push({ path: task.file, line: lineOf(task, dependsKey(task)), message: `${task.id} depends on itself (expected other task ids)` });
      } else if (!byId.has(key) && !others.has(key)) {
        problems.push({
          path: task.file,
          line: lineOf(task, dependsKey(task)),
          message: `${dependsKey(task)}: unknown task "${dependency}" (expected the id of a task in the backlog)`,
        });
      }
    }
  }
  for (const cycle of findCycles(byId)) {
    const head = byId.get((cycle[0] ?? '').toLowerCase());
    if (!head) continue;
    problems.push({
      path: head.file,
      line: lineOf(head, dependsKey(head)),
      message: `dependency cycle ${[...cycle, cycle[0]].join(' -> ')} (expected dependencies without cycles)`,
    });
  }
  return problems;
}

/**
 * Each cycle found by a depth-first walk, once, as task ids; self-loops are reported elsewhere.
 * `byId` is keyed by lowercase id. NOTE: iterative, so a chain of 10,000 dependencies does not
 * overflow the stack.
 */
export function findCycles(byId: ReadonlyMap<string, Task>): string[][] {
  const state = new Map<string, 'open' | 'closed'>();
  const cycles: string[][] = [];
  for (const [root, task] of byId) {
    // NOTE: a task without dependencies closes no cycle; most tasks have none.
    if (state.has(root) || task.dependsOn.length === 0) continue;
    const stack: string[] = [root];
    const next: number[] = [0];
    state.set(root, 'open');
    while (stack.length > 0) {
      const top = stack.length - 1;
      const id = stack[top] ?? '';
      const dependencies = byId.get(id)?.dependsOn ?? [];
      const index = next[top] ?? 0;
      if (index >= dependencies.length) {
        state.set(id, 'closed');
        stack.pop();
        next.pop();
        continue;
      }
      next[top] = index + 1;
      const dependency = (dependencies[index] ?? '').toLowerCase();
      if (dependency === id || !byId.has(dependency)) continue;
      const seen = state.get(dependency);
      if (seen === 'open') cycles.push(stack.slice(stack.indexOf(dependency)).map((key) => byId.get(key)?.id ?? key));
      else if (seen === undefined) {
        state.set(dependency, 'open');
        stack.push(dependency);
        next.push(0);
      }
    }
  }
  return cycles;
}
