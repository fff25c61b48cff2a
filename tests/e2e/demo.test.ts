// The first hour, as printed: the README's quick start, then every command the demo prints and
// an error hint names, pasted as they are into a shell (crew is not on PATH after the quick
// start); then the README's "use it on your repository" lines with crew linked onto PATH.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { crewBin, projectRoot, tempRepo } from '../helpers/temp-repo.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** PATH without any `crew` on it: a new user's shell after `npm install && npx crew demo`. */
const plainPath = (process.env.PATH ?? '').split(delimiter).filter((dir) => spawnSync('test', ['-x', join(dir, 'crew')]).status !== 0).join(delimiter);

/** Pastes `text` into a POSIX shell in `cwd`, as a user would. */
function paste(text: string, cwd: string, path = plainPath, env: Record<string, string> = {}): { code: number | null; out: string } {
  const run = spawnSync('sh', ['-c', text], { cwd, encoding: 'utf8', env: { ...process.env, PATH: path, NO_COLOR: '1', ...env } });
  return { code: run.status, out: `${run.stdout}${run.stderr}` };
}

/** The README's fenced sh block that follows `heading`, as lines without their comments. */
function readmeBlock(heading: string): string[] {
  const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf(heading));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block.split('\n').map((line) => line.replace(/\s+#.*$/, '').trim()).filter(Boolean);
}

describe('crew demo and the first hour', () => {
  it('the quick start runs the whole studio on ClubHub; every command it then prints works when pasted', () => {
    const quickStart = readmeBlock('## Quick start');
    expect(quickStart[0]).toBe('npm install && npx crew demo');
    // NOTE: `npm install` has run in this clone already (the tests need it); the rest is pasted as it
    // is, but without npm's scripts: `npx crew` links this clone and runs its `prepare`, a whole
    // rebuild of dist/ in the middle of the suite, under the other tests' feet.
    const demo = paste(quickStart[0]!.replace(/^npm install && /, ''), projectRoot, process.env.PATH, { npm_config_ignore_scripts: 'true' });
    expect(demo.code, demo.out).toBe(0);
    expect(demo.out).toMatch(/^11 of 11 tasks done, 0 blocked; main's tests pass/m);
    const dir = /^The repository is in (\S+)\. Try:/m.exec(demo.out)?.[1] ?? '';
    dirs.push(dir);

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

    // What the demo printed, pasted line by line (the `cd` line, then each command in that folder).
    const printed = demo.out.slice(demo.out.indexOf('The repository is in')).split('\n');
    const tries = printed.slice(1, printed.findIndex((line) => line.startsWith('Then give the studio'))).map((line) => line.trim());
    expect(tries[0]).toBe(`cd ${dir}`);
    expect(tries.slice(1)).toEqual([`node ${crewBin} board`, `node ${crewBin} log D2`, `node ${crewBin} task show D5`, 'git log --graph --oneline']);
    const expected = [/DONE \(11\)/, /\| D2 \| conflict \|/, /^id: D5$/m, /Merge ai\//];
    for (const [index, line] of tries.slice(1).entries()) {
      const run = paste(`${tries[0]} && ${line}`, tmpdir());
      expect(run.code, `${line}\n${run.out}`).toBe(0);
      expect(run.out, line).toMatch(expected[index]!);
    }
    // The follow-up: a task of one's own, which the script agent works and lands.
    const followUp = printed.slice(printed.findIndex((line) => line.startsWith('Then give the studio')) + 1).join('\n').trim();
    expect(followUp.split('\n')).toHaveLength(4);
    const added = paste(followUp, dir);
    expect(added.code, added.out).toBe(0);
    expect(added.out).toMatch(/^studio finished: 1 done, 0 blocked/m);
    expect(git('show', 'main:src/members.js')).toMatch(/^export const removeMember = \(members, id\) => members\.filter\(\(m\) => m\.id !== id\);$/m);

    // An error's hint names a command: pasted, it works.
    const missing = paste(`node ${crewBin} task show NOPE`, dir);
    expect(missing.code).toBe(2);
    const hinted = /^hint: See the ids with `([^`]+)`\.$/m.exec(missing.out)?.[1] ?? '';
    expect(hinted).toBe(`node ${crewBin} task list`);
    const listed = paste(hinted, dir);
    expect(listed.code, listed.out).toBe(0);
    expect(listed.out).toMatch(/\bD5\b/);
  }, 420_000);

  it("the README's lines for your own repository work with crew linked onto PATH", () => {
    const bin = mkdtempSync(join(tmpdir(), 'crewtree-bin-'));
    dirs.push(bin);
    // What `npm link` / `npm install -g .` make: a `crew` on PATH that is a symlink to bin/crew.js.
    symlinkSync(crewBin, join(bin, 'crew'));
    const repo = tempRepo();
    dirs.push(repo.dir);
    const lines = readmeBlock('## Use it on your repository');
    expect(lines[0]).toBe('cd crewtree && npm install && npm install -g .');
    expect(lines[1]).toBe('cd your-repo');
    // NOTE: everything but the install (done: the symlink) and the agent run (no AI here).
    const pasted = lines.slice(2).filter((line) => !line.startsWith('crew run'));
    expect(pasted).toHaveLength(5);
    const path = `${bin}${delimiter}${plainPath}`;
    for (const line of pasted) {
      const run = paste(line, repo.dir, path);
      expect(run.code, `${line}\n${run.out}`).toBe(0);
    }
    const next = paste('crew next', repo.dir, path);
    expect(next.out).toMatch(/^next: T1 Add members list endpoint \(high\)$/m);
    expect(next.out).toMatch(/^  T2: waiting on T1$/m);
    // With crew on PATH, what crewtree prints says plain `crew`.
    const missing = paste('crew task show NOPE', repo.dir, path);
    expect(missing.out).toMatch(/^hint: See the ids with `crew task list`\.$/m);
  }, 60_000);
});
