import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCrew } from '../helpers/temp-repo.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('crew demo', () => {
  it('runs the whole studio on ClubHub: every task done, main green, nothing left behind', () => {
    const parent = mkdtempSync(join(tmpdir(), 'crewtree-demo-test-'));
    dirs.push(parent);
    const dir = join(parent, 'clubhub');
    const run = runCrew(process.cwd(), ['demo', '--dir', dir, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { ok: boolean; testsPass: boolean; approved: string[]; tasks: { id: string; status: string }[] };
    expect(result.ok).toBe(true);
    expect(result.testsPass).toBe(true);
    expect(result.approved).toEqual(['D9']);
    expect(result.tasks.map((t) => `${t.id}:${t.status}`).sort()).toEqual(
      ['D1', 'D2', 'D3', 'D4', 'D5', 'D6', 'D7', 'D8', 'D9', 'D10', 'D11'].map((id) => `${id}:done`).sort(),
    );
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
    const log = git('show', 'main:backlog/task.log');
    expect(log).toMatch(/\| D2 \| conflict \| src\/config\.js$/m);
    expect(log).toMatch(/\| D5 \| gate-failed \| attempt 1: node --test test\/ exited with 1$/m);
    expect(log).toMatch(/\| D9 \| review \|/m);
    expect(log).toMatch(/\| D9 \| approved \| by demo$/m);
    expect(git('show', 'main:src/config.js')).toBe("export const clubName = 'Riverside Runners';\nexport const timezone = 'Europe/London';");
    const files = git('ls-tree', '--name-only', 'main', 'backlog/tasks/').split('\n').filter((f) => f.endsWith('.md'));
    expect(files).toHaveLength(11);
    for (const file of files) expect(git('show', `main:${file}`)).not.toMatch(/^lock:/m);
    expect(git('worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
    expect(readdirSync(join(dir, '.worktrees')).length).toBe(0);
    expect(git('status', '--porcelain')).toBe('');
    execFileSync('node', ['--test', 'test/'], { cwd: dir, stdio: 'ignore' });
  }, 180_000);
});
