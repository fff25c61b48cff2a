import { afterEach } from 'vitest';
import { runCrew, tempRepo, type TempRepo } from './temp-repo.js';

/** A task file with a ```crew-script block: the script agent runs it in the worktree. */
export function scriptTask(fields: { id: string; title: string; priority?: string; paths?: string[]; depends?: string[]; review?: boolean; role?: string }, script: string): string {
  const lines = ['---', `id: ${fields.id}`, `title: ${JSON.stringify(fields.title)}`, 'status: todo', `priority: ${fields.priority ?? 'medium'}`, 'type: feat', `role: ${fields.role ?? 'developer'}`];
  if (fields.paths) lines.push(`paths: [${fields.paths.map((p) => JSON.stringify(p)).join(', ')}]`);
  if (fields.depends) lines.push(`depends_on: [${fields.depends.join(', ')}]`);
  if (fields.review) lines.push('review: true');
  lines.push('---', `# ${fields.title}`, '', '```crew-script', script.trim(), '```', '');
  return lines.join('\n');
}

/**
 * A small Node project whose tests run with `node --test test/`, set up for crewtree with the
 * script agent and that test command as the gate.
 */
export function nodeProject(options: { config?: string } = {}): TempRepo {
  const repo = tempRepo();
  repo.write('package.json', JSON.stringify({ name: 'demo', type: 'module', scripts: { test: 'node --test test/' } }, null, 2) + '\n');
  repo.write('src/sum.js', 'export const sum = (a, b) => a + b;\n');
  repo.write('test/sum.test.js', "import test from 'node:test';\nimport assert from 'node:assert/strict';\nimport { sum } from '../src/sum.js';\n\ntest('sum', () => assert.equal(sum(1, 2), 3));\n");
  runCrew(repo.dir, ['init']);
  repo.write('.crewtree/config.yaml', options.config ?? 'agent: script\ngate: ["node --test test/"]\nattempts: 2\nlease: 30s\ntimeout: 60s\n');
  repo.commitAll('chore: node project with crewtree');
  return repo;
}

export function addScriptTask(repo: TempRepo, fields: Parameters<typeof scriptTask>[0], script: string): void {
  repo.write(`backlog/tasks/${fields.id}-task.md`, scriptTask(fields, script));
}

/** For a test file: a function giving a fresh node project, each removed after the test that made it. */
export function nodeProjectPerTest(): () => TempRepo {
  const repos: TempRepo[] = [];
  afterEach(() => repos.splice(0).forEach((repo) => repo.cleanup()));
  return () => {
    const repo = nodeProject();
    repos.push(repo);
    return repo;
  };
}
