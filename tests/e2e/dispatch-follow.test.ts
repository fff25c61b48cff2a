// Dispatch that tells you: `crew log ID -f` ends when the task does (done, review, blocked) or
// when its dispatched worker has ended; an error before the agent starts reaches the terminal
// that dispatched; a worker's failure is a notification; `crew dispatch --review`.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addScriptTask, nodeProject } from '../helpers/node-project.js';
import { crewBin, runCrew, type TempRepo } from '../helpers/temp-repo.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

function project(config?: string): TempRepo {
  const repo = nodeProject(config ? { config } : {});
  cleanups.push(() => repo.cleanup());
  return repo;
}

/** `crew log ID -f` as a user runs it, stopped by force after 40 s if it never ends. */
function follow(repo: TempRepo, id: string): { code: number | null; stdout: string; stderr: string; timedOut: boolean } {
  const run = spawnSync(process.execPath, [crewBin, 'log', id, '-f'], { cwd: repo.dir, encoding: 'utf8', timeout: 40_000, env: { ...process.env, NO_COLOR: '1' } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr, timedOut: run.signal === 'SIGTERM' };
}

const script = (file: string) => `Write ${file}\n\n\`\`\`crew-script\necho hello > ${file}\n\`\`\``;

describe('crew log -f', () => {
  it('follows a task until it lands, then exits 0; on a finished task it exits at once', async () => {
    const repo = project();
    addScriptTask(repo, { id: 'F1', title: 'Followed' }, 'echo f > src/f.txt');
    repo.commitAll('chore: task');
    const child = spawn(process.execPath, [crewBin, 'log', 'F1', '-f'], { cwd: repo.dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    cleanups.push(() => child.kill('SIGKILL'));
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(runCrew(repo.dir, ['work', '--agent', 'script']).code).toBe(0);
    const code = await Promise.race([exited, new Promise<string>((resolve) => setTimeout(() => resolve('still following'), 20_000))]);
    expect(code, output).toBe(0);
    expect(output).toMatch(/\| F1 \| done \| Followed$/m);
    const again = follow(repo, 'F1');
    expect(again.code).toBe(0);
    expect(again.stdout.trim().split('\n').at(-1)).toMatch(/\| F1 \| done \|/);
  }, 60_000);
});

describe('crew dispatch', () => {
  it('--review: the task stops at review, and crew log -f ends there', () => {
    const repo = project();
    const run = runCrew(repo.dir, ['dispatch', script('src/reviewed.txt'), '--agent', 'script', '--review']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`; follow it with: node ${crewBin} log T1 -f\n`);
    const followed = follow(repo, 'T1');
    expect(followed.timedOut, followed.stdout).toBe(false);
    expect(followed.code, followed.stderr).toBe(0);
    expect(followed.stdout.trim().split('\n').at(-1)).toMatch(/\| T1 \| review \| ai\/dispatch-T1\/T1-write-src-reviewed-txt at [0-9a-f]{8} waits for crew approve T1$/);
    expect(repo.git('show', 'main:backlog/tasks/T1-write-src-reviewed-txt.md')).toMatch(/^status: review$/m);
    expect(repo.git('ls-tree', '--name-only', 'main', 'src/')).not.toContain('reviewed.txt');
  }, 60_000);

  it('a landing refused after the dispatcher returned: a failed notification, and crew log -f ends with the reason', () => {
    const marks = mkdtempSync(join(tmpdir(), 'crewtree-marks-'));
    cleanups.push(() => rmSync(marks, { recursive: true, force: true }));
    const repo = project(`agent: script\ngate: ["node --test test/"]\nattempts: 1\nlease: 30s\ntimeout: 60s\nnotify:\n  command: 'echo "$CREWTREE_TASK $CREWTREE_STATUS" >> ${marks}/notified'\n`);
    // The user's own uncommitted edit of the file the task rewrites: main cannot move under it.
    repo.write('docs/notes.md', 'notes\n');
    repo.commitAll('docs: notes');
    repo.write('docs/notes.md', 'notes, my edit\n');
    const run = runCrew(repo.dir, ['dispatch', script('docs/notes.md'), '--agent', 'script']);
    expect(run.code, run.stderr).toBe(0);
    const followed = follow(repo, 'T1');
    expect(followed.timedOut, followed.stdout).toBe(false);
    expect(followed.code, followed.stdout + followed.stderr).toBe(1);
    expect(followed.stdout).toMatch(/\| T1 \| released \| worker dispatch-T1 failed: main is checked out in .* uncommitted changes to docs\/notes\.md/);
    expect(followed.stderr).toMatch(/^crew: T1's background worker \(pid \d+\) has ended without finishing it; its last lines:$/m);
    expect(followed.stderr).toMatch(/^ {2}T1 released: worker dispatch-T1 failed/m);
    expect(readFileSync(join(marks, 'notified'), 'utf8')).toBe('T1 failed\n');
    expect(repo.read('docs/notes.md')).toBe('notes, my edit\n');
  }, 60_000);

  it('an error before the agent starts reaches the dispatching terminal; a red main creates no task at all', () => {
    const repo = project('agent: script\ngate: ["node --test test/"]\nattempts: 1\nlease: 30s\ntimeout: 60s\nsetup:\n  run: ["echo the setup broke >&2; exit 3"]\n');
    const run = runCrew(repo.dir, ['dispatch', script('src/a.txt'), '--agent', 'script']);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stderr).toMatch(/^crew: T1's background worker \(pid \d+\) ended before its agent started \(exit 1\); its last lines:$/m);
    expect(run.stderr).toMatch(/the setup broke/);
    expect(run.stderr).toContain(`hint: T1 stays in the backlog; see \`node ${crewBin} task show T1\``);
    expect(repo.git('show', 'main:backlog/tasks/T1-write-src-a-txt.md')).toMatch(/^status: todo$/m);

    repo.write('.crewtree/config.yaml', 'agent: script\ngate: ["node --test test/"]\n');
    repo.write('test/sum.test.js', "import test from 'node:test';\nimport assert from 'node:assert/strict';\ntest('red', () => assert.equal(1, 2));\n");
    repo.commitAll('test: red');
    const red = runCrew(repo.dir, ['dispatch', script('src/b.txt'), '--agent', 'script']);
    expect(red.code).toBe(5);
    expect(red.stderr).toContain('`node --test test/` is red before any agent ran');
    expect(runCrew(repo.dir, ['task', 'list']).stdout).not.toMatch(/Write src\/b\.txt/);
  }, 60_000);
});
