import { mkdtempSync, rmSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../../src/config/duration.js';
import { knownKeys, loadConfig, parseConfig } from '../../../src/config/load.js';
import { configSchema, defaultConfig } from '../../../src/config/schema.js';
import { formatProblem } from '../../../src/errors.js';
import { projectRoot } from '../../helpers/temp-repo.js';

const template = readFileSync(join(projectRoot, 'templates', 'init', 'config.yaml'), 'utf8');

describe('defaults', () => {
  it('durations are milliseconds: lease 2 min, agent timeout 30 min, idle 5 min', () => {
    const config = defaultConfig();
    expect([config.lease, config.timeout, config.idle]).toEqual([120_000, 1_800_000, 300_000]);
  });

  it('the config crew init writes says exactly the defaults', () => {
    const { config, problems } = parseConfig(template);
    expect(problems).toEqual([]);
    expect(config).toEqual(defaultConfig());
  });

  it('the config crew init writes mentions every key the schema accepts', () => {
    for (const key of Object.keys(configSchema.shape)) expect(template, key).toMatch(new RegExp(`^#? ?${key}:`, 'm'));
    for (const section of ['setup', 'merge', 'notify']) {
      for (const key of knownKeys([section])) expect(template, `${section}.${key}`).toContain(`${key}:`);
    }
    for (const key of knownKeys(['budget'])) expect(template, `budget.${key}`).toContain(key);
  });

  it('an empty or missing config file means the defaults', async () => {
    expect(parseConfig('').config).toEqual(defaultConfig());
    expect(parseConfig('# only comments\n').config).toEqual(defaultConfig());
    const root = mkdtempSync(join(tmpdir(), 'crewtree-config-'));
    try {
      expect(await loadConfig(root)).toEqual(defaultConfig());
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('values', () => {
  it('takes a command or a list of commands, and durations in any unit', () => {
    const { config } = parseConfig('gate: npm test\nsetup:\n  run: [npm ci, npm run build]\nlease: 90\ntimeout: 1h\nidle: 2500ms\n');
    expect(config?.gate).toEqual(['npm test']);
    expect(config?.setup.run).toEqual(['npm ci', 'npm run build']);
    expect([config?.lease, config?.timeout, config?.idle]).toEqual([90_000, 3_600_000, 2500]);
  });

  it('reports lines right in a CRLF file', () => {
    const { problems } = parseConfig('base: main\r\n\r\nmerge:\r\n  mode: sometimes\r\n');
    expect(problems.map(formatProblem)).toEqual(['.crewtree/config.yaml:4: merge.mode "sometimes" is not valid (expected auto or review)']);
  });

  it.each([
    [90, 90_000],
    ['90', 90_000],
    ['90s', 90_000],
    ['1.5m', 90_000],
    ['2h', 7_200_000],
    [' 250ms ', 250],
    ['-1s', undefined],
    ['1d', undefined],
    ['soon', undefined],
    [-1, undefined],
  ])('parseDuration(%j) is %j', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });
});

describe('environment overrides CREWTREE_*', () => {
  it('override the file, numbers and durations included', () => {
    const { config, problems } = parseConfig('base: main\nlease: 2m\nattempts: 3\n', '.crewtree/config.yaml', {
      CREWTREE_BASE: 'trunk',
      CREWTREE_LEASE: '5m',
      CREWTREE_ATTEMPTS: '5',
      CREWTREE_TIMEOUT: '60',
      CREWTREE_AGENT: 'codex',
      CREWTREE_REMOTE: 'origin',
      CREWTREE_BACKLOG: '',
    });
    expect(problems).toEqual([]);
    expect(config).toMatchObject({ base: 'trunk', lease: 300_000, attempts: 5, timeout: 60_000, agent: 'codex', remote: 'origin', backlog: 'backlog' });
  });

  it('a text setting stays text even when it looks like a number', () => {
    expect(parseConfig('', '.crewtree/config.yaml', { CREWTREE_BASE: '2025' }).config?.base).toBe('2025');
  });

  it('a bad value is reported against its variable, not the file', () => {
    const { problems } = parseConfig('attempts: 3\n', '.crewtree/config.yaml', { CREWTREE_ATTEMPTS: 'many', CREWTREE_BRANCH: 'ai/{worker}' });
    expect(problems.map(formatProblem)).toEqual([
      '$CREWTREE_ATTEMPTS: attempts "many" is not valid (expected agent runs per task: a whole number from 1 to 20)',
      '$CREWTREE_BRANCH: branch "ai/{worker}" is not valid (expected a branch pattern with {id} (e.g. ai/{worker}/{id}-{slug}))',
    ]);
  });
});
