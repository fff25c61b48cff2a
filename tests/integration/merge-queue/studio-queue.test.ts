// End to end: `crew run` with the script agent lands through the merge queue. Two tasks pass
// their gate alone but break the tests together (a semantic conflict git cannot see): the
// queue lands one, sends the failure back to the other, and main never breaks.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addScriptTask, nodeProject } from '../../helpers/node-project.js';
import { runCrew, type TempRepo } from '../../helpers/temp-repo.js';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

function plugin(name: string): string {
  return `mkdir -p src/plugins\necho "export const name = '${name}';" > src/plugins/${name}.js`;
}

function statusOf(id: string): string {
  return /^status: (.*)$/m.exec(repo!.git('show', `main:backlog/tasks/${id}-task.md`))?.[1] ?? '';
}

describe('crew run through the merge queue (script agent, node --test as the gate)', () => {
  it('lands the good tasks, returns the one that breaks the tests only together with another, and main passes at every commit', () => {
    repo = nodeProject();
    repo.write('test/plugins.test.js', [
      "import test from 'node:test';",
      "import assert from 'node:assert/strict';",
      "import { existsSync, readdirSync } from 'node:fs';",
      "test('at most one plugin is registered', () => {",
      "  const plugins = existsSync('src/plugins') ? readdirSync('src/plugins') : [];",
      "  assert.ok(plugins.length <= 1, `two plugins registered: ${plugins.join(', ')}`);",
      '});',
      '',
    ].join('\n'));
    addScriptTask(repo, { id: 'Q1', title: 'Add a' }, 'echo "export const a = 1;" > src/a.js');
    addScriptTask(repo, { id: 'Q2', title: 'Add b' }, 'echo "export const b = 2;" > src/b.js');
    addScriptTask(repo, { id: 'Q3', title: 'Plugin x' }, plugin('x'));
    addScriptTask(repo, { id: 'Q4', title: 'Plugin y' }, plugin('y'));
    const start = repo.commitAll('chore: four tasks, a plugin limit');

    const run = runCrew(repo.dir, ['run', '-j', '4', '--agent', 'script', '--until-empty']);
    expect(run.stdout).toMatch(/studio finished: 3 done, 1 blocked/);

    expect([statusOf('Q1'), statusOf('Q2')]).toEqual(['done', 'done']);
    const plugins = [statusOf('Q3'), statusOf('Q4')].sort();
    expect(plugins).toEqual(['blocked', 'done']);
    const blocked = statusOf('Q3') === 'blocked' ? 'Q3' : 'Q4';
    const blockedText = repo.git('show', `main:backlog/tasks/${blocked}-task.md`);
    expect(blockedText).toContain('two plugins registered');

    const log = repo.git('show', 'main:backlog/task.log').split('\n');
    for (const id of ['Q1', 'Q2', 'Q3', 'Q4']) {
      const events = log.filter((line) => line.split(' | ')[2] === id).map((line) => line.split(' | ')[3]);
      expect(events).toContain('queued');
      expect(events.filter((e) => e === 'merged')).toHaveLength(id === blocked ? 0 : 1);
    }

    // Every commit main went through since the start passes the gate from a clean checkout.
    const history = repo.git('log', '--first-parent', '--format=%H', `${start}..main`).split('\n').filter(Boolean);
    const check = mkdtempSync(join(tmpdir(), 'crewtree-check-'));
    rmSync(check, { recursive: true });
    repo.git('worktree', 'add', '--detach', '--quiet', check, start);
    try {
      const seen = new Set<string>();
      for (const commit of history) {
        const code = repo.git('ls-tree', commit).split('\n').filter((line) => !line.endsWith('\tbacklog')).join('\n');
        if (seen.has(code)) continue;
        seen.add(code);
        execFileSync('git', ['checkout', '--detach', '--force', '--quiet', commit], { cwd: check });
        execFileSync('git', ['clean', '-ffdxq'], { cwd: check });
        expect(() => execFileSync(process.execPath, ['--test', 'test/'], { cwd: check, stdio: 'pipe' }), `main at ${commit}`).not.toThrow();
      }
    } finally {
      repo.git('worktree', 'remove', '--force', check);
    }
    // The returned task's work is kept on its branch.
    const branch = repo.git('for-each-ref', '--format=%(refname:short)', `refs/heads/ai/*/${blocked}-*`);
    expect(repo.git('show', `${branch}:src/plugins/${blocked === 'Q3' ? 'x' : 'y'}.js`)).toContain('export const name');
    expect(repo.git('for-each-ref', 'refs/crewtree/queue/')).toBe('');
  }, 240_000);
});
