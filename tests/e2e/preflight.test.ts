// Validate before claiming: settings that would fail after a claim (and leave a dead lock) stop
// crew run and crew work before any claim, and crew doctor names them without running any agent.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { addScriptTask, nodeProject } from '../helpers/node-project.js';
import { runCrew, type TempRepo } from '../helpers/temp-repo.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

function project(config: string): TempRepo {
  const repo = nodeProject({ config });
  cleanups.push(() => repo.cleanup());
  addScriptTask(repo, { id: 'P1', title: 'Anything' }, 'echo p > src/p.txt');
  // A custom agent that leaves a mark whenever it is run, --version included.
  repo.write('tools/mybot.sh', '#!/bin/sh\ntouch "$(dirname "$0")/../ran.mark"\n');
  repo.git('update-index', '--add', '--chmod=+x', 'tools/mybot.sh');
  repo.commitAll('chore: task and bot');
  return repo;
}

it.each([
  ['an unknown agent', 'agent: nosuchagent\n', /agent "nosuchagent" is neither built in/],
  ['a custom agent without a command', 'agent: mybot\nagents:\n  mybot: { model: x }\n', /agents\.mybot\.command is missing/],
  ['a branch pattern git refuses', "agent: script\nbranch: '-{id}'\n", /branch: "-\{id\}" makes branches such as "-A1"/],
  ['a setup link outside the repository', "agent: script\nsetup:\n  link: ['../x']\n", /setup\.link entry "\.\.\/x"/],
])('%s stops crew run and crew work before any claim', (_what, config, message) => {
  const repo = project(config);
  const main = repo.git('rev-parse', 'main');
  for (const args of [['run', '--until-empty'], ['work']]) {
    const run = runCrew(repo.dir, args);
    expect(run.code, run.stdout).toBe(2);
    expect(run.stderr).toMatch(/cannot run a task; nothing was claimed/);
    expect(run.stderr).toMatch(message);
  }
  expect(repo.git('rev-parse', 'main')).toBe(main);
  expect(repo.git('show', 'main:backlog/tasks/P1-task.md')).not.toMatch(/^lock:/m);
  const doctor = runCrew(repo.dir, ['doctor']);
  expect(doctor.code).not.toBe(0);
  expect(doctor.stdout + doctor.stderr).toMatch(message);
}, 120_000);

it('crew doctor finds a custom agent without running it', () => {
  const repo = project('agent: mybot\nagents:\n  mybot: { command: ./tools/mybot.sh }\n');
  const doctor = runCrew(repo.dir, ['doctor']);
  expect(doctor.stdout).toMatch(/mybot/);
  expect(existsSync(join(repo.dir, 'ran.mark'))).toBe(false);
}, 60_000);
