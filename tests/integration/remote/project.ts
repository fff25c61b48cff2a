// A small Node project on the remote for the end-to-end tests: `node --test test/` is the gate,
// and each script task adds one file and one test of it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTask } from '../../../src/backlog/parse-task.js';
import { scriptTask } from '../../helpers/node-project.js';
import { parseLogLine } from '../state/state-helpers.js';
import type { RemoteWorld } from './remote-fixture.js';

export const projectConfig = { agent: 'script', gate: '["node --test test/"]', attempts: '3', lease: '30s', timeout: '60s' };

export function projectFiles(ids: string[]): Record<string, string> {
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'demo', type: 'module', scripts: { test: 'node --test test/' } }, null, 2) + '\n',
    'src/sum.js': 'export const sum = (a, b) => a + b;\n',
    'test/sum.test.js': "import test from 'node:test';\nimport assert from 'node:assert/strict';\nimport { sum } from '../src/sum.js';\n\ntest('sum', () => assert.equal(sum(1, 2), 3));\n",
  };
  for (const id of ids) {
    const lower = id.toLowerCase();
    const script = [
      `echo "${id}" > src/${lower}.txt`,
      `cat > test/${lower}.test.js <<'JS'`,
      "import test from 'node:test';",
      "import assert from 'node:assert/strict';",
      "import { readFileSync } from 'node:fs';",
      `test('${lower}', () => assert.equal(readFileSync(new URL('../src/${lower}.txt', import.meta.url), 'utf8'), '${id}\\n'));`,
      'JS',
    ].join('\n');
    files[`backlog/tasks/${id}-task.md`] = scriptTask({ id, title: `Add ${lower}` }, script);
  }
  return files;
}

export interface RemoteState {
  status: Record<string, string>;
  locks: string[];
  /** task id -> how many `done` lines task.log has for it. */
  doneLines: Record<string, number>;
}

/** The backlog as the remote's base has it, read with crewtree's parser. */
export function remoteState(world: RemoteWorld, ids: string[]): RemoteState {
  const status: Record<string, string> = {};
  const locks: string[] = [];
  for (const id of ids) {
    const path = `backlog/tasks/${id}-task.md`;
    const task = parseTask(path, world.remoteGit('show', `main:${path}`), 0).task;
    status[id] = task?.status ?? 'missing';
    if (task?.lock) locks.push(`${id} by ${task.lock.worker} on ${task.lock.host}`);
  }
  const doneLines: Record<string, number> = {};
  for (const line of world.remoteGit('show', 'main:backlog/task.log').split('\n').filter(Boolean).map(parseLogLine)) {
    if (line.event === 'done') doneLines[line.task] = (doneLines[line.task] ?? 0) + 1;
  }
  return { status, locks, doneLines };
}

/** Checks out the remote's base afresh and runs its tests there: exit code and output. */
export function remoteBasePasses(world: RemoteWorld): { code: number; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'crewtree-remote-check-'));
  try {
    execFileSync('git', ['clone', '-q', world.bare, dir]);
    try {
      return { code: 0, output: execFileSync(process.execPath, ['--test', 'test/'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
    } catch (error) {
      const e = error as { status: number; stdout: string };
      return { code: e.status, output: e.stdout };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
