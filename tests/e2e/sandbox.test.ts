// The agent sandbox as a user meets it through the built CLI: a task lands from inside bubblewrap,
// and on a machine without bubblewrap `auto` warns once and `required` refuses before claiming.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { addScriptTask, nodeProject } from '../helpers/node-project.js';
import { crewBin, runCrew, type TempRepo } from '../helpers/temp-repo.js';

// NOTE: each test runs whole `crew work`/`crew run` processes; a loaded two-core machine needs minutes.
vi.setConfig({ testTimeout: 240_000 });

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

function project(extraConfig = ''): TempRepo {
  const repo = nodeProject({ config: `agent: script\ngate: ["node --test test/"]\nattempts: 1\nlease: 30s\ntimeout: 60s\n${extraConfig}` });
  cleanups.push(() => repo.cleanup());
  return repo;
}

/** A PATH with every program of this one except bwrap: a machine without bubblewrap. */
function pathWithoutBubblewrap(): string {
  const bin = mkdtempSync(join(tmpdir(), 'crewtree-no-bwrap-'));
  cleanups.push(() => rmSync(bin, { recursive: true, force: true }));
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (name === 'bwrap') continue;
      try {
        symlinkSync(join(dir, name), join(bin, name));
      } catch {
        // the first folder on PATH wins, as it does for a shell
      }
    }
  }
  return bin;
}

/** The built CLI, keeping stderr when it succeeds too (runCrew drops it then). */
function crew(repo: TempRepo, args: string[], env: Record<string, string>): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [crewBin, ...args], { cwd: repo.dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The names (argv[0]) of the live processes whose name starts with `prefix`. */
function processesNamed(prefix: string): string[] {
  return readdirSync('/proc')
    .filter((pid) => /^\d+$/.test(pid))
    .flatMap((pid) => {
      try {
        const name = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
        const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
        return name.startsWith(prefix) && state !== 'Z' ? [name] : [];
      } catch {
        return [];
      }
    });
}

const runLog = (repo: TempRepo, id: string) => readFileSync(join(repo.dir, '.git/crewtree/runs', id, '1.log'), 'utf8');
const WARNING = /^warning: agents run without a sandbox: bwrap \(bubblewrap\) is not on PATH\. They can write anywhere your user can\. Install bubblewrap \(Debian\/Ubuntu: `sudo apt-get install bubblewrap`;/;

describe('with bubblewrap', () => {
  it('lands the work a sandboxed agent committed, and nothing it tried outside its worktree', () => {
    const repo = project();
    addScriptTask(
      repo,
      { id: 'S1', title: 'Add double' },
      [
        `echo hacked >> "${repo.dir}/README.md" || echo "checkout refused"`,
        `echo "#!/bin/sh" > "${repo.dir}/.git/hooks/post-commit" || echo "hook refused"`,
        "echo 'export const double = (n) => n * 2;' > src/double.js",
        'git add src/double.js && git commit -q -m "wip: double"',
      ].join('\n'),
    );
    const start = repo.commitAll('chore: add S1');
    const run = crew(repo, ['work', '--worker', 'w1'], {});
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^S1 done \([0-9a-f]{8} on main\)$/m);
    expect(run.code).toBe(0);
    expect(repo.git('show', 'main:src/double.js')).toBe('export const double = (n) => n * 2;');
    expect(repo.git('log', '--format=%s', `${start}..main`)).toContain('wip: double');
    expect(repo.read('README.md')).toBe('# test repo\n');
    expect(readdirSync(join(repo.dir, '.git/hooks')).filter((name) => !name.endsWith('.sample'))).toEqual([]);
    expect(repo.git('diff', '--name-only', start, 'main', '--', '.', ':(exclude)backlog')).toBe('src/double.js');
    const log = runLog(repo, 'S1');
    expect(log).toMatch(/^sandbox: {2}bubblewrap .*network open$/m);
    expect(log).toContain('README.md: Read-only file system\n');
    expect(log).toContain('.git/hooks/post-commit: Read-only file system\n');
    expect(log).toContain('checkout refused\n');
    expect(log).toContain('hook refused\n');
  });

  it('ends everything the agent started when crewtree itself is killed', async () => {
    const repo = project();
    const name = `crewtree-crash-${process.pid}`;
    addScriptTask(repo, { id: 'S5', title: 'Hang' }, [`setsid bash -c 'exec -a ${name}-daemon sleep 300' > /dev/null 2>&1 < /dev/null &`, `exec -a ${name}-agent sleep 300`].join('\n'));
    repo.commitAll('chore: add S5');
    const child = spawn(process.execPath, [crewBin, 'work', '--worker', 'w1'], { cwd: repo.dir, stdio: 'ignore' });
    const running = () => processesNamed(name).length;
    for (let i = 0; i < 600 && running() < 2; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(processesNamed(name).sort()).toEqual([`${name}-agent`, `${name}-daemon`]);
    child.kill('SIGKILL');
    for (let i = 0; i < 100 && running() > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(processesNamed(name)).toEqual([]);
  });

  it('crew doctor says which sandbox is in force', () => {
    const repo = project();
    const run = runCrew(repo.dir, ['doctor']);
    expect(run.stdout).toMatch(/^ok {3}sandbox: bubblewrap \S+ \(\S*bwrap\), sandbox: auto: every agent runs inside it, network open$/m);
  });
});

describe('without bubblewrap', () => {
  it('sandbox: required refuses before claiming, with how to install it; --sandbox off lets it run', () => {
    const repo = project('sandbox: required\n');
    addScriptTask(repo, { id: 'S2', title: 'Add triple' }, "echo 'export const triple = (n) => n * 3;' > src/triple.js");
    const start = repo.commitAll('chore: add S2');
    const env = { PATH: pathWithoutBubblewrap() };

    const refused = runCrew(repo.dir, ['work', '--worker', 'w1'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('The agent sandbox is required (sandbox: required) but cannot start: bwrap (bubblewrap) is not on PATH. No task was claimed.');
    expect(refused.stderr).toContain('sudo apt-get install bubblewrap');
    expect(repo.git('rev-parse', 'main')).toBe(start);
    expect(repo.git('show', 'main:backlog/tasks/S2-task.md')).toMatch(/^status: todo$/m);

    const dispatched = runCrew(repo.dir, ['dispatch', 'Add quadruple', '--agent', 'script'], env);
    expect(dispatched.code).toBe(1);
    expect(dispatched.stderr).toContain('No task was claimed.');
    expect(repo.git('rev-parse', 'main')).toBe(start);

    const doctor = runCrew(repo.dir, ['doctor'], env);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(/^FAIL sandbox: none, and sandbox: required: agents will not start \(bwrap \(bubblewrap\) is not on PATH\)$/m);

    const off = crew(repo, ['work', '--worker', 'w1', '--sandbox', 'off'], env);
    expect(off.stderr).toBe('');
    expect(off.stdout).toMatch(/^S2 done/m);
    expect(runLog(repo, 'S2')).toMatch(/^sandbox: {2}off$/m);
  });

  it('sandbox: auto runs the agents unsandboxed with one warning for the whole run', () => {
    const repo = project();
    addScriptTask(repo, { id: 'S3', title: 'Add a' }, "echo 'export const a = 1;' > src/a.js");
    addScriptTask(repo, { id: 'S4', title: 'Add b' }, "echo 'export const b = 2;' > src/b.js");
    repo.commitAll('chore: add S3 and S4');
    const run = crew(repo, ['run', '-j', '2', '--until-empty'], { PATH: pathWithoutBubblewrap() });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/studio finished: 2 done/);
    const lines = run.stderr.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(WARNING);
    for (const id of ['S3', 'S4']) expect(runLog(repo, id)).toMatch(/^sandbox: {2}none \(bwrap \(bubblewrap\) is not on PATH\)$/m);

    const unknown = runCrew(repo.dir, ['work', '--sandbox', 'maybe']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--sandbox maybe is not a sandbox policy.');
  });
});
