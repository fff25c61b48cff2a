// Table-driven: every case under tests/fixtures/broken-tasks/ is a backlog/tasks/ folder and the
// exact messages (`path:line: message`) it must produce, all at once, in order.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertValid, parseBacklog } from '../../../src/backlog/backlog.js';
import { CrewError, formatProblem } from '../../../src/errors.js';
import { projectRoot } from '../../helpers/temp-repo.js';

const corpus = join(projectRoot, 'tests', 'fixtures', 'broken-tasks');
const cases = readdirSync(corpus).sort();

function readCase(name: string) {
  const dir = join(corpus, name, 'tasks');
  const files = readdirSync(dir).map((file) => ({ path: `backlog/tasks/${file}`, text: readFileSync(join(dir, file), 'utf8') }));
  const expected = readFileSync(join(corpus, name, 'expected.txt'), 'utf8').split('\n').filter(Boolean);
  return { files, expected };
}

describe('broken task files: every problem reported at once, as path:line: message', () => {
  it('the corpus has at least 100 cases, each expecting at least one message', () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
    for (const name of cases) expect(readCase(name).expected.length, name).toBeGreaterThan(0);
  });

  it.each(cases)('%s', (name) => {
    const { files, expected } = readCase(name);
    const backlog = parseBacklog(files);
    expect(backlog.problems.map(formatProblem)).toEqual(expected);
  });

  it.each(cases)('%s: the problems are independent of the order files are read in', (name) => {
    const { files, expected } = readCase(name);
    expect(parseBacklog([...files].reverse()).problems.map(formatProblem)).toEqual(expected);
  });

  it('assertValid refuses an invalid backlog with every message and says nothing was written', () => {
    const { files, expected } = readCase('many-problems-at-once');
    let thrown: unknown;
    try {
      assertValid(parseBacklog(files));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CrewError);
    const error = thrown as CrewError;
    expect(error.code).toBe('backlog-invalid');
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(`The backlog has ${expected.length} problems; nothing was written.`);
    expect(error.details).toEqual(expected);
  });
});
