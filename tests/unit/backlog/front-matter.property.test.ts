// Property: a write that changes one front-matter key (status, or the lock) leaves every other
// byte of the file as it was. Each generated file is made of entries whose spans are known, so
// the expected result is computed without the code under test: the original with only that
// key's span replaced.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { setFrontMatterKeys, splitFrontMatter } from '../../../src/backlog/front-matter.js';
import { parseTask } from '../../../src/backlog/parse-task.js';
import type { Task } from '../../../src/backlog/task.js';
import { parseYaml } from '../../../src/yaml/yaml.js';
import { singleLine } from '../../../src/terminal/safe-text.js';
import { entryOffset, lockValue, statusTexts, taskFile, yamlEnd, type GeneratedFile, type LockValue, type Newline } from './task-file-arbitrary.js';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 1000);

function frontValues(text: string): Record<string, unknown> {
  const front = splitFrontMatter(text);
  if (!front) throw new Error(`no front-matter in ${JSON.stringify(text)}`);
  const { doc } = parseYaml(front.yaml);
  expect(doc.errors.map((error) => error.message)).toEqual([]);
  return (doc.toJS() ?? {}) as Record<string, unknown>;
}

function bodyOf(text: string): string {
  return splitFrontMatter(text)?.body ?? '';
}

function quoted(text: string, quote: '' | "'" | '"'): string {
  return quote === '' ? text : quote === "'" ? `'${text}'` : JSON.stringify(text);
}

/**
 * `after` is `original` with `original.slice(from, to)` replaced by a text that is exactly
 * `key: value` as YAML, in the file's newline, ending with one.
 */
function expectOnlySpanReplaced(original: string, after: string, from: number, to: number, newline: Newline, expected: Record<string, unknown>): void {
  const prefix = original.slice(0, from);
  const suffix = original.slice(to);
  expect(after.length).toBeGreaterThanOrEqual(prefix.length + suffix.length);
  expect(after.slice(0, prefix.length)).toBe(prefix);
  expect(after.slice(after.length - suffix.length)).toBe(suffix);
  const middle = after.slice(prefix.length, after.length - suffix.length);
  expect(middle.endsWith(newline)).toBe(true);
  if (newline === '\r\n') expect(middle.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  else expect(middle).not.toContain('\r');
  expect(parseYaml(middle).doc.toJS()).toEqual(expected);
}

/** Counts of generated files that were valid task files, so the task-level checks are not vacuous. */
const validTasks = { status: 0, lockSet: 0, lockRemoved: 0 };

/** When the original is a valid task, the rewritten one is too, with only `changed` keys differing. */
function expectSameTask(original: string, after: string, changed: Partial<Task>, counter: keyof typeof validTasks): void {
  const parsed = parseTask('backlog/tasks/A1-x.md', original, 0);
  const before = parsed.task;
  if (!before || parsed.problems.length > 0) return;
  validTasks[counter]++;
  const rewritten = parseTask('backlog/tasks/A1-x.md', after, 0);
  expect(rewritten.problems).toEqual([]);
  // NOTE: lines may shift (a lock block grows), and the dialect follows the status text written.
  const { lines: _beforeLines, dialect: _beforeDialect, ...beforeRest } = before;
  const { lines: _afterLines, dialect: _afterDialect, ...afterRest } = rewritten.task as Task;
  expect(afterRest).toEqual({ ...beforeRest, ...changed });
}

/** Whether entry `index` comes after a `|+` block scalar with only blank lines between them. */
function followsKeptScalar(file: GeneratedFile, index: number): boolean {
  for (let at = index - 1; at >= 0; at--) {
    const text = file.entries[at]?.text ?? '';
    if (/^\r?\n$/.test(text)) continue;
    return /^[A-Za-z_]+: [|>]\+/.test(text);
  }
  return false;
}

const statusOf = (text: string) => parseTask('x.md', `---\nid: A1\ntitle: t\nstatus: ${JSON.stringify(text)}\n---\n`, 0).task?.status;

/** The lock as a task shows it: worker and host on one line, without control characters. */
function lockAsTask(lock: LockValue): Task['lock'] {
  return { ...lock, worker: singleLine(lock.worker), host: singleLine(lock.host) };
}

describe('setFrontMatterKeys keeps every other byte (property, fast-check)', () => {
  afterAll(() => {
    // NOTE: most generated files are valid tasks; if the generator drifted, the task-level checks would be empty.
    expect(validTasks.status).toBeGreaterThan(RUNS / 2);
    expect(validTasks.lockSet).toBeGreaterThan(RUNS / 2);
    expect(validTasks.lockRemoved).toBeGreaterThan(RUNS / 2);
  });

  it(`changing status replaces only the status value (${RUNS} files)`, () => {
    fc.assert(
      fc.property(taskFile(), fc.constantFrom(...statusTexts), (file, status) => {
        const after = setFrontMatterKeys(file.text, { status });
        const index = file.entries.findIndex((entry) => entry.key === 'status');
        const entry = file.entries[index];
        if (entry?.statusToken) {
          const at = entryOffset(file, index) + entry.statusToken.offset;
          expect(after).toBe(file.text.slice(0, at) + quoted(status, entry.statusToken.quote) + file.text.slice(at + entry.statusToken.length));
        } else if (entry) {
          expectOnlySpanReplaced(file.text, after, entryOffset(file, index), entryOffset(file, index + 1), file.newline, { status });
        } else {
          const end = yamlEnd(file);
          expect(after).toBe(file.text.slice(0, end) + `status: ${status}${file.newline}` + file.text.slice(end));
        }
        expect(frontValues(after)).toEqual({ ...frontValues(file.text), status });
        expect(bodyOf(after)).toBe(bodyOf(file.text));
        expectSameTask(file.text, after, { status: statusOf(status), statusName: status }, 'status');
      }),
      { numRuns: RUNS },
    );
  });

  it(`setting the lock replaces only the lock entry, or appends it (${RUNS} files)`, () => {
    fc.assert(
      fc.property(taskFile(), lockValue, (file: GeneratedFile, lock) => {
        const after = setFrontMatterKeys(file.text, { lock });
        const index = file.entries.findIndex((entry) => entry.key === 'lock');
        const [from, to] = index === -1 ? [yamlEnd(file), yamlEnd(file)] : [entryOffset(file, index), entryOffset(file, index + 1)];
        expectOnlySpanReplaced(file.text, after, from, to, file.newline, { lock });
        expect(frontValues(after)).toEqual({ ...frontValues(file.text), lock });
        expect(bodyOf(after)).toBe(bodyOf(file.text));
        expectSameTask(file.text, after, { lock: lockAsTask(lock) }, 'lockSet');
      }),
      { numRuns: RUNS },
    );
  });

  it(`removing the lock removes exactly its entry (${RUNS} files)`, () => {
    fc.assert(
      fc.property(taskFile({ lock: 'yes' }), (file) => {
        const after = setFrontMatterKeys(file.text, { lock: undefined });
        const index = file.entries.findIndex((entry) => entry.key === 'lock');
        const [from, to] = [entryOffset(file, index), entryOffset(file, index + 1)];
        // NOTE: blank lines after the lock would join a keep-chomping block scalar (`|+`) written
        // just before it and change that value; then the lock stays as `lock: null`.
        const keepsScalar = followsKeptScalar(file, index) && /^\r?\n/.test(file.entries[index + 1]?.text ?? '');
        expect(after).toBe(file.text.slice(0, from) + (keepsScalar ? `lock: null${file.newline}` : '') + file.text.slice(to));
        const { lock: _removed, ...rest } = frontValues(file.text);
        expect(frontValues(after)).toEqual(keepsScalar ? { ...rest, lock: null } : rest);
        expectSameTask(file.text, after, { lock: undefined }, 'lockRemoved');
      }),
      { numRuns: RUNS },
    );
  });

  it(`removing a lock that is not there changes nothing (${RUNS} files)`, () => {
    fc.assert(
      fc.property(taskFile({ lock: 'no' }), (file) => {
        expect(setFrontMatterKeys(file.text, { lock: undefined })).toBe(file.text);
      }),
      { numRuns: RUNS },
    );
  });

  it(`a claim then a release gives back the original bytes (${RUNS} files)`, () => {
    fc.assert(
      fc.property(
        taskFile({ lock: 'no', status: 'yes' }).filter((file) => file.statusText !== undefined),
        lockValue,
        (file, lock) => {
          const original = file.statusText ?? '';
          const claimed = setFrontMatterKeys(file.text, { status: /[A-Z]/.test(original) ? 'In Progress' : 'in-progress', lock });
          expect(setFrontMatterKeys(claimed, { status: original, lock: undefined })).toBe(file.text);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
