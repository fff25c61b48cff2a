// Table-driven: every tests/fixtures/broken-config/<case>.yaml with the exact messages of <case>.expected.
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_PATH, loadConfig, parseConfig } from '../../../src/config/load.js';
import { CrewError, formatProblem } from '../../../src/errors.js';
import { projectRoot } from '../../helpers/temp-repo.js';

const corpus = join(projectRoot, 'tests', 'fixtures', 'broken-config');
const cases = readdirSync(corpus)
  .filter((file) => file.endsWith('.yaml'))
  .map((file) => file.replace(/\.yaml$/, ''))
  .sort();

const expectedOf = (name: string) => readFileSync(join(corpus, `${name}.expected`), 'utf8').split('\n').filter(Boolean);

describe('broken config files: every problem with file and line', () => {
  it('the corpus covers at least 20 configs, each expecting at least one message', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
    for (const name of cases) expect(expectedOf(name).length, name).toBeGreaterThan(0);
  });

  it.each(cases)('%s', (name) => {
    const { config, problems } = parseConfig(readFileSync(join(corpus, `${name}.yaml`), 'utf8'));
    expect(config).toBeUndefined();
    expect(problems.map(formatProblem)).toEqual(expectedOf(name));
  });

  it('loadConfig turns the problems into one config-invalid error (exit 2) listing them all', async () => {
    const root = mkdtempSync(join(tmpdir(), 'crewtree-config-'));
    try {
      mkdirSync(join(root, '.crewtree'));
      writeFileSync(join(root, CONFIG_PATH), readFileSync(join(corpus, 'bad-merge-values.yaml')));
      const error = await loadConfig(root).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(CrewError);
      expect((error as CrewError).code).toBe('config-invalid');
      expect((error as CrewError).exitCode).toBe(2);
      expect((error as CrewError).message).toBe('.crewtree/config.yaml has 3 problems.');
      expect((error as CrewError).details).toEqual(expectedOf('bad-merge-values'));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
