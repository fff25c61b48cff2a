// Property: any task file that is todo round-trips byte for byte through a claim and a release
// as crewtree does them (rewriteTask: the status in the backlog's words, the lock block, no note
// when there is nothing to say), in either dialect, whatever its line ends, BOM and layout.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBacklog } from '../../../src/backlog/backlog.js';
import { detectDialect } from '../../../src/backlog/dialect.js';
import { rewriteTask } from '../../../src/backlog/lock-text.js';
import type { Task } from '../../../src/backlog/task.js';
import { lockValue, taskFile } from './task-file-arbitrary.js';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 1000);
const backlogMd = detectDialect('statuses: ["To Do", "In Progress", "Done"]\ntask_prefix: "task"\n').dialect;

function readOne(path: string, text: string, md: boolean): Task | undefined {
  const backlog = parseBacklog([{ path, text }], undefined, md ? { dialect: backlogMd } : {});
  return backlog.problems.length === 0 ? backlog.tasks[0] : undefined;
}

describe('claim then release gives back the original file (property, fast-check)', () => {
  let checked = 0;
  it(`through rewriteTask, in both dialects, with and without a BOM (${RUNS} files)`, () => {
    fc.assert(
      fc.property(
        taskFile({ lock: 'no', status: 'yes' }).filter((file) => file.statusText === 'todo' || file.statusText === 'To Do'),
        lockValue,
        fc.boolean(),
        (file, lock, bom) => {
          const md = file.statusText === 'To Do';
          const path = md ? 'backlog/tasks/task-1 - T.md' : 'backlog/tasks/A1-t.md';
          const original = bom ? `\uFEFF${file.text}` : file.text;
          const task = readOne(path, original, md);
          if (!task || task.status !== 'todo') return;
          checked++;
          const claimed = rewriteTask(original, task, { status: 'in-progress', lock });
          expect(claimed).not.toBe(original);
          const held = readOne(path, claimed, md);
          expect(held?.status).toBe('in-progress');
          const released = rewriteTask(claimed, held as Task, { status: 'todo', lock: undefined });
          expect(released).toBe(original);
        },
      ),
      { numRuns: RUNS },
    );
    // NOTE: most generated files carry a value crewtree reports (they are checked elsewhere); about
    // one in eight is a valid todo task, so the property is not vacuous.
    expect(checked).toBeGreaterThan(RUNS / 20);
  });

  it('a file that is not valid UTF-8 is refused, never rewritten', () => {
    const text = '---\nid: A1\ntitle: Caf\uFFFD\n---\n';
    const task = { ...(parseBacklog([{ path: 'a.md', text: text.replace('\uFFFD', 'e') }]).tasks[0] as Task) };
    expect(() => rewriteTask(text, task, { status: 'in-progress', lock: undefined })).toThrow(/not valid UTF-8/);
  });
});
