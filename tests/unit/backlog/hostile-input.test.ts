// Hostile input measured, not guessed: parse time stays linear, huge files and alias bombs are
// refused with a message, and the config file gets the same care.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseTask } from '../../../src/backlog/parse-task.js';
import { loadConfig, parseConfig } from '../../../src/config/load.js';
import { CrewError, formatProblem } from '../../../src/errors.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function manyKeys(count: number): string {
  const keys = Array.from({ length: count }, (_, i) => `x_${i}: ${i}`);
  return `---\nid: A1\ntitle: T\n${keys.join('\n')}\n---\n`;
}

function cpuMs(run: () => void): number {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

describe('hostile task files', () => {
  it('parse time grows linearly with the number of keys (16,000 keys: not 6.8 s)', () => {
    parseTask('a.md', manyKeys(1000), 0);
    const small = Math.min(...[1, 2, 3].map(() => cpuMs(() => parseTask('a.md', manyKeys(2000), 0))));
    const large = Math.min(...[1, 2, 3].map(() => cpuMs(() => parseTask('a.md', manyKeys(16000), 0))));
    // NOTE: 8 times the keys; quadratic would be 64 times. Generous for a loaded machine.
    expect(large / Math.max(small, 1)).toBeLessThan(24);
    expect(parseTask('a.md', manyKeys(16000), 0).problems).toEqual([]);
  });

  it('a duplicate among 16,000 keys is still found, on its line', () => {
    const text = manyKeys(16000).replace('x_15999: 15999', 'x_7: again');
    expect(parseTask('a.md', text, 0).problems.map(formatProblem)).toEqual(['a.md:16003: duplicate key "x_7" (expected each key once)']);
  });

  it('a file over 1 MB is refused unread', () => {
    const text = `---\nid: A1\ntitle: T\n---\n${'x'.repeat(1_100_000)}\n`;
    expect(parseTask('a.md', text, 0).problems.map(formatProblem)).toEqual(['a.md:1: the file is 1.1 MB, too large to be a task (expected at most 1 MB)']);
  });
});

describe('hostile config files', () => {
  it('an alias bomb in the config is a problem with its line, not a crash', () => {
    const bomb = ['a: &a [1,1,1,1,1,1,1,1,1]', 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]', 'gate: [*c,*c,*c,*c,*c,*c,*c,*c,*c]'].join('\n');
    expect(parseConfig(bomb).problems.map(formatProblem)).toEqual([
      '.crewtree/config.yaml:1: more than 64 YAML aliases to expand (a file of nested *aliases) (expected plain values)',
    ]);
  });

  it('a directory where the config file should be is a clear error, exit 2', async () => {
    const root = mkdtempSync(join(tmpdir(), 'crewtree-config-'));
    dirs.push(root);
    mkdirSync(join(root, '.crewtree', 'config.yaml'), { recursive: true });
    const error = await loadConfig(root).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CrewError);
    expect((error as CrewError).exitCode).toBe(2);
    expect((error as CrewError).details).toEqual(['.crewtree/config.yaml: is a directory (expected a YAML file, or nothing there for the defaults)']);
  });

  it('a config over 256 kB is refused unread', async () => {
    const root = mkdtempSync(join(tmpdir(), 'crewtree-config-'));
    dirs.push(root);
    mkdirSync(join(root, '.crewtree'));
    writeFileSync(join(root, '.crewtree', 'config.yaml'), `# ${'x'.repeat(300_000)}\n`);
    const error = (await loadConfig(root).catch((caught: unknown) => caught)) as CrewError;
    expect(error.details).toEqual(['.crewtree/config.yaml: the file is 300003 characters, too large for a config (expected at most 256 kB)']);
  });
});
